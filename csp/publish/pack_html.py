"""The assessment pack as one self-contained HTML file (templates/pack.html.j2, the charts' PNGs inline)."""
from __future__ import annotations

import base64
from pathlib import Path

import jinja2

from csp.publish.markdown_blocks import for_readers
from csp.publish.model import Pack

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                          autoescape=True, undefined=jinja2.StrictUndefined)
_ENV.filters["data_uri"] = lambda path: "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()


def write_html(pack: Pack, path: Path) -> Path:
    path.write_text(_ENV.get_template("pack.html.j2").render(pack=pack, methods=for_readers(pack.methods_markdown)),
                    encoding="utf-8")
    return path
