"""District data marts: each district's own data, under disclosure control (docs/disclosure.md)."""
