"""The main text of a (mended) news page: trafilatura by default, resiliparse in fast mode.

Both return paragraphs one per line; cleanup then runs on them as on crawled text.
"""

from __future__ import annotations

MIN_TEXT = 200  # characters below which trafilatura's answer is taken as a miss


def extract_text_default(page: str, url: str | None = None) -> str:
    """Main text by trafilatura; resiliparse when trafilatura finds too little or flattens it."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            page, url=url, include_comments=False, include_tables=True, with_metadata=False, deduplicate=False
        )
    except Exception:  # trafilatura fails on some broken trees; the fallback below still runs
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if len(text) < MIN_TEXT:
        fallback = extract_text_fast(page)
        if len(fallback) > len(text):
            return fallback
    if "\n" not in text.strip():
        # trafilatura's last resort joins every paragraph into one line; resiliparse keeps them
        # apart, and is taken when it says about the same with more structure.
        fallback = extract_text_fast(page)
        if fallback.count("\n") and len(text) <= len(fallback) <= 1.5 * len(text):
            return fallback
    return text


def extract_text_fast(page: str) -> str:
    """Main text by resiliparse's main-content extraction (an order of magnitude faster)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(page)
    return str(extract_plain_text(tree, main_content=True, alt_texts=False, links=False, list_bullets=False, noscript=False))
