"""The main text of a news page: trafilatura on a tree first mended for Arabic sites, or resiliparse
in fast mode. Both return paragraphs one per line; cleanup then runs as on crawled text.

What the mending fixes, as seen on Arabic news sites:
- a page wrapped whole in one ASP.NET ``<form>`` (trafilatura drops forms, and with it the story);
- bodies written as text separated by ``<br>`` in a ``div`` or ``td`` (no ``<p>``);
- "related articles" lists, read-also links, share bars, tickers, ads and comments inside the
  article element, marked by class names or by an Arabic heading (أخبار ذات صلة، التعليقات).
"""

from __future__ import annotations

import re

from lxml import etree, html as lxml_html

from ..text.arabic import normalize

MIN_TEXT = 200  # characters below which trafilatura's answer is taken as a miss
_JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-list|respond|related|share|sharing|social|ticker|breaking|"
    r"newsletter|subscribe|advert\w*|ads?|ad-slot|sponsor\w*|promo|most-?read|popular|sidebar|"
    r"widget|tags?|tag-list|breadcrumbs?|footer|nav|navbar|menu|outbrain|taboola|print|sharethis)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_JUNK_HEADING = re.compile(
    r"^(?:اخبار ذات صلة|مواضيع ذات صلة|مقالات ذات صلة|ذات صلة|اخبار متعلقة|مواضيع متعلقة|اقرا ايضا|اقرا كذلك|"
    r"الاكثر قراءة|الاكثر مشاهدة|الاكثر تداولا|التعليقات|تعليقات|اضف تعليق|اضف تعليقك|اترك تعليقا|"
    r"شارك|شارك الخبر|شارك المقال|الوسوم|كلمات مفتاحية|قد يهمك|اخترنا لك|المزيد من الاخبار|"
    r"اخر الاخبار|الاخبار العاجلة|عاجل|تابعونا|اشترك في النشرة)\W*$"
)
_BLOCKS = {"p", "div", "section", "article", "td", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr"}


def _text_len(el: etree._Element) -> int:
    return len("".join(el.itertext()).strip())


def _unwrap_forms(root: etree._Element) -> None:
    for form in root.iter("form"):
        if _text_len(form) > 500:
            form.tag = "div"
            form.attrib.clear()


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():  # keep the text that follows the element
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _drop_junk_blocks(root: etree._Element) -> None:
    body = root.find(".//body")
    total = _text_len(body if body is not None else root) or 1
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head"):
            continue
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if marker and _JUNK_CLASS.search(marker) and _text_len(el) < 0.5 * total:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _remove(el)
    # An Arabic heading names the block it heads: drop the heading and the list or block after it.
    for el in list(root.iter("h2", "h3", "h4", "h5", "strong", "b", "span", "div", "p")):
        if el.getparent() is None:
            continue
        own = normalize("".join(el.itertext()))
        if len(own) > 40 or not _JUNK_HEADING.match(own):
            continue
        nxt = el.getnext()
        if nxt is not None and nxt.tag in ("ul", "ol", "div", "section", "table") and _link_share(nxt) > 0.5:
            _remove(nxt)
        _remove(el)


def _link_share(el: etree._Element) -> float:
    text = _text_len(el)
    if not text:
        return 0.0
    linked = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return linked / text


def _drop_link_lists(root: etree._Element) -> None:
    """Lists made of links inside the story (related headlines) are not the story."""
    for lst in list(root.iter("ul", "ol")):
        items = lst.findall("li")
        if len(items) >= 2 and _link_share(lst) > 0.6 and lst.getparent() is not None:
            _remove(lst)


def _split_br_bodies(root: etree._Element) -> None:
    """``text<br><br>text`` in a div or cell becomes one ``<p>`` per piece."""
    for el in list(root.iter("div", "td", "span", "font", "section", "article")):
        brs = [c for c in el if c.tag == "br"]
        if len(brs) < 2 or any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            continue
        pieces: list[list[object]] = [[el.text or ""]]
        for child in list(el):
            if child.tag == "br":
                pieces.append([child.tail or ""])
            else:
                pieces[-1].append(child)
        for child in list(el):
            el.remove(child)
        el.text = None
        for piece in pieces:
            if not any((p.strip() if isinstance(p, str) else True) for p in piece):
                continue
            p = etree.SubElement(el, "p")
            first, *rest = piece
            p.text = first if isinstance(first, str) else None
            for item in ([] if isinstance(first, str) else [first]) + rest:
                if isinstance(item, str):
                    if len(p):
                        p[-1].tail = (p[-1].tail or "") + item
                    else:
                        p.text = (p.text or "") + item
                else:
                    p.append(item)  # type: ignore[arg-type]


def mend_tree(root: etree._Element) -> etree._Element:
    """Apply the Arabic-site fixes to a parsed page, in place."""
    _unwrap_forms(root)
    _split_br_bodies(root)
    _drop_junk_blocks(root)
    _drop_link_lists(root)
    return root


def parse_html(text: str) -> etree._Element | None:
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def extract_text_default(page: str, url: str | None = None) -> str:
    """Main text by trafilatura on the mended tree; resiliparse when trafilatura finds too little."""
    import trafilatura

    root = parse_html(page)
    text = ""
    if root is not None:
        mend_tree(root)
        try:
            doc = trafilatura.bare_extraction(
                root, url=url, include_comments=False, include_tables=True, with_metadata=False, deduplicate=False
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
    """Main text by resiliparse's main-content extraction (about 100x trafilatura's speed)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(page)
    return str(extract_plain_text(tree, main_content=True, alt_texts=False, links=False, list_bullets=False, noscript=False))
