"""The writer(s) of a news page, as :func:`marsad.html.meta.extract_meta` reports them.

A byline printed by the headline, JSON-LD, meta tags and byline elements are read in that order of
trust; a name is kept only when it is no site, developer, photographer or commenter, no label, URL
or date. Two small helpers live here because the rest of the page's metadata uses them too
(:mod:`marsad.html.meta` imports from this module, never the reverse): :func:`clean_text`, a page
string with its entities decoded and its spaces folded, and :func:`off_story`, whether a node sits
in a comment, a sidebar, a menu or the page's footer.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.arabic import normalize
from ..text.boilerplate import unglue
from ..text.bylines import (
    clean_author,
    is_not_author,
    is_site_name,
    latin_byline,
    looks_like_name,
    parse_byline,
    split_names,
)
from .dom import css_once

# Class names of the page's furniture, whole (a "teaser__metadata" or a "widget Blog" holds the story).
_JUNK_TOKEN = re.compile(
    r"(?:(?:(?:site|page|global|main)[-_]?)?footer|(?:left|right|main|primary|secondary)?[-_]?sidebar(?:[-_]\w+)?|side-?bar"
    r"|related(?:[-_]\w+)?|\w+[-_]related|most-?(?:read|viewed|popular)|popular(?:[-_]\w+)?|widget-area|recommend\w*)$",
    re.I,
)
_COMMENT_CONTAINER = re.compile(r"comment|respond|reply|disqus|discussion|ta3le?e?q", re.I)
# A byline written out near the headline: "كتب: …", "بقلم …", "By …", "Von …" opening a short line.
_PREFIXED_BYLINE = re.compile(
    r"^(?:(?:كتب|كتبت|كتبه|كتبها|بقلم|إعداد|اعداد|بواسطة|حوار|تقرير|by|von|par|por)(?=[\s:：\-–—/]|$)"
    r"|(?:(?:(?:blog|gast)[\s-]?)?(?:written|posted|published|geschrieben|verfasst|beitrag|artikel|article|ein\s+beitrag)\s+(?:by|von|par|door)\b)"
    r"|(?:author|autor|autorin|auteur|text|texte)\s*:)", re.I
)
# A labelled credit may follow another label on its line ("Datum: 03.11.2021 Autor: …").
_LABELLED_CREDIT = re.compile(r"(?:^|\s)(?:author|autor|autorin|auteur|verfasser|verfasserin)\s*:", re.I)
_LINE_PARTS = re.compile(r"\s[|•·]\s")
_SPACE = re.compile(r"\s+")
_BYLINE_SELECTOR = ", ".join(
    [f'[{attr}*="{word}" i]' for attr in ("class", "id") for word in
     ("author", "autor", "verfasser", "byline", "writer", "signature", "kateb")]
    + ['[rel="author"]', '[itemprop="author"]', "byline"]
    + [f'a[href*="/{part}/"]' for part in ("author", "authors", "autor", "autoren", "auteur", "redakteur")]
)


def _unescape(text: str) -> str:
    """HTML entities decoded, twice escaped ones too (``&amp;quot;`` from an ASP.NET page)."""
    for _ in range(3):
        if "&" not in text:
            break
        decoded = html_lib.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


# ---------------------------------------------------------------- shared with meta.py


def clean_text(text: str | None) -> str | None:
    """``text`` with its HTML entities decoded and its whitespace folded; ``None`` if it is empty or no string."""
    if not isinstance(text, str):
        return None
    text = _SPACE.sub(" ", _unescape(text)).strip()
    return text or None


def off_story(node: LexborNode, story: LexborNode | None, *, classes: bool = True) -> bool:
    """True when ``node`` sits in a comment, a sidebar, a menu or the page's footer.

    Containers that also hold the headline (``story``) are the page's layout, whatever their class
    says (``sticky-sidebar-parent``, ``header-footer-group``); only the branch that leads from them
    to ``node`` is judged. A ``<footer>`` inside an ``<article>`` is the article's own (its byline).
    """
    shared: set[int] = set()
    walk = story
    while walk is not None:
        shared.add(walk.mem_id)
        walk = walk.parent
    branch: list[LexborNode] = []
    walk = node
    in_article = False
    while walk is not None and walk.tag not in ("body", "html"):
        if walk.mem_id in shared:
            break
        branch.append(walk)
        walk = walk.parent
    parent: LexborNode | None = node
    while parent is not None:
        if parent.tag in ("article", "main"):
            in_article = True
            break
        parent = parent.parent
    for part in branch:
        attrs = part.attributes
        marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if part.tag in ("aside", "nav") or _COMMENT_CONTAINER.search(marker):
            return True
        junk = [t for t in marker.split() if _JUNK_TOKEN.match(t)] if classes else []
        if (part.tag == "footer" or junk) and not in_article:
            return True
        if any("footer" not in t.lower() for t in junk):
            return True
    return False


# ---------------------------------------------------------------- the writer


def _ld_names(value: object, ids: dict[str, dict[str, object]] | None = None) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v, ids)]
    if isinstance(value, dict):
        if "name" not in value and ids and isinstance(value.get("@id"), str) and value["@id"] in ids:
            value = ids[value["@id"]]
        raw = value.get("name")
        if isinstance(raw, list):
            return [n for n in (clean_text(x) for x in raw if isinstance(x, str)) if n]
        name = clean_text(raw) if isinstance(raw, str) else None
        return [name] if name else []
    if isinstance(value, str):
        return [n for n in (clean_text(x) for x in re.split(r"[,،]| و ", value)) if n]
    return []


def _accept_author(raw: str, sites: list[str], host: str | None) -> str | None:
    """``raw`` as an author's name, or ``None`` when it names the site, a credit that is no writer's,
    a label, a URL or a date."""
    name = clean_author(raw)
    if not name or len(name) > 80 or is_not_author(raw) or is_not_author(name) or is_site_name(name, sites, host):
        return None
    return name


_BYLINE_TAGS = frozenset("p div span strong b em i h2 h3 h4 h5 h6 li address small a td font time byline cite".split())


def _written_bylines(tree: LexborHTMLParser, story: LexborNode | None) -> list[str]:
    """Short lines near the headline that open with a byline word (``كتب: …``, ``بقلم …``, ``By …``):
    the writer as the page prints them above or below the headline."""
    body = tree.body
    root = story if story is not None else tree.css_first("article") or tree.css_first("main") or body
    if body is None or root is None:
        return []
    nodes = [n for n in body.traverse() if n.tag in _BYLINE_TAGS or n.mem_id == root.mem_id]
    at = next((i for i, n in enumerate(nodes) if n.mem_id == root.mem_id), None)
    if at is None:
        return []
    found: list[str] = []
    # with no headline, article or main to start from, the byline may stand anywhere in the page
    window = nodes if root.mem_id == body.mem_id else nodes[max(0, at - 30): at + 400]
    for node in window:
        if node.mem_id == root.mem_id:
            continue
        raw = node.text(deep=True, separator=" ")
        if not raw or len(raw) > 400 or not (_PREFIXED_BYLINE.match(raw.lstrip()) or _LABELLED_CREDIT.search(raw)):
            continue  # cheap tests first: most of a page is neither short nor a byline
        text = clean_text(raw)
        if text:  # a byline line that runs on into other matter: "By Ann on 5 May | 18 Comments. This post …"
            text = _LINE_PARTS.split(text, maxsplit=1)[0]
        if not text or len(text.split()) > 24 or off_story(node, story):
            continue
        if not _PREFIXED_BYLINE.match(text) and (len(text.split()) > 14 or not _LABELLED_CREDIT.search(text)):
            continue
        name = _line_names(text)
        # a long line is a byline only when the names make up most of it
        if name and len(text.split()) - len(name.split()) <= 10:
            found.append(name)
    return found


def _line_names(text: str) -> str | None:
    """The name(s) a byline line credits (``By Ann Lee and Bo Chen`` gives ``Ann Lee, Bo Chen``), or ``None``."""
    latin = None if any("\u0600" <= ch <= "\u06ff" for ch in text) else latin_byline(text)
    if latin and (looks_like_name(latin) or all(looks_like_name(n) and 2 <= len(n.split()) <= 4 for n in split_names(latin))):
        return latin
    byline = parse_byline(unglue(text))
    name = byline.author if byline is not None and byline.author else latin
    if not name:
        return None
    if looks_like_name(name):
        return name
    names = split_names(name)
    if len(names) >= 2 and all(looks_like_name(n) and 2 <= len(n.split()) <= 4 for n in names):
        return ", ".join(names)
    return None


def _element_author(text: str, reference: datetime | None) -> str | None:
    """The name in a byline element's text: after its byline word, before its date, or the text itself."""
    if not any("\u0600" <= ch <= "\u06ff" for ch in text):
        name = latin_byline(text)
        if name:
            return name
    byline = parse_byline(unglue(text), reference)
    if byline is not None:
        if byline.author and (_PREFIXED_BYLINE.match(text) or looks_like_name(byline.author)):
            return byline.author
        return None
    if len(text.split()) <= 6:
        return text
    names = split_names(text)  # "Isabel Caro, Rocío Latorre y José Miguel Wilson"
    return text if len(names) >= 2 and all(looks_like_name(n) and len(n.split()) <= 4 for n in names) else None


def page_author(
    tree: LexborHTMLParser, tags: dict[str, list[str]], art: dict[str, object], ids: dict[str, dict[str, object]],
    story: LexborNode | None, sites: list[str], host: str | None, reference: datetime | None,
) -> str | None:
    """The writer(s): a byline printed by the headline, JSON-LD, meta tags, byline elements, in that
    order of trust (the first source that names someone gives all the names it gives); never the
    site, a developer, a photographer or a commenter."""
    # without a headline, the article element is what the story's bylines share a container with
    story = story or tree.css_first("article") or tree.css_first("main")
    sources: list[list[str]] = [_written_bylines(tree, story)[:1]]
    if art:
        sources.append([n for raw in _ld_names(art.get("author"), ids) for n in split_names(raw)])
    sources.append([
        n for key in ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "parsely-author",
                      "sailthru.author", "byl", "citation_author", "authors")
        for n in (clean_text(x) for x in tags.get(key, [])) if n and not n.startswith(("http://", "https://"))
    ][:8])
    first_element = len(sources)
    for node in css_once(tree, _BYLINE_SELECTOR):  # the first byline element that names someone
        if node.tag in ("meta", "link", "input", "img", "script", "textarea", "form") or off_story(node, story):
            continue
        # a link to the writer's page, or a schema.org author: the name its markup gives, not the picture credit beside it
        named = node.css_first('[itemprop="name"]') if node.tag == "a" or node.attributes.get("itemprop") == "author" else None
        text = clean_text((named or node).text(deep=True, separator=" "))
        if not text:
            continue
        if len(text.split()) > 16:  # a bio, unless a byline word opens it and names make up most of it
            name = _line_names(text) if len(text.split()) <= 30 and _PREFIXED_BYLINE.match(text) else None
            if not name or len(text.split()) - len(name.split()) > 10:
                continue
        else:
            name = _element_author(text, reference)
        names = split_names(name) if name else []
        if len(names) >= 2 and not all(looks_like_name(n) and len(n.split()) <= 4 for n in names):
            names = [name] if name else []  # one name with an "and" in it, or no names at all
        sources.append(names)
    chosen: list[str] | None = None
    for at, names in enumerate(sources):
        accepted = [n for n in (_accept_author(raw, sites, host) for raw in names) if n]
        if not accepted:
            continue
        if chosen is None:
            chosen = accepted
            if at == 0 or any(looks_like_name(n) or len(n.split()) < 3 for n in accepted):
                break  # a name, or a handle ("oradmin")
            # JSON-LD or a meta tag that names an organisation ("Landesanstalt für Wald und Forstwirtschaft"):
            # a person the page's byline box names wrote the story
        elif at >= first_element and all(looks_like_name(n) and len(n.split()) >= 2 for n in accepted):
            chosen = accepted
            break
    if chosen is None:
        return None
    unique = [n for i, n in enumerate(chosen) if not any(normalize(n) in normalize(m) for m in chosen[:i])]
    joiner = "، " if any("\u0600" <= ch <= "\u06ff" for ch in unique[0]) else ", "
    return joiner.join(unique)
