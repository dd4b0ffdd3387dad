"""A Markdown document (docs/methods.md) as a list of simple blocks both renderers can lay out:
headings, paragraphs, bullet lists and tables, their text as inline HTML (strong, em, code).
`for_readers` gives the pack's part of it."""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Block:
    kind: str                                   # "heading", "paragraph", "list" or "table"
    html: str = ""                              # heading or paragraph text
    level: int = 0                              # heading level (1 = the document's title)
    items: list[str] = field(default_factory=list)          # list items
    header: list[str] = field(default_factory=list)         # table
    rows: list[list[str]] = field(default_factory=list)


def blocks(markdown: str) -> list[Block]:
    tokens = _MD.parse(markdown)
    out: list[Block] = []
    items: list[str] | None = None
    table: dict | None = None
    heading = 0
    for token in tokens:
        if token.type == "heading_open":
            heading = int(token.tag[1])
        elif token.type == "bullet_list_open":
            items = []
        elif token.type == "bullet_list_close":
            out.append(Block("list", items=items or []))
            items = None
        elif token.type == "table_open":
            table = {"header": [], "rows": []}
        elif token.type == "tr_open" and table is not None:
            table["rows"].append([])
        elif token.type == "table_close" and table is not None:
            header, *rows = table["rows"]
            out.append(Block("table", header=header, rows=rows))
            table = None
        elif token.type == "inline":
            html = _MD.renderer.renderInline(token.children or [], _MD.options, {})
            if table is not None:
                table["rows"][-1].append(html)
            elif items is not None:
                items.append(html)
            elif heading:
                out.append(Block("heading", html, level=heading))
                heading = 0
            else:
                out.append(Block("paragraph", html))
    return out


# A paragraph opening "*Code:*" says where a method is in the code: for the maintainers, not the pack's readers
FOR_MAINTAINERS = "<em>Code:</em>"


def for_readers(markdown: str) -> list[Block]:
    """The blocks the pack prints: not the document's title (the pack's section heading says it), nor the
    paragraphs for the maintainers (FOR_MAINTAINERS)."""
    return [b for b in blocks(markdown) if not (b.kind == "heading" and b.level == 1)
            and not (b.kind == "paragraph" and b.html.startswith(FOR_MAINTAINERS))]
