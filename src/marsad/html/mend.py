"""Mend a parsed Arabic news page before main-text extraction (both modes use it).

What it fixes, as seen on Arabic news sites:
- a page wrapped whole in one ASP.NET ``<form>`` (extractors drop forms, and with it the story);
- bodies written as text separated by ``<br>`` in a ``div`` or ``td`` (no ``<p>``);
- "related articles" lists, read-also links, share bars, tickers, ads, newsletter boxes and comment
  sections inside the article element, found by class names or by an Arabic heading
  (أخبار ذات صلة، اقرأ أيضا، التعليقات) and by being lists of links.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.arabic import ARABIC_LETTERS, normalize

# Words in class and id names that mark a page's furniture. Names are split into words first
# (newsletterInline_8c5a4 -> newsletter, inline; read-also -> read, also, readalso).
_JUNK_WORDS = frozenset(
    """comment comments commentlist commentform respond reply replies related share shares sharing sharebar
    social ticker breaking newsletter subscribe subscription advert adverts advertisement ads ad adslot adsense
    sponsor sponsored promo promoted mostread popular sidebar widget widgets tags tag taglist tagcloud
    breadcrumb breadcrumbs footer nav navbar navigation menu outbrain taboola print sharethis readalso alsoread
    readmore seealso morenews inread recommended recommendations trending banner cookie cookies pub publicite""".split()
)
_CLASS_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ARABIC_LETTER = re.compile(ARABIC_LETTERS)


@lru_cache(maxsize=16384)
def _junk_marker(marker: str) -> bool:
    """Whether a class/id value names furniture: any of its names, split into words, is a junk word."""
    return any(_junk_name(name) for name in marker.split())


@lru_cache(maxsize=16384)
def _junk_name(name: str) -> bool:
    # names repeat within and across pages (row, col-md-8, entry-content): each is judged once
    words = " ".join(_CLASS_WORD.findall(name)).lower().split()
    return not _JUNK_WORDS.isdisjoint(words) or not _JUNK_WORDS.isdisjoint(map(str.__add__, words, words[1:]))


_JUNK_HEADING = re.compile(
    r"^(?:اخبار ذات صلة|مواضيع ذات صلة|مقالات ذات صلة|ذات صلة|اخبار متعلقة|مواضيع متعلقة|اقرا ايضا|اقرا كذلك|"
    r"شاهد ايضا|الاكثر قراءة|الاكثر مشاهدة|الاكثر تداولا|التعليقات|تعليقات|اضف تعليق|اضف تعليقك|اترك تعليقا|"
    r"شارك|شارك الخبر|شارك المقال|الوسوم|كلمات مفتاحية|الكلمات المفتاحية|قد يهمك|اخترنا لك|المزيد من الاخبار|"
    r"اخر الاخبار|الاخبار العاجلة|عاجل|تابعونا|اشترك في النشرة|اعلان|محتوى مدفوع|محتوى برعاية)\W*$"
)
_BLOCK_TAGS = frozenset(
    "p div section article td li blockquote h1 h2 h3 h4 h5 h6 ul ol table tr form header footer aside nav".split()
)
_INLINE_HEADINGS = frozenset(("strong", "b", "span", "em", "label"))
_INLINE_WRAPPERS = frozenset(("font", "span", "b", "strong", "em", "i", "u"))
_BR_RUN = re.compile(r"(?:<br\s*/?>\s*)+", re.IGNORECASE)
#: a block whose own heading names it junk is removed whole if it is this short (words)
SHORT_BLOCK_WORDS = 30
#: a paragraph of running text is at least this long (characters)
PROSE_CHARS = 80
#: an element with a junk word in its class is kept when it holds this share of the page's running
#: text, or this many characters of it: a comment box or a related list holds headlines, not prose
STORY_SHARE = 0.3
STORY_CHARS = 1500
_DECLARED_ARTICLE = re.compile(r"(?:News|Blog|Report|Scholarly|Tech)?Article\b|BlogPosting\b")
_PROSE_TAGS = "p, div, td, section, article, blockquote, li, dd, pre, font, span"


def _text(node: LexborNode) -> str:
    return node.text(deep=True, separator=" ") or ""


def _link_chars(node: LexborNode) -> int:
    return sum(len(_text(a).strip()) for a in node.css("a"))


def link_share(node: LexborNode) -> float:
    """The share of ``node``'s text that is link text (0 for an element without text)."""
    total = len(_text(node).strip())
    if not total:
        return 0.0
    return _link_chars(node) / total


def headline_path(tree: LexborHTMLParser) -> set[int]:
    """The elements that hold an ``<h1>`` (each ``<h1>`` and every element above it), by ``mem_id``."""
    found: set[int] = set()
    for h1 in tree.css("h1"):
        up: LexborNode | None = h1
        while up is not None and up.mem_id not in found:
            found.add(up.mem_id)
            up = up.parent
    return found


def _unwrap_forms(tree: LexborHTMLParser) -> None:
    for form in tree.css("form"):
        if len(_text(form)) > 500:
            form.unwrap()


def _split_br_bodies(tree: LexborHTMLParser) -> None:
    """``text<br><br>text`` in a div or cell becomes one ``<p>`` per piece."""
    for node in tree.css("div, td, span, font, section, article"):
        children = [c.tag for c in node.iter()]
        if children.count("br") < 2:
            continue
        pieces = [p for p in _BR_RUN.split(node.inner_html or "") if p.strip()]
        if len(pieces) >= 2:
            node.inner_html = "".join(f"<p>{p}</p>" for p in pieces)


class StoryMap:
    """Where a page's story text lies: how much running text each element holds, and which hold an ``<h1>``.

    A block of running text is a ``<p>`` of ``PROSE_CHARS`` or more, mostly not links, or as much text
    written straight into another block (a ``<br>`` body, a forum post). Each block's size is added to
    every element above it, once per page, so asking about an element costs nothing.
    """

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.inside: dict[int, int] = {}
        self.total = 0
        parent_of: dict[int, int | None] = {}  # each element's parent, by mem_id, read from the tree once
        for node in tree.css(_PROSE_TAGS):
            if node.tag == "p":
                text = _text(node).strip()
                size = len(text)
                if size < PROSE_CHARS or _link_chars(node) >= 0.5 * size:
                    continue
            else:
                size = len((node.text(deep=False) or "").strip())
                if size < PROSE_CHARS:
                    continue
            self.total += size
            at: int | None = node.mem_id
            up: LexborNode | None = node
            while at is not None:
                self.inside[at] = self.inside.get(at, 0) + size
                if at in parent_of:
                    at = parent_of[at]
                    up = None
                    continue
                assert up is not None
                up = up.parent
                parent = up.mem_id if up is not None else None
                parent_of[at] = parent
                at = parent
        self.headline = headline_path(tree)

    def holds_story(self, node: LexborNode, attrs: dict[str, str | None] | None = None) -> bool:
        """Whether ``node`` holds the story: it says it is the article, holds the headline, or a good
        part of the page's running text.

        Page builders put words such as ``tag-<slug>``, ``widget``, ``sidebar`` or ``promoted`` in the
        classes of the article's own container (WordPress, Blogger, Elementor, Drupal), so a junk word
        in a class name proves nothing about an element that holds the article: only furniture goes.
        """
        attrs = node.attributes if attrs is None else attrs
        # the element says it is the article (schema.org microdata or RDFa, ARIA's role)
        if attrs.get("itemprop") == "articleBody" or attrs.get("role") == "article":
            return True
        if any(_DECLARED_ARTICLE.search(attrs.get(a) or "") for a in ("itemtype", "typeof")):
            return True
        if node.mem_id in self.headline:
            return True
        inside = self.inside.get(node.mem_id, 0)
        return bool(self.total) and (inside >= STORY_SHARE * self.total or inside >= STORY_CHARS)


def _junk_targets(tree: LexborHTMLParser) -> list[LexborNode]:
    story = StoryMap(tree)
    targets: list[LexborNode] = []
    # "[class], [id]" would give an element with both twice
    for node in [*tree.css("[class]"), *tree.css("[id]:not([class])")]:
        attrs = node.attributes
        marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if _junk_marker(marker) and node.tag not in ("html", "body", "head") and not story.holds_story(node, attrs):
            targets.append(node)
    # schema.org comments (itemprop="comment", itemtype …/Comment), whatever their classes
    targets += tree.css('[itemprop="comment"], [itemprop="comments"], [itemtype*="Comment"]')
    # the headings that name furniture are Arabic: a page without an Arabic letter has none of them
    body = tree.body
    headings = body is not None and _ARABIC_LETTER.search(body.text(deep=True) or "") is not None
    for node in tree.css("h2, h3, h4, h5, h6, strong, b, span, em, label, div, p") if headings else ():
        # a heading's words are its own (deep text of a div can be the whole page); <h3><a>…</a></h3>
        # is looked at deeper only when the element has no words of its own
        own = (node.text(deep=False) or "").strip()
        if not own and node.tag not in ("div", "p"):
            own = _text(node).strip()
        if not own or len(own) > 40 or not _JUNK_HEADING.match(normalize(own)):
            continue
        if node.tag in _INLINE_HEADINGS:
            inline, parent = node, node.parent
            # climb the wrappers that hold the heading alone (<font><b>اقرأ أيضا:</b></font>)
            while parent is not None and parent.tag in _INLINE_WRAPPERS and _text(parent).strip() == own:
                inline, parent = parent, parent.parent
            if parent is not None and parent.tag in ("p", "div", "li", "td") and len(_text(parent).split()) <= SHORT_BLOCK_WORDS:
                targets.append(parent)  # <p><strong>اقرأ أيضا:</strong> <a>…</a></p>
                continue
            # in a longer block (a <br> body): the heading and the links right after it
            targets.append(inline)
            sibling = inline.next
            while sibling is not None and (sibling.tag == "a" or (sibling.is_text_node and not (sibling.text() or "").strip())):
                if sibling.tag == "a":
                    targets.append(sibling)
                sibling = sibling.next
            continue
        following = node.next
        while following is not None and not following.is_element_node:
            following = following.next
        if following is not None and following.tag in ("ul", "ol", "div", "section", "table") and link_share(following) > 0.5:
            targets.append(following)
        targets.append(node)
    for lst in tree.css("ul, ol"):
        items = 0
        for child in lst.iter():
            if child.tag == "li":
                items += 1
                if items == 2:
                    break
        if items >= 2 and link_share(lst) > 0.6:
            targets.append(lst)
    return targets


def _decompose_all(targets: list[LexborNode]) -> list[str]:
    """Remove each target once, outermost first (a removed node's descendants are gone with it);
    the text of what was removed, one string a target."""
    ids = {t.mem_id for t in targets}
    kept = []
    for t in targets:
        parent, inside = t.parent, False
        while parent is not None:
            if parent.mem_id in ids:
                inside = True
                break
            parent = parent.parent
        if not inside:
            kept.append(t)
    seen: set[int] = set()
    removed = []
    for t in kept:
        if t.mem_id not in seen:
            seen.add(t.mem_id)
            removed.append(" ".join(_text(t).split()))
            t.decompose()
    return removed


def mend(tree: LexborHTMLParser) -> list[str]:
    """Apply the Arabic-site fixes to a parsed page, in place; returns the text of each element removed
    as furniture (what the mends meant to take out, as opposed to what they moved)."""
    _unwrap_forms(tree)
    _split_br_bodies(tree)
    return _decompose_all(_junk_targets(tree))
