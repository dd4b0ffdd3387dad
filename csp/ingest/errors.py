"""The one error a delivery's reader raises."""


class UnreadableDelivery(Exception):
    """The file cannot be read as a table; the message says why in words a partner can act on."""
