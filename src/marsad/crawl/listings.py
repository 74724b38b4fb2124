"""What a source lists: the entries of feeds and sitemaps, and the links of a site's pages.

feedparser reads RSS and Atom (and the broken feeds of the web, as far as they can be read); lxml reads
sitemaps as a stream, so a sitemap of 50,000 URLs costs the memory of one entry at a time. What is ours
is telling which links of a home page are articles: a link on the same site whose address carries a
date, a long number or a slug of several words, and that is not a section, tag, author or search page.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from ..errors import InputError


def join(base: str, link: str) -> str | None:
    """``link`` made absolute against ``base``; None for an address that cannot be one (``http://[x``)."""
    try:
        url = urljoin(base, link.strip())
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a malformed port or IPv6 host
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(slots=True, frozen=True)
class Entry:
    """An article URL as a listing gives it, with the dates it gives (hints, not the page's own)."""

    url: str
    published: datetime | None = None
    updated: datetime | None = None


def sniff(content: bytes, content_type: str = "") -> str:
    """What a fetched listing is: ``rss``, ``atom``, ``sitemap``, ``sitemapindex``, ``html`` or ``unknown``."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if b"<urlset" in head:
        return "sitemap"
    if b"<sitemapindex" in head:
        return "sitemapindex"
    if b"<rss" in head or b"<rdf:rdf" in head:
        return "rss"
    if b"<feed" in head:
        return "atom"
    if b"<html" in head or b"<!doctype html" in head or "html" in content_type:
        return "html"
    if "xml" in content_type or head.startswith(b"<?xml"):
        # an XML listing whose root is past the first 4 KB (a long comment) or broken
        text = content[:65536].lower()
        for marker, kind in ((b"<urlset", "sitemap"), (b"<sitemapindex", "sitemapindex"), (b"<rss", "rss"), (b"<feed", "atom")):
            if marker in text:
                return kind
        return "xml"
    if content_type.startswith("text/plain") and head.startswith(b"http"):
        return "sitemaptxt"
    return "unknown"


def _when(parsed: object) -> datetime | None:
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]  # type: ignore[index]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_feed(content: bytes, url: str, content_type: str = "application/xml") -> tuple[list[Entry], str | None]:
    """The entries of an RSS or Atom feed, and a warning when the feed is broken but still read.
    A feed nothing can be read from raises :class:`InputError` (``malformed_feed``)."""
    import feedparser

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    entries: list[Entry] = []
    for item in parsed.entries:
        link = item.get("link") or next((x.get("href") for x in item.get("links", ()) if x.get("href")), None)
        if not link:
            continue
        # dict.get: feedparser's own get() maps a missing date to another (with a deprecation warning)
        published = _when(dict.get(item, "published_parsed")) or _when(dict.get(item, "created_parsed"))
        updated = _when(dict.get(item, "updated_parsed"))
        absolute = join(url, link)
        if absolute:
            entries.append(Entry(absolute, published or updated, updated))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        problem = None  # a charset or type the server mislabelled: the feed itself is sound
    if problem is not None and not entries:
        raise InputError(f"{url}: malformed feed: {str(problem).strip() or type(problem).__name__}", reason="malformed_feed")
    if not entries and not parsed.get("version"):
        raise InputError(f"{url}: not a feed (no RSS or Atom root)", reason="malformed_feed")
    return entries, (f"{url}: broken feed, read as far as it goes: {problem}" if problem is not None else None)


_W3C = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_w3c_date(value: str | None) -> datetime | None:
    """A sitemap's date (W3C datetime: ``2026-03-14``, ``2026-03-14T09:30:00+03:00``), in UTC."""
    if not value:
        return None
    match = _W3C.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
        when = datetime.fromisoformat(text)
        if zone and zone != "Z":
            zone = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
            when = datetime.fromisoformat(text + zone)
        else:
            when = when.replace(tzinfo=UTC)
    except ValueError:
        return None
    return when.astimezone(UTC)


def parse_sitemap(content: bytes, url: str) -> tuple[str, Iterator[Entry]]:
    """``("sitemapindex", child sitemaps)`` or ``("sitemap", article URLs)``, read as a stream (for a
    news sitemap, ``news:publication_date`` is the entry's date; else ``lastmod``). An invalid sitemap
    raises :class:`InputError` (``invalid_sitemap``), at once or while its entries are read."""
    from lxml import etree

    head = content[:65536].lower()
    kind = "sitemapindex" if b"<sitemapindex" in head else "sitemap" if b"<urlset" in head else None
    if kind is None:
        if content.lstrip()[:4].lower() == b"http":  # a text sitemap: one URL a line
            lines = content.decode("utf-8", "replace").split()
            return "sitemap", iter([Entry(u) for u in (join(url, line) for line in lines if line.startswith("http")) if u])
        raise InputError(f"{url}: not a sitemap (no <urlset> or <sitemapindex>)", reason="invalid_sitemap")

    def entries() -> Iterator[Entry]:
        item = "sitemap" if kind == "sitemapindex" else "url"
        try:
            for _, element in etree.iterparse(io.BytesIO(content), events=("end",), resolve_entities=False,
                                              no_network=True, huge_tree=False, recover=False):
                if etree.QName(element).localname != item:
                    continue
                loc = published = lastmod = None
                for child in element.iter():
                    if not isinstance(child.tag, str):
                        continue
                    name = etree.QName(child).localname
                    text = (child.text or "").strip()
                    if name == "loc" and loc is None:
                        loc = text
                    elif name == "publication_date":
                        published = parse_w3c_date(text)
                    elif name == "lastmod":
                        lastmod = parse_w3c_date(text)
                element.clear()
                absolute = join(url, loc) if loc else None
                if absolute:
                    yield Entry(absolute, published or lastmod, lastmod)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{url}: invalid sitemap: {exc}", reason="invalid_sitemap") from exc

    return kind, entries()


#: where sites keep their feeds and sitemaps when they do not say (WordPress, Blogger, Drupal, Ghost...)
FEED_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feeds/posts/default")
SITEMAP_PATHS = ("/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml", "/sitemap_index.xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


def site_host(url: str) -> str:
    """A URL's host (and port), ``www.`` aside: what names a site."""
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def same_site(a: str, b: str) -> bool:
    """Two URLs on one site: the same host, ``www.`` aside."""
    return site_host(a) == site_host(b)


def site_name(body: bytes) -> str | None:
    """The name a site gives itself in a page or feed: ``og:site_name``, a feed's title, else the first
    part of a page's ``<title>``."""
    text = body[:200_000].decode("utf-8", "replace")
    for pattern in (r'<meta[^>]+property=["\']og:site_name["\'][^>]+content=["\']([^"\']+)',
                    r'<meta[^>]+content=["\']([^"\']+)["\'][^>]+property=["\']og:site_name',
                    r"<channel>.*?<title>(?:<!\[CDATA\[)?([^<\]]+)", r"<feed[^>]*>.*?<title[^>]*>([^<]+)"):
        match = re.search(pattern, text, re.IGNORECASE | re.DOTALL)
        if match and match.group(1).strip():
            return html.unescape(match.group(1).strip())[:80]
    match = re.search(r"<title[^>]*>([^<]+)</title>", text, re.IGNORECASE)
    if match:  # a home page's title: the site's name, then perhaps a slogan
        name = re.split(r"\s+[|\-–—:]\s+", html.unescape(match.group(1)).strip())[0].strip()
        return name[:80] or None
    return None


_DATE_PATH = re.compile(r"/(19|20)\d{2}[/-](0?[1-9]|1[0-2])([/-]|$)|/(19|20)\d{6}/")
_LONG_NUMBER = re.compile(r"(?<![\d.])\d{4,}(?![\d.])")
_NOT_ARTICLE = re.compile(
    r"/(tags?|categor(y|ies)|sections?|topics?|authors?|writers?|page|search|login|register|signup|subscribe|about|"
    r"contact|privacy|terms|feed|rss|sitemap|gallery|photos|live|wp-admin|wp-login|cdn-cgi)(/|$)",
    re.IGNORECASE)
_FILE = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|zip|rar|mp3|mp4|avi|mov|css|js|json|xml|rss|ico|woff2?|ttf|exe|apk)$",
                   re.IGNORECASE)


def looks_like_article(url: str) -> bool:
    """An address shaped like one article's: a date or a long id in it, or a slug of several words;
    never a section, tag, author, search, media or legal page."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False
    path = unquote(parts.path)
    if path.strip("/") == "" and not parts.query or _FILE.search(path) or _NOT_ARTICLE.search(path):
        return False
    if _DATE_PATH.search(path):
        return True
    if _LONG_NUMBER.search(path) or any(k.lower() in ("id", "p", "nid", "newsid", "articleid", "article") and
                                        v.isdigit() for k, v in parse_qsl(parts.query)):
        return True
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return len(re.split(r"[-_]+", last)) >= 3 or len(last) >= 40


def page_links(html: str, url: str) -> tuple[list[str], list[str]]:
    """The feeds a page declares (``<link rel="alternate">``), and its links to articles of its own site,
    in page order without repeats."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = join(url, base_node.attributes.get("href") or "") or url
    feeds: list[str] = []
    for node in tree.css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower()
        if "alternate" in rel and kind in _FEED_TYPES:
            link = join(base, node.attributes.get("href") or "")
            if link and link not in feeds:
                feeds.append(link)
    articles: list[str] = []
    seen: set[str] = set()
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        joined = join(base, href)
        if joined is None:
            continue
        link = joined.split("#", 1)[0]
        if link in seen or not same_site(link, url) or not looks_like_article(link):
            continue
        seen.add(link)
        articles.append(link)
    return feeds, articles
