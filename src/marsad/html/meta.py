"""Metadata of a news page: JSON-LD, meta tags, ``<time>``, bylines and the URL, cross-checked.

Every value is taken from what the page states; a date that cannot be read is left null rather
than guessed (htmldate is consulted last, and its answer is kept only if the page confirms it).
The writer is read from bylines, JSON-LD and meta tags by :mod:`marsad.html.authors`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.arabic import normalize
from ..text.bylines import is_site_name
from ..text.dates import find_dates, parse_date
from .authors import clean_text, off_story, page_author
from .dom import css_once

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "blogposting", "backgroundnewsarticle", "reviewnewsarticle", "livebloggposting", "liveblogposting",
}
# Between a headline and the site's name; a colon is not one (it opens a headline: "Nordkorea: Kim ...").
_TITLE_SEPARATORS = re.compile(r"(\s+(?:\||-|–|—|::|»|«|•|·|~)\s+|\s*\|\s*)")
# What joins a headline to its subtitle in an <h1> ("Saftiger Zitronenkuchen vom Blech: einfach köstlich!")
_SUBTITLE = re.compile(r"^\s*[:,.!?–—-]\s*\w")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_GENERIC_TITLES = frozenset(
    "home homepage startseite accueil inicio index untitled الرئيسية الصفحة الرئيسية الصفحه الرئيسيه".split()
) | {"الصفحة الرئيسية", "الصفحه الرئيسيه", "home page"}
# An <h1> that holds the site's logo or name, not the story's headline.
_BRANDING = re.compile(r"logo|brand|site-?title|site-?name|sitename|masthead|navbar|header-title", re.I)
_URL_DATE = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})[/_-]([01]?[0-9])[/_-]([0-3]?[0-9])(?![0-9])")
_URL_DATE_COMPACT = re.compile(r"(?<![0-9])(20[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])")
_JUNK_CONTAINER = re.compile(r"comment|related|sidebar|footer|widget|most-?read|popular|teaser|recommend", re.I)
_SPACE = re.compile(r"\s+")
#: elements whose text no reader sees (a build stamp, a config's dates)
_NOT_SHOWN = ("script", "style", "noscript", "template")
_RFC2822 = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d(?::\d\d)? (?:[+-]\d{4}|GMT|UT)$")

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


# ---------------------------------------------------------------- sources of metadata


def _json_ld(tree: LexborHTMLParser, ids: dict[str, dict[str, object]] | None = None) -> list[dict[str, object]]:
    """Article-like JSON-LD objects, the outermost first (``@graph`` and lists flattened).

    ``ids``, if given, receives every object that has an ``@id`` (a Yoast graph names its author
    by reference: ``"author": {"@id": "…#/schema/person/…"}``).
    """
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if ids is not None and isinstance(node.get("@id"), str) and len(node) > 1:
                ids.setdefault(node["@id"], node)
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
        return clean_text(value)
    if isinstance(value, dict):
        name = value.get("name")
        return clean_text(name) if isinstance(name, str) else None
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    return None


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


def _site_names(tags: dict[str, list[str]], publisher: str | None) -> list[str]:
    """What the page calls its site: ``og:site_name``, app names, the JSON-LD publisher."""
    names = []
    for key in ("og:site_name", "application-name", "al:android:app_name", "al:ios:app_name", "apple-mobile-web-app-title"):
        names += tags.get(key, [])
    if publisher:
        names.append(publisher)
    out = []
    for name in names:
        name = clean_text(name) or ""
        if name.startswith(("http://", "https://")):
            name = (urlsplit(name).hostname or "").removeprefix("www.")
        if name and len(name.split()) <= 8:
            out.append(name)
    return out


def _split_title(title: str) -> list[str]:
    """``title`` cut at its separators, the separators kept: ``[part, sep, part, ...]``."""
    return _TITLE_SEPARATORS.split(title)


def _strip_site(title: str, sites: list[str], host: str | None, *, guess: bool = False) -> tuple[str, list[str]]:
    """The headline without the site's name at either end, and the parts taken off.

    A part goes when it is the site's name (:func:`is_site_name`); with ``guess`` (a ``<title>``,
    which sites fill for search engines) a short last part goes too, as the site's name usually is.
    """
    pieces = _split_title(title)
    removed: list[str] = []
    # a bare domain (petri-heil.ch, FASSETTE.NET) names the site, and what follows it is the site's too
    domain = next((j for j in range(2, len(pieces), 2) if _DOMAIN.match(pieces[j].strip())), None)
    if domain is not None:
        removed.append("".join(pieces[domain:]).strip())
        pieces = pieces[: domain - 1]
    while len(pieces) >= 3:
        # the site's name may hold a separator itself ("AOC media - Analyse Opinion Critique")
        for n in range(len(pieces) // 2, 0, -1):
            tail, head = "".join(pieces[-(2 * n - 1):]), "".join(pieces[: 2 * n - 1])
            if is_site_name(tail, sites, host):
                removed.append(tail.strip())
                pieces = pieces[: -2 * n]
                break
            if is_site_name(head, sites, host) or _DOMAIN.match(head.strip()):
                removed.append(head.strip())
                pieces = pieces[2 * n:]
                break
        else:
            break
    # a <title>'s short last parts are the site's name and its section ("… | iPhone | Forum")
    limit = 2 if removed else 4
    while guess and len(pieces) >= 3:
        last, rest = pieces[-1], "".join(pieces[:-2])
        if len(last.split()) > limit or len(rest.split()) < max(2, 3 * len(last.split()) if removed else len(last.split()) + 1):
            break
        removed.append(last.strip())
        pieces = pieces[:-2]
        limit = 2
    return "".join(pieces).strip(), removed


def _usable_title(text: str | None, sites: list[str], host: str | None) -> bool:
    if not text:
        return False
    key = normalize(text).casefold().strip(" .:-|")
    return key not in _GENERIC_TITLES and not is_site_name(text, sites, host)


def _is_branding(node: LexborNode, host: str | None) -> bool:
    """An ``<h1>`` that is the site's logo or name: so classed, or a link to the home page."""
    walk: LexborNode | None = node
    for _ in range(3):
        if walk is None or walk.tag in ("body", "html"):
            break
        attrs = walk.attributes
        if _BRANDING.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            return True
        walk = walk.parent
    links = node.css("a[href]")
    if len(links) == 1 and (links[0].text(deep=True) or "").strip() == (node.text(deep=True) or "").strip():
        attrs = links[0].attributes
        href = (attrs.get("href") or "").strip()
        path = urlsplit(href).path if href else ""
        same_host = not urlsplit(href).hostname or (host and (urlsplit(href).hostname or "").removeprefix("www.") == host.removeprefix("www."))
        if attrs.get("rel") == "home" or (same_host and path in ("", "/", "/index.html", "/index.php")):
            return True
    return False


def _headline(
    tree: LexborHTMLParser, candidates: list[tuple[str, str]], sites: list[str], host: str | None
) -> tuple[str | None, LexborNode | None, list[str]]:
    """The headline, the ``<h1>`` that shows it (if one does), and the site-name parts its sources carried.

    An ``<h1>`` the page's own title data agrees with wins (as printed); then JSON-LD or ``og:title``
    without the site's name; then the ``<title>``, unless it is only the site's name or a lone
    ``<h1>`` says something else (the ``<title>`` is what search engines get).
    """
    h1s: list[tuple[LexborNode, str]] = []
    for node in tree.css("h1"):
        text = clean_text(node.text(deep=True, separator=" "))
        if not text or off_story(node, None, classes=False):
            continue
        if _is_branding(node, host):
            sites = [*sites, text] if len(text.split()) <= 8 else sites  # the logo's words are the site's name
        elif not is_site_name(text, sites, host):
            h1s.append((node, text))
    # an <h1> that repeats a title's last part, after a longer first one, is the site's name
    for node, h in list(h1s):
        for _, c in candidates:
            parts = [normalize(part) for part in _split_title(c)[::2]]
            if len(parts) >= 2 and normalize(h) == parts[-1] != parts[0] and len(parts[0]) > len(parts[-1]):
                sites = [*sites, h]
                h1s.remove((node, h))
                break
    stripped = [(kind, c, *_strip_site(c, sites, host, guess=kind == "title")) for kind, c in candidates]
    for _, c, bare, _ in stripped:
        for node, h in h1s:
            if normalize(h) in (normalize(c), normalize(bare)):
                return h, node, _suffixes(stripped)
    for _, c, bare, _ in stripped:
        whole, short = normalize(c), normalize(bare)
        for node, h in h1s:
            key = normalize(h)
            if len(key) >= 8 and key in whole and len(key) >= 0.4 * len(short):
                return h, node, _suffixes(stripped)
            if len(short.split()) >= 2 and key.startswith(short) and _SUBTITLE.match(key[len(short):]):
                return h, node, _suffixes(stripped)  # the headline with its subtitle
    for kind, _, bare, _ in stripped:
        if kind != "title" and _usable_title(bare, sites, host):
            return bare, None, _suffixes(stripped)
    for kind, _, bare, _ in stripped:
        if kind == "title" and _usable_title(bare, sites, host):
            if len(h1s) == 1:
                return h1s[0][1], h1s[0][0], _suffixes(stripped)
            return bare, None, _suffixes(stripped)
    if h1s:
        return h1s[0][1], h1s[0][0], _suffixes(stripped)
    return None, None, _suffixes(stripped)


def _suffixes(stripped: list[tuple[str, str, str, list[str]]]) -> list[str]:
    return [part for *_, removed in stripped for part in removed]


def _as_date(value: str | None, reference: datetime | None) -> DateLike | None:
    """A machine-readable date (ISO 8601, or a plain dateline) from a page attribute."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        if not _RFC2822.match(value):
            return parse_date(value, reference)
        try:  # the e-mail form, with its offset (Sat, 19 Oct 2019 00:04:00 +0200)
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
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


def _local_form(held: DateLike, other: DateLike | None) -> bool:
    """``other`` is the moment ``held`` gives in UTC, written with a local offset."""
    return (isinstance(held, datetime) and isinstance(other, datetime) and held.utcoffset() == timedelta(0)
            and other.utcoffset() not in (None, timedelta(0)) and abs(held - other) <= timedelta(minutes=1))


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
        text = "" if sibling.tag in _NOT_SHOWN else \
            _SPACE.sub(" ", sibling.text(deep=True, separator=" ") or "").strip()
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
    for node in css_once(tree, 'time, [class*="date"], [class*="time"], [class*="byline"], [class*="meta"], [itemprop="datePublished"]'):
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
        # its extensive search reads dates in running text too ("15. September 2009"); what it guesses
        # from a bare year ("© 2021" gives the first of January) no page writes, so it is not confirmed
        found = find_date(html, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; its answer is optional
        return None
    if not found:
        return None
    day = date.fromisoformat(found)
    if _plausible_date(day, reference) is None:
        return None
    # a timestamp of that day in a date attribute or a script's date field states it as well as the
    # text does (not one in a link, a build stamp): a day guessed from a bare year has no time of day
    if not timestamp_stated(html, found) and not page_text_confirms(tree, day, reference):
        return None
    return day


def timestamp_stated(html: str, day: str) -> bool:
    """The markup states the day ``day`` (ISO) with a time of day, in a date attribute (``content=``,
    ``datetime=``) or in a script's date field (``"datePublished": "…"``, ``"published_at": "…"``),
    and not at midnight, which a default or a day alone gives."""
    return re.search(rf"""(?:\b(?:content|datetime)\s*=\s*["']|"[\w-]*(?:date|publish|creat)[\w-]*"\s*:\s*"){re.escape(day)}"""
                     r"T(?!00:00(?::00)?(?!\.\d*[1-9]))\d\d:\d\d", html, re.I) is not None


def page_text_confirms(tree: LexborHTMLParser, day: date, reference: datetime | None) -> bool:
    """True when the page writes ``day`` somewhere (htmldate's check): in any of the forms marsad
    reads, or in a Latin-script one (:func:`latin_writes`)."""
    body = tree.body
    if body is None:
        return False
    visible = LexborHTMLParser(body.html or "")  # a copy: the tree is not changed
    visible.strip_tags(list(_NOT_SHOWN))
    text = visible.body.text(deep=True, separator=" ")[:200_000] if visible.body is not None else ""
    # a year in two digits (26.10.13) is searched for in the whole text: "13" alone is everywhere; day
    # and month in two digits each, for a version number is dotted too (1.2.13)
    if re.search(rf"(?<![\w.]){day.day:02d}\.{day.month:02d}\.{day.year % 100:02d}(?!\d|\.\d)", text):
        return True
    return any(
        latin_writes(part, day) or any((m.value.date() if isinstance(m.value, datetime) else m.value) == day
                                       for m in find_dates(part))
        for part in _around_year(text, day)
    )


def latin_writes(text: str, day: date) -> bool:
    """``text`` writes ``day`` with its day, month and year in a Latin-script form: in digits
    (2009-09-15, 2009/9/15, 15.09.2009, 15/09/2009, 09/15/2009, 15.09.09) or with a month's name in
    one of htmldate's languages (15 September 2009, September 15th, 2009, 15. September 2009,
    15 septembre 2009), read by htmldate's own parser."""
    y, m, d = day.year, day.month, day.day
    text = _SPACE.sub(" ", text)  # a no-break space between day, month and year (11.&nbsp;November 2021)
    digits = (rf"(?<!\d){y}[-/.]0?{m}[-/.]0?{d}(?!\d)",
              rf"(?<!\d)0?{d}(?:[-/.]\s?| \| )0?{m}(?:[-/.]\s?| \| )(?:{y}|{y % 100:02d})(?!\d)",
              rf"(?<!\d)0?{m}/0?{d}/(?:{y}|{y % 100:02d})(?!\d)")
    if any(re.search(p, text) for p in digits):
        return True
    try:
        from htmldate.extractors import regex_parse
    except ImportError:  # an htmldate without it: the digits only
        return False
    for at in (i.start() for i in re.finditer(str(y), text)):
        stretch = text[max(0, at - 40): at + 4]
        starts = [0] + [i.end() for i in re.finditer(r"\s+", stretch)]
        if any((got := regex_parse(stretch[i:])) is not None and got.date() == day for i in starts):
            return True
    return False


_DIGIT_FORMS = (str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _around_year(text: str, day: date) -> list[str]:
    """The stretches of ``text`` that can write ``day``: without a reference, a date is read only with
    its year (Gregorian or Hijri, in any digits), so only the text around that year is searched (a
    page's whole text costs milliseconds to scan). Each stretch starts and ends at a space."""
    years = [str(day.year)]
    try:
        from hijridate import Gregorian

        years.append(str(Gregorian(day.year, day.month, day.day).to_hijri().year))
    except (OverflowError, ValueError):
        pass
    spans: list[tuple[int, int]] = []
    for year in years:
        for form in (year, year.translate(_DIGIT_FORMS[0]), year.translate(_DIGIT_FORMS[1])):
            at = text.find(form)
            while at >= 0:
                spans.append((max(0, at - 120), at + len(form) + 80))
                at = text.find(form, at + 1)
    spans.sort()
    parts: list[str] = []
    start, end = -1, -1
    past = len(text) + 1_000
    for lo, hi in [*spans, (past, past)]:
        if lo > end:
            if end > start:
                # widen to the spaces around, so no number is cut in two
                a = text.rfind(" ", 0, start) + 1 if start > 0 else 0
                b = text.find(" ", end)
                parts.append(text[a: b if b >= 0 else len(text)])
            start, end = lo, hi
        else:
            end = max(end, hi)
    return parts


def extract_meta(
    html: str, url: str | None = None, *, reference: datetime | None = None, tree: LexborHTMLParser | None = None
) -> PageMeta:
    """Everything the page says about itself, ``url`` being where it was fetched from.

    ``tree`` is the page already parsed, if it is (it is not changed).
    """
    if tree is None:
        tree = LexborHTMLParser(html)
    tags = _meta_tags(tree)
    ids: dict[str, dict[str, object]] = {}
    ld = _json_ld(tree, ids)
    art = ld[0] if ld else {}
    meta = PageMeta()

    # URL and source first: the site's name keeps it out of title and author.
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    meta.url = _absolute(href, url) or _absolute(_first(tags, "og:url"), url) or url
    host = urlsplit(meta.url).hostname if meta.url else None
    publisher = _ld_text(art.get("publisher")) if art else None
    meta.source = clean_text(_first(tags, "og:site_name", "application-name", "al:android:app_name")) or publisher
    if meta.source is None and host:
        meta.source = host.removeprefix("www.")

    # Title
    title_tag = tree.css_first("title")
    candidates = [
        (kind, text) for kind, text in (
            ("json-ld", _ld_text(art.get("headline")) if art else None),
            ("og", clean_text(_first(tags, "og:title"))),
            ("twitter", clean_text(_first(tags, "twitter:title"))),
            ("title", clean_text(title_tag.text()) if title_tag is not None else None),
        ) if text
    ]
    sites = [s for s in _site_names(tags, publisher) if not any(normalize(s) == normalize(c) for _, c in candidates)]
    meta.title, headline, suffixes = _headline(tree, candidates, sites, host)

    # Author: never the site, known by its names and by what the title carried besides the headline.
    meta.author = page_author(tree, tags, art, ids, headline, sites + suffixes, host, reference)

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
        stated = _plausible_date(_as_date(pub if isinstance(pub, str) else None, reference), reference)
        if meta.published is None:
            meta.published = stated
            meta.date_origin = origin if meta.published is not None else None
        elif _local_form(meta.published, stated):
            # the same moment written in the publisher's own time zone: its day is the page's day
            meta.published = stated
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
    meta.section = clean_text(_first(tags, "article:section", "section", "parsely-section")) or (
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
    meta.description = clean_text(_first(tags, "og:description", "description", "twitter:description")) or (
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
