"""The main text of a (mended) news page: trafilatura by default, resiliparse in fast mode.

Both return paragraphs one per line; cleanup then runs on them as on crawled text.
"""

from __future__ import annotations

import re
from collections import Counter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.arabic import normalize
from .mend import headline_path, link_share

_CLASS_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LEAD_WORDS = frozenset("lead chapeau standfirst intro summary excerpt sapo deck subheadline subtitle".split())
_LEAD_SELECTOR = ", ".join(f'[class*="{word}" i]' for word in sorted(_LEAD_WORDS))

MIN_TEXT = 200  # characters below which trafilatura's answer is taken as a miss
#: how many levels above a lead candidate the headline may be
LEAD_REACH = 4
FAST_BLOCK = 200  # characters of a story block (of 3+ lines) that fast mode prefers to resiliparse's reading
_SENTENCE_END = re.compile(r"[.!?؟]\s*$")


def trafilatura_text(page: str, url: str | None = None, *, fast: bool = False) -> str:
    """trafilatura's main text of a page (paragraphs one per line), "" when it finds none or fails.

    ``fast``: trafilatura's own fast setting (no second opinion from its backup extractors)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            page, url=url, include_comments=False, include_tables=True, with_metadata=False, deduplicate=False,
            fast=fast,
        )
    except Exception:  # trafilatura fails on some broken trees; the callers' fallbacks still run
        return ""
    return (getattr(doc, "text", None) or "") if doc is not None else ""


def extract_text_default(page: str, url: str | None = None, tree: LexborHTMLParser | None = None) -> str:
    """Main text by trafilatura; fast mode's reading (of ``tree``, the mended page, when given) when
    trafilatura finds too little, and resiliparse's when trafilatura flattens it."""
    text = trafilatura_text(page, url)
    if len(text) < MIN_TEXT:
        fallback = extract_text_fast(page, tree, url)
        if len(fallback) > len(text):
            return fallback
    if "\n" not in text.strip():
        # trafilatura's last resort joins every paragraph into one line; resiliparse keeps them
        # apart, and is taken when it says about the same with more structure.
        fallback = extract_text_fast(page)
        if fallback.count("\n") and len(text) <= len(fallback) <= 1.5 * len(text):
            return fallback
    return text


def extract_text_fast(page: str, tree: LexborHTMLParser | None = None, url: str | None = None) -> str:
    """Fast main text: the story's block found by :func:`story_nodes` on ``tree`` (the mended page),
    or resiliparse's main-content extraction where that block is short, flat or says less than half
    of what resiliparse finds. A page on which both find almost nothing goes to trafilatura, so fast
    mode never returns an empty body for a page that has an article."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    block = story_text(tree) if tree is not None else ""
    text = str(extract_plain_text(HTMLTree.parse(page), main_content=True, alt_texts=False, links=False,
                                  list_bullets=False, noscript=False))
    if len(block) >= FAST_BLOCK and block.count("\n") >= 2 and len(block) > 0.5 * len(text):
        text = block
    if tree is not None and (len(text.strip()) < MIN_TEXT or not has_prose(text) or looks_like_headline_list(text)):
        # no story found quickly (almost nothing, no line of running text, or a list of headlines):
        # the careful extractor decides, on the few pages that need it
        slow = trafilatura_text(page, url, fast=True)
        if has_prose(slow) and not looks_like_headline_list(slow):
            return slow
        # none is an article by these signs: the story's block if it has running text (a body of
        # one or two long paragraphs, which resiliparse may miss), else the longest reading
        if has_prose(block) and not looks_like_headline_list(block) and len(block) > len(text):
            return block
        if len(slow) > len(text):
            return slow
    return text


def _own_or_deep_text(node: LexborNode) -> str:
    if node.tag in ("div", "td", "li", "dd"):
        return (node.text(deep=False) or "").strip()  # text written straight into it (a <br> body)
    return (node.text(deep=True, separator=" ") or "").strip()


def story_nodes(tree: LexborHTMLParser) -> list[LexborNode]:
    """The element that holds the story, with the siblings that continue it.

    Each paragraph (25+ characters) scores by its length and commas, given whole to its parent,
    half to its grandparent and a sixth to the next one up; a container's score is discounted by its
    share of link text (menus, related lists). The best container is kept with each sibling that
    scores at least a fifth of it, and each sibling paragraph of running text, so a body split over
    several containers (a lead box, then the text, then a last paragraph after an ad) stays whole.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in tree.css("p, pre, td, blockquote, div, dd, li"):
        text = _own_or_deep_text(node)
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + text.count("،") + min(len(text) // 100, 3)
        up, share = node.parent, (1.0, 0.5, 1 / 6)
        for weight in share:
            if up is None or up.tag in ("html", "body"):
                break
            nodes[up.mem_id] = up
            scores[up.mem_id] = scores.get(up.mem_id, 0.0) + score * weight
            up = up.parent
    if not scores:
        return []
    top = sorted(scores.items(), key=lambda item: -item[1])[:20]
    final = {mem_id: score * (1 - link_share(nodes[mem_id])) for mem_id, score in top}
    best_id = max(final, key=lambda mem_id: final[mem_id])
    best = nodes[best_id]
    parent = best.parent
    if parent is None:
        return [best]
    threshold = max(10.0, 0.2 * final[best_id])
    kept = []
    for sibling in parent.iter():  # type: ignore[attr-defined]
        if sibling.mem_id == best_id or final.get(sibling.mem_id, 0.0) >= threshold:
            kept.append(sibling)
        elif sibling.tag == "p":
            text = (sibling.text(deep=True, separator=" ") or "").strip()
            density = link_share(sibling)
            if (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0 and _SENTENCE_END.search(text)):
                kept.append(sibling)
    return kept


def story_text(tree: LexborHTMLParser) -> str:
    """The text of :func:`story_nodes`, a line per block (resiliparse's plain text of each)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    parts = (str(extract_plain_text(HTMLTree.parse(node.html or ""), main_content=False, alt_texts=False, links=False,
                                    list_bullets=False, noscript=False)) for node in story_nodes(tree))
    return "\n".join(part for part in parts if part.strip())


def find_lead(tree: LexborHTMLParser) -> str | None:
    """The standfirst set apart from the body (``class="chapeau"``, ``standfirst``, ``lead``):
    extractors that pick the body block leave it out, yet it is the article's first paragraph.

    Teaser lists use the same class names (``summary``, ``excerpt``) for other articles' leads, so a
    candidate must sit near the headline (an element at most ``LEAD_REACH`` levels up holds the
    ``<h1>``) and must not be a link; on a page without an ``<h1>`` only a lone candidate is taken.
    """
    candidates = []
    seen: set[int] = set()
    for node in tree.css(_LEAD_SELECTOR):  # a superset: each lead word is in the class, in any case
        if node.mem_id in seen:  # a selector list gives an element once per selector it matches
            continue
        seen.add(node.mem_id)
        words = {w.lower() for w in _CLASS_WORD.findall(node.attributes.get("class") or "")}
        if words & _LEAD_WORDS and node.tag not in ("body", "html", "article", "section", "main", "a"):
            text = " ".join((node.text(deep=True, separator=" ") or "").split())
            if 8 <= len(text.split()) <= 150 and not _inside_link(node):
                candidates.append((node, text))
    if not candidates:
        return None
    headline = headline_path(tree)
    if not headline:
        return candidates[0][1] if len({text for _, text in candidates}) == 1 else None
    for node, text in candidates:
        up = node.parent
        for _ in range(LEAD_REACH):
            if up is None or up.tag in ("body", "html"):
                break
            if up.mem_id in headline:
                return text
            up = up.parent
    return None


def _inside_link(node: LexborNode) -> bool:
    up = node.parent
    while up is not None:
        if up.tag == "a":
            return True
        up = up.parent
    links = sum(len((a.text(deep=True) or "").strip()) for a in node.css("a"))
    return links > 0.5 * len((node.text(deep=True) or "").strip())


def with_lead(text: str, lead: str | None) -> str:
    """``text`` with the lead in front, unless it already holds it."""
    if not lead or normalize(lead)[:80] in normalize(text):
        return text
    return f"{lead}\n{text}"


# --- the article-likeness check: a mended result never loses the story trafilatura finds ---------

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
#: a line of running text has at least this many words; shorter ones are headlines, labels, links
PROSE_WORDS = 10
#: marsad's result must keep this share of the words of trafilatura's running text
KEEP_SHARE = 0.6


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def prose_words(text: str) -> Counter[str]:
    """The words of the lines of running text (``PROSE_WORDS`` or more words): what makes an article."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        words = _WORD.findall(line)
        if len(words) >= PROSE_WORDS:
            found.update(w.lower() for w in words)
    return found


def has_prose(text: str) -> bool:
    """Whether ``text`` has a line of running text (what :func:`prose_words` would find words in)."""
    return any(len(_WORD.findall(line)) >= PROSE_WORDS for line in text.splitlines())


def looks_like_headline_list(text: str) -> bool:
    """Short lines, most of them, many dated: a site's list of other stories, not one story."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 5:
        return False
    short = [line for line in lines if len(_WORD.findall(line)) < PROSE_WORDS]
    dated = [line for line in short if _DIGITS.search(line)]
    return len(short) >= 0.8 * len(lines) and len(dated) >= 0.3 * len(lines)


def keeps_story(mended: str, plain: str) -> bool:
    """Whether ``mended`` (marsad's result on the mended page) keeps the story that ``plain``
    (trafilatura on the page as it came) finds.

    The rule: marsad's mends may only take furniture out of what trafilatura would extract, never the
    article. The mended result fails when it keeps less than ``KEEP_SHARE`` of the words of
    trafilatura's lines of running text, or when it reads as a list of headlines where trafilatura's
    result does not. Related lists, read-also links and share bars, which the mends are there to
    remove, are short lines, so removing them costs no running text.
    """
    story = prose_words(plain)
    total = sum(story.values())
    if total:
        kept = _words(mended)
        if sum(min(n, kept[w]) for w, n in story.items()) < KEEP_SHARE * total:
            return False
    return not (looks_like_headline_list(mended) and not looks_like_headline_list(plain)
                and sum(prose_words(mended).values()) < total)


def restore_story(mended: str, plain: str, removed: list[str], page: LexborHTMLParser | str | None = None) -> str:
    """``mended`` with each line of running text that trafilatura finds on the page as it came put
    back where it stood, unless a mend removed it on purpose (it lies in ``removed``, the furniture).

    A line after the last line that ``mended`` keeps (trafilatura's tail: a closing paragraph, or
    comments, a sidebar, other stories) goes back only when it stands beside the story's last
    paragraph in ``page``, the page as it came (:func:`beside`; parsed here when given as HTML, and only
    if there is a tail); without ``page`` it stays out.

    Mends that restructure a page (a ``<br>`` body split into paragraphs, a form unwrapped) change what
    trafilatura keeps, and can cost a paragraph they never meant to touch; a line goes back in front
    of the next line of ``plain`` that ``mended`` still has.
    """
    have = " ".join(mended.split())
    furniture = "\n".join(removed)
    plain_lines = [" ".join(line.split()) for line in plain.splitlines()]
    missing = [
        i for i, line in enumerate(plain_lines)
        if len(_WORD.findall(line)) >= PROSE_WORDS and line not in have and line not in furniture
    ]
    if not missing:
        return mended
    lines = mended.splitlines()
    tail: list[str] = []
    for i in reversed(missing):  # from the end, so each insertion point is found among lines already placed
        # a gap inside the story, or before it: a line the story continues after
        after = next((later for later in plain_lines[i + 1:] if len(later) >= 20 and later in have), None)
        if after is None:
            tail.append(plain_lines[i])
            continue
        at = next((j for j, line in enumerate(lines) if after[:60] in " ".join(line.split())), None)
        if at is not None:
            lines.insert(at, plain_lines[i])
    if tail and page is not None:
        if isinstance(page, str):
            page = LexborHTMLParser(page)
        last = next((line for line in reversed(lines) if len(_WORD.findall(line)) >= PROSE_WORDS), None)
        kept_tail = []
        kept_words = _words(mended)
        for line in reversed(tail):  # in page order; the first line not beside the story ends the tail
            if last is None or not beside(page, last, line):
                break
            words = _words(line)
            if sum(min(n, kept_words[w]) for w, n in words.items()) >= SAME_LINE * sum(words.values()):
                continue  # the story's last line as the mends left it (a link's word taken out)
            kept_tail.append(line)
            last = line
        lines += kept_tail
    return "\n".join(lines)


#: a tail line whose words the story already has at this share is a copy of one of its lines
SAME_LINE = 0.8
#: a tail paragraph is beside the story's last one when their nearest common element is at most this
#: many levels above each of them (siblings in one container, or a box next to the body's last block)
BESIDE_LEVELS = 2


def _holder(page: LexborHTMLParser, line: str) -> LexborNode | None:
    """The innermost element of ``page`` whose text holds the start of ``line``."""
    probe = " ".join(line.split())[:60]
    body = page.body
    if body is None or not probe:
        return None
    found = None
    node: LexborNode | None = body
    while node is not None:  # descend into the child that holds the probe, as deep as it goes
        found = node
        node = next((child for child in node.iter()  # type: ignore[attr-defined]
                     if probe in " ".join((child.text(deep=True) or "").split())), None)
    return found


def beside(page: LexborHTMLParser, last: str, line: str) -> bool:
    """Whether ``line`` stands beside ``last`` in ``page``: the elements holding each have a common
    element at most ``BESIDE_LEVELS`` above both. A closing paragraph in a box of its own next to the
    body qualifies; comments, a sidebar or a list of other stories elsewhere on the page do not."""
    a, b = _holder(page, last), _holder(page, line)
    if a is None or b is None:
        return False
    up_a: list[int] = []
    node: LexborNode | None = a
    while node is not None and len(up_a) <= BESIDE_LEVELS:
        up_a.append(node.mem_id)
        node = node.parent
    node, levels = b, 0
    while node is not None and levels <= BESIDE_LEVELS:
        if node.mem_id in up_a:
            return node.tag not in ("html", "body")
        node, levels = node.parent, levels + 1
    return False
