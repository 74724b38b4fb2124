"""The one record that flows through the pipeline: :class:`Article`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: A date that may carry a time: a day when the source gives only a day, an aware datetime otherwise.
DateLike = date | datetime


@dataclass(slots=True, frozen=True)
class Removed:
    """A line that cleanup removed from the body, and why (nothing is dropped silently)."""

    line: str
    reason: str


@dataclass(slots=True, frozen=True)
class Origin:
    """Where an article came from: the input file, and the line, record or offset within it."""

    path: str
    record: int | None = None

    def __str__(self) -> str:
        return self.path if self.record is None else f"{self.path}:{self.record}"


@dataclass(slots=True)
class Article:
    """One news article, from raw input to enriched record.

    ``raw`` holds the input text before cleanup; ``text`` the clean body once cleanup ran.
    """

    id: str
    raw: str
    #: what ``raw`` is: "text" (a crawler's text dump) or "html" (a page)
    format: str = "text"
    origin: Origin | None = None
    url: str | None = None
    #: the URL the page names as its own (``<link rel=canonical>``, ``og:url``)
    canonical_url: str | None = None
    source: str | None = None
    title: str | None = None
    author: str | None = None
    published: DateLike | None = None
    updated: DateLike | None = None
    crawled: datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    #: the language the page declares (``<html lang>``, meta), not the detected one
    page_lang: str | None = None
    text: str = ""
    boilerplate: list[Removed] = field(default_factory=list)
    #: for experiments only; promote a key to a field once it is stable
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The JSON form written by ``marsad process`` (dates in ISO 8601)."""
        return {
            "id": self.id,
            "origin": str(self.origin) if self.origin else None,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "source": self.source,
            "title": self.title,
            "author": self.author,
            "published": _iso(self.published),
            "updated": _iso(self.updated),
            "crawled": _iso(self.crawled),
            "section": self.section,
            "tags": self.tags,
            "description": self.description,
            "image": self.image,
            "page_lang": self.page_lang,
            "text": self.text,
            "boilerplate": [{"line": r.line, "reason": r.reason} for r in self.boilerplate],
        }


def _iso(value: DateLike | None) -> str | None:
    return value.isoformat() if value is not None else None


def make_id(*parts: str) -> str:
    """A stable 16-hex id from the article's origin (or text, when it has none)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8)
    return digest.hexdigest()
