"""Adapters for the peer extractors a user would otherwise pick, with one result shape.

``marsad eval extraction --peers`` runs each peer on the same HTML bytes as marsad and scores the
:class:`Extraction` it returns. Each adapter runs its peer as a user would (default settings), and
lets the peer decode the bytes itself wherever it accepts bytes, so that its own charset handling is
part of what is measured. Peers are imported only when run: importing this module costs nothing.

A peer that fails on a page gives an empty extraction (text ``""``), so one broken page cannot stop an
evaluation run; a peer that is not installed raises :class:`ConfigError` with the ``pip install`` line.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import ConfigError

__all__ = ["PEERS", "Extraction", "available_peers", "run_peer"]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Extraction:
    """What one extractor found on one page."""

    title: str | None
    author: str | None
    date: str | None  # "YYYY-MM-DD" or None
    text: str  # main text, paragraphs separated by "\n"


PeerFn = Callable[[bytes, str | None], Extraction]

# name -> (modules the adapter imports, the line that installs them)
_REQUIRES: dict[str, tuple[tuple[str, ...], str]] = {
    "trafilatura": (("trafilatura",), "pip install trafilatura"),
    "readability": (("readability.readability", "lxml.html"), "pip install readability-lxml"),
    "resiliparse": (("resiliparse.parse.html", "resiliparse.extract.html2text"), "pip install resiliparse"),
    # newspaper4k reads Arabic through nltk's ISRI stemmer: without nltk it fails on every Arabic page.
    "newspaper4k": (("newspaper", "nltk", "w3lib.encoding"), "pip install 'newspaper4k[nlp]'"),
}

# newspaper4k needs a URL; this one is never fetched (the HTML is handed over, image fetching is off).
_PLACEHOLDER_URL = "http://example.com/"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Elements whose boundaries end a paragraph when readability's summary HTML is flattened to text.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header"
    " hr li main nav ol p pre section table td th tr ul".split()
)


def _empty() -> Extraction:
    return Extraction(title=None, author=None, date=None, text="")


def _tidy(text: str) -> str:
    """One paragraph a line: white space inside a line collapsed, blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _iso_date(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        match = _ISO_DATE.match(value.strip())
        return match.group() if match else None
    return None


def _require(name: str) -> None:
    modules, install = _REQUIRES[name]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(f"peer {name!r} is not installed ({exc}); install it with: {install}") from exc


def _guarded(name: str, run: PeerFn, html: bytes, url: str | None) -> Extraction:
    """Run one peer on one page: a missing package is the user's to fix, a failure on the page scores empty."""
    _require(name)
    if not html.strip():
        return _empty()
    try:
        return run(html, url or None)
    except ImportError as exc:  # an optional module the peer loads only for some pages
        raise ConfigError(f"peer {name!r} needs a missing package ({exc}); install it with: {_REQUIRES[name][1]}") from exc
    except Exception as exc:  # noqa: BLE001  # third-party code: any failure on a page is an empty result
        logger.debug("peer %s failed on %s: %s: %s", name, url or "a page", type(exc).__name__, exc)
        return _empty()


def _run_trafilatura(html: bytes, url: str | None) -> Extraction:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return _empty()
    found = doc if isinstance(doc, dict) else doc.as_dict()
    return Extraction(
        title=_field(found.get("title")),
        author=_field(found.get("author")),
        date=_iso_date(found.get("date")),
        text=_tidy(found.get("text") or ""),
    )


def _summary_text(summary: str) -> str:
    """readability's summary HTML as text, a line per block element (``text_content`` alone runs them together)."""
    import lxml.html

    root = lxml.html.fromstring(summary)
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _run_readability(html: bytes, url: str | None) -> Extraction:
    from readability.readability import Document

    doc = Document(html, url=url)  # bytes: readability finds the charset (meta, then chardet) itself
    title = doc.short_title()  # before summary(), which prunes the tree it parsed
    return Extraction(title=_field(title), author=None, date=None, text=_summary_text(doc.summary()))


def _run_resiliparse(html: bytes, url: str | None) -> Extraction:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    # from_html_meta: trust the page's declared charset when it has one, else uchardet guesses
    # (with WHATWG names on, as here, it falls back to utf-8 rather than None).
    encoding = detect_encoding(html, from_html_meta=True) or "utf-8"
    tree = HTMLTree.parse_from_bytes(html, encoding)
    text = extract_plain_text(tree, main_content=True)
    return Extraction(title=_field(tree.title), author=None, date=None, text=_tidy(text))


def _run_newspaper4k(html: bytes, url: str | None) -> Extraction:
    from newspaper import Article
    from w3lib.encoding import html_to_unicode

    # download(input_html=...) takes text only: decode as newspaper4k decodes a fetched page with no headers.
    _, page = html_to_unicode(None, html, default_encoding="utf-8")
    # fetch_images=False: by default parse() downloads the page's images to size them.
    article = Article(url or _PLACEHOLDER_URL, language="ar", fetch_images=False)
    article.download(input_html=page)
    article.parse()
    authors = [name for name in (_field(a) for a in article.authors) if name]
    return Extraction(
        title=_field(article.title),
        author="، ".join(authors) or None,
        date=_iso_date(article.publish_date),
        text=_tidy(article.text or ""),
    )


def _adapter(name: str, run: PeerFn) -> PeerFn:
    def adapter(html: bytes, url: str | None) -> Extraction:
        return _guarded(name, run, html, url)

    adapter.__name__ = f"extract_{name}"
    adapter.__doc__ = f"Run {name} on ``html`` as a user would; an empty extraction if it fails on the page."
    return adapter


PEERS: dict[str, PeerFn] = {
    "trafilatura": _adapter("trafilatura", _run_trafilatura),
    "readability": _adapter("readability", _run_readability),
    "resiliparse": _adapter("resiliparse", _run_resiliparse),
    "newspaper4k": _adapter("newspaper4k", _run_newspaper4k),
}


def available_peers() -> list[str]:
    """The peers whose packages import here (importing them, so a same-named other package is not taken for one)."""
    found = []
    for name in PEERS:
        try:
            _require(name)
        except ConfigError:
            continue
        found.append(name)
    return found


def run_peer(name: str, html: bytes, url: str | None) -> Extraction:
    """Run peer ``name`` on one page; :class:`ConfigError` if it is unknown or not installed."""
    try:
        peer = PEERS[name]
    except KeyError:
        raise ConfigError(f"unknown peer {name!r}; known peers: {', '.join(PEERS)}") from None
    return peer(html, url)
