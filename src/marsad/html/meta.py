"""Metadata of a news page: JSON-LD, meta tags, ``<time>``, bylines and the URL, cross-checked.

Every value is taken from what the page states; a date that cannot be read is left null rather
than guessed (htmldate is consulted last, and its answer is kept only if the page confirms it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.arabic import normalize
from ..text.boilerplate import unglue
from ..text.bylines import clean_author, parse_byline
from ..text.dates import find_dates, parse_date

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "blogposting", "backgroundnewsarticle", "reviewnewsarticle", "livebloggposting", "liveblogposting",
}
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|:|•|·)\s+")
_URL_DATE = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})[/_-]([01]?[0-9])[/_-]([0-3]?[0-9])(?![0-9])")
_URL_DATE_COMPACT = re.compile(r"(?<![0-9])(20[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])")
_JUNK_CONTAINER = re.compile(r"comment|related|sidebar|footer|widget|most-?read|popular|teaser|recommend", re.I)
_SPACE = re.compile(r"\s+")
_BYLINE_SELECTOR = ", ".join(
    [f'[{attr}*="{word}"]' for attr in ("class", "id") for word in
     ("author", "Author", "byline", "Byline", "writer", "Writer", "signature", "Signature", "kateb")]
    + ['[rel="author"]', '[itemprop="author"]']
)

DateLike = date | datetime


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: DateLike | None = None
    updated: DateLike | None = None
    source: str | None = None
    url: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    lang: str | None = None
    #: where the published date came from (json-ld, meta, time, url, text, htmldate)
    date_origin: str | None = None


def _clean(text: str | None) -> str | None:
    if not isinstance(text, str):
        return None
    text = _SPACE.sub(" ", text).strip()
    return text or None


# ---------------------------------------------------------------- sources of metadata


def _json_ld(tree: LexborHTMLParser) -> list[dict[str, object]]:
    """Article-like JSON-LD objects, the outermost first (``@graph`` and lists flattened)."""
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            names = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in names):
                found.append(node)
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in node:
                    walk(node[key])

    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True) or ""
        try:
            walk(json.loads(raw.strip().removeprefix("<![CDATA[").removesuffix("]]>")))
        except (ValueError, RecursionError):
            continue
    return found


def _meta_tags(tree: LexborHTMLParser) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        content = attrs.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if tags.get(key):
            return tags[key][0]
    return None


def _ld_text(value: object) -> str | None:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        name = value.get("name")
        return _clean(name) if isinstance(name, str) else None
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    return None


def _ld_names(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v)]
    if isinstance(value, dict):
        name = _clean(value.get("name")) if isinstance(value.get("name"), str) else None
        return [name] if name else []
    if isinstance(value, str):
        return [n for n in (_clean(x) for x in re.split(r"[,،]| و ", value)) if n]
    return []


def _in_junk(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        attrs = parent.attributes
        marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if parent.tag in ("footer", "aside", "nav") or _JUNK_CONTAINER.search(marker):
            return True
        parent = parent.parent
    return False


# ---------------------------------------------------------------- fields


def _strip_site(title: str, site: str | None, h1s: list[str]) -> str:
    """The headline without the ``| site name`` part: the part an ``<h1>`` repeats, else the longest."""
    norm_h1 = {normalize(h) for h in h1s}
    if normalize(title) in norm_h1:
        return title
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    for p in parts:
        if normalize(p) in norm_h1:
            return p.strip()
    if site:
        rest = [p for p in parts if normalize(site) not in normalize(p) and normalize(p) not in normalize(site)]
        if rest and len(rest) < len(parts):
            return " - ".join(x.strip() for x in rest)
    # a short end (or start) part of 1-4 words is the site's name
    if len(parts[-1].split()) <= 4 and len(parts[0].split()) > len(parts[-1].split()):
        return " - ".join(p.strip() for p in parts[:-1])
    if len(parts[0].split()) <= 4 and len(parts[-1].split()) > len(parts[0].split()):
        return " - ".join(p.strip() for p in parts[1:])
    return title


def _is_person_or_agency(name: str, site: str | None, host: str | None) -> bool:
    if len(name) > 80 or len(name.split()) > 6 or "http" in name or "@" in name or "/" in name:
        return False
    key = normalize(name).lower()
    if site and key in (normalize(site).lower(), normalize(site).lower().replace(" ", "")):
        return False
    if host and key.replace(" ", "") in host.lower():
        return False
    return True


def _as_date(value: str | None, reference: datetime | None) -> DateLike | None:
    """A machine-readable date (ISO 8601, or a plain dateline) from a page attribute."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parse_date(value, reference)
    if len(value) <= 10:
        return parsed.date()
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _plausible_date(value: DateLike | None, reference: datetime | None) -> DateLike | None:
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    latest = (reference or datetime.now(timezone.utc)).date()
    return value if date(1995, 1, 1) <= day <= latest.replace(year=latest.year + 1) else None


def _url_date(url: str | None) -> date | None:
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        m = pattern.search(path)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def _siblings(node: LexborNode, forward: bool, limit: int) -> list[str]:
    texts: list[str] = []
    sibling = node.next if forward else node.prev
    while sibling is not None and len(texts) < limit:
        text = _SPACE.sub(" ", sibling.text(deep=True, separator=" ") or "").strip()
        if text:
            texts.append(text)
        sibling = sibling.next if forward else sibling.prev
    return texts


def _near_headline_date(headline: LexborNode, reference: datetime | None) -> DateLike | None:
    """The dateline printed just below (or above) the headline, where news sites put it."""
    texts: list[str] = []
    node: LexborNode | None = headline
    for _ in range(3):  # the headline's own neighbours, then its parent's, then grandparent's
        if node is None or node.tag in ("body", "html"):
            break
        texts += _siblings(node, True, 3) + _siblings(node, False, 2)
        node = node.parent
    for text in texts:
        if len(text) <= 300:
            got = parse_date(text, reference)
            if got is not None:
                return got
    return None


def _visible_dates(tree: LexborHTMLParser, reference: datetime | None) -> list[DateLike]:
    """Dates written out in the page's header area: near the headline, in byline/date elements."""
    texts: list[str] = []
    for node in tree.css('time, [class*="date"], [class*="time"], [class*="byline"], [class*="meta"], [itemprop="datePublished"]'):
        if not _in_junk(node):
            texts.append(node.text(deep=True, separator=" ") or "")
    values = []
    for text in texts:
        text = _SPACE.sub(" ", text).strip()
        if 4 <= len(text) <= 200:
            got = parse_date(text, reference)
            if got is not None:
                values.append(got)
    return values


def _htmldate(html: str, tree: LexborHTMLParser, reference: datetime | None) -> date | None:
    """htmldate's answer, kept only when the page itself writes that day: given a page it can't
    read (Levantine, Maghrebi or Hijri months), htmldate falls back to a footer's "© 2023"."""
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; its answer is optional
        return None
    if not found:
        return None
    day = date.fromisoformat(found)
    if _plausible_date(day, reference) is None or not page_text_confirms(tree, day, reference):
        return None
    return day


def page_text_confirms(tree: LexborHTMLParser, day: date, reference: datetime | None) -> bool:
    """True when the page writes ``day`` somewhere outside its footer (htmldate's check)."""
    body = tree.body
    if body is None:
        return False
    text = body.text(deep=True, separator=" ")[:200_000]
    return any((m.value.date() if isinstance(m.value, datetime) else m.value) == day for m in find_dates(text))


def extract_meta(
    html: str, url: str | None = None, *, reference: datetime | None = None, tree: LexborHTMLParser | None = None
) -> PageMeta:
    """Everything the page says about itself, ``url`` being where it was fetched from.

    ``tree`` is the page already parsed, if it is (it is not changed).
    """
    if tree is None:
        tree = LexborHTMLParser(html)
    tags = _meta_tags(tree)
    ld = _json_ld(tree)
    art = ld[0] if ld else {}
    meta = PageMeta()

    # URL and source first: the site's name keeps it out of title and author.
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    meta.url = _absolute(href, url) or _absolute(_first(tags, "og:url"), url) or url
    host = urlsplit(meta.url).hostname if meta.url else None
    publisher = _ld_text(art.get("publisher")) if art else None
    meta.source = _clean(_first(tags, "og:site_name", "application-name", "al:android:app_name")) or publisher
    if meta.source is None and host:
        meta.source = host.removeprefix("www.")

    # Title
    h1_nodes = [h for h in tree.css("h1") if not _in_junk(h) and len((h.text(deep=True) or "").split()) >= 2]
    h1s = [_SPACE.sub(" ", h.text(deep=True, separator=" ")).strip() for h in h1_nodes]
    headline: LexborNode | None = None
    title_tag = tree.css_first("title")
    candidates = [
        _ld_text(art.get("headline")) if art else None,
        _clean(_first(tags, "og:title", "twitter:title")),
        _clean(title_tag.text()) if title_tag is not None else None,
    ]
    for node, h in zip(h1_nodes, h1s):
        if any(c and normalize(h) in normalize(c) for c in candidates):
            meta.title, headline = h, node
            break
    if meta.title is None:
        first = next((c for c in candidates if c), None)
        meta.title = _strip_site(first, meta.source, h1s) if first else (h1s[0] if h1s else None)

    # Author: JSON-LD, meta tags, byline elements outside comments; never the site itself.
    names = _ld_names(art.get("author")) if art else []
    names += [n for n in (_clean(x) for x in tags.get("author", []) + tags.get("article:author", []) + tags.get("dc.creator", []) + tags.get("parsely-author", [])) if n]
    for node in tree.css(_BYLINE_SELECTOR):
        if not _in_junk(node):
            text = _clean(node.text(deep=True, separator=" "))
            if not text or len(text.split()) > 16:
                continue
            byline = parse_byline(unglue(text), reference)
            if byline is not None and byline.author:
                names.append(byline.author)
            elif byline is None and len(text.split()) <= 6:
                names.append(text)
    for raw_name in names:
        name = clean_author(raw_name)
        if name and _is_person_or_agency(name, meta.source, host):
            meta.author = name
            break

    # Dates: stated machine-readable values first, then the URL, then the visible text.
    sources = [
        ("json-ld", art.get("datePublished") if art else None, art.get("dateModified") if art else None),
        ("meta", _first(tags, "article:published_time", "og:published_time", "published_time", "datepublished",
                        "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date",
                        "parsely-pub-date", "article.published"),
         _first(tags, "article:modified_time", "og:updated_time", "datemodified", "modified_time", "last-modified")),
    ]
    time_node = next(
        (n for n in tree.css("time[datetime], [itemprop='datePublished'], [property='dc:date'][content], "
                             "[property='article:published_time'][content]") if not _in_junk(n)),
        None,
    )
    if time_node is not None:
        sources.append(("time", time_node.attributes.get("datetime") or time_node.attributes.get("content"), None))
    for origin, pub, upd in sources:
        if meta.published is None:
            meta.published = _plausible_date(_as_date(pub if isinstance(pub, str) else None, reference), reference)
            meta.date_origin = origin if meta.published is not None else None
        if meta.updated is None:
            meta.updated = _plausible_date(_as_date(upd if isinstance(upd, str) else None, reference), reference)
    if meta.published is None:
        meta.published = _plausible_date(_url_date(meta.url), reference)
        meta.date_origin = "url" if meta.published is not None else None
    if meta.published is None and headline is not None:
        meta.published = _near_headline_date(headline, reference)
        meta.date_origin = "text" if meta.published is not None else None
    if meta.published is None:
        seen = _visible_dates(tree, reference)
        if seen:
            meta.published, meta.date_origin = seen[0], "text"
    if meta.published is None:
        meta.published = _htmldate(html, tree, reference)
        meta.date_origin = "htmldate" if meta.published is not None else None

    # The rest
    meta.section = _clean(_first(tags, "article:section", "section", "parsely-section")) or (
        _ld_text(art.get("articleSection")) if art else None
    )
    tag_values = tags.get("article:tag", []) + tags.get("news_keywords", []) + tags.get("keywords", [])
    if art and art.get("keywords"):
        kw = art["keywords"]
        tag_values += kw if isinstance(kw, list) else [str(kw)]
    seen_tags: dict[str, None] = {}
    for value in tag_values:
        for t in re.split(r"[,،;]", str(value)):
            t = t.strip()
            if t and len(t) <= 60:
                seen_tags.setdefault(t)
    meta.tags = list(seen_tags)
    meta.description = _clean(_first(tags, "og:description", "description", "twitter:description")) or (
        _ld_text(art.get("description")) if art else None
    )
    meta.image = _absolute(_first(tags, "og:image", "twitter:image") or (_ld_image(art.get("image")) if art else None), meta.url)
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    ld_lang = art.get("inLanguage") if art else None
    lang = lang or _first(tags, "content-language", "og:locale", "language") or (ld_lang if isinstance(ld_lang, str) else None)
    meta.lang = lang.strip().replace("_", "-").split("-")[0].lower() if isinstance(lang, str) and lang.strip() else None
    return meta


def _ld_image(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        url = value.get("url") or value.get("@id")
        return url if isinstance(url, str) else None
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    return None


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href or not href.strip():
        return None
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return href
    return urljoin(base, href) if base else None
