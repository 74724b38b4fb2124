"""marsad: raw Arabic news in, a clean, structured archive out."""

from __future__ import annotations

import logging
from datetime import datetime

from typing import TYPE_CHECKING, Any

from .article import Article, Entity, Origin, Quote, Removed, make_id
from .errors import ArchiveError, ConfigError, InputError, MarsadError, ModelError
from .pipeline import Step, chain

if TYPE_CHECKING:
    from .archive import Archive
    from .text.arabic import normalize
    from .text.dates import parse_date

# loaded on first use, so that a command that only reads the archive (``marsad search``) does not
# import the pipeline's steps, models and their libraries
_LAZY = {"Archive": ("archive", "Archive"), "normalize": ("text.arabic", "normalize"),
         "parse_date": ("text.dates", "parse_date")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Archive",
    "Article",
    "Entity",
    "ArchiveError",
    "ConfigError",
    "InputError",
    "MarsadError",
    "ModelError",
    "Origin",
    "Quote",
    "Removed",
    "entities",
    "normalize",
    "parse_date",
    "process_html",
    "process_text",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def process_text(
    text: str,
    url: str | None = None,
    source: str | None = None,
    *,
    crawled: datetime | None = None,
) -> Article:
    """One crawled-text document through the per-article pipeline, as ``marsad process`` would."""
    article = Article(id=make_id(url or "", text), raw=text, url=url, source=source, crawled=crawled)
    return _run_one(article)


def process_html(
    html: str | bytes,
    url: str | None = None,
    *,
    crawled: datetime | None = None,
    fast: bool = False,
) -> Article:
    """One HTML page through extraction and cleanup: main text and metadata, as ``marsad process``.

    Bytes are decoded as the reader decodes files (BOM, ``<meta charset>``, then detection).
    """
    from .steps.decode import decode_html

    page = decode_html(html, url or "<html>") if isinstance(html, bytes) else html
    article = Article(id=make_id(url or "", page), raw=page, format="html", url=url, crawled=crawled)
    return _run_one(article, fast=fast)


def entities(text: str) -> list[Entity]:
    """The named entities of ``text`` exactly as given (no cleanup), with offsets into it."""
    from .nlp.ner import entities as tag

    return tag(text)


_enricher: list[Step] = []


def _shared_enricher() -> Step:
    # one enricher per process: its models load once, on the first article
    if not _enricher:
        from .steps.enrich import ArticleEnricher

        _enricher.append(ArticleEnricher())
    return _enricher[0]


def _run_one(article: Article, *, fast: bool = False) -> Article:
    from .steps import default_steps

    steps = [*default_steps(fast=fast), _shared_enricher()]
    for step in steps:
        step.on_error = _reraise  # type: ignore[attr-defined]
    (out,) = chain([article], steps)
    return out


def _reraise(article: Article, step: str, exc: Exception) -> None:
    raise exc
