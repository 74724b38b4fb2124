"""Small helpers over selectolax's lexbor tree that several modules of ``html`` share."""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode


def css_once(root: LexborHTMLParser | LexborNode, selector: str) -> Iterator[LexborNode]:
    """The elements matching a selector list, each once, in document order: lexbor gives an
    element once for every selector of the list it matches (``.author, #author`` gives
    ``<div class=author id=author>`` twice)."""
    seen: set[int] = set()
    for node in root.css(selector):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            yield node
