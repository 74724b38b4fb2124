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


@dataclass(slots=True, frozen=True)
class Entity:
    """A named entity: a span of the text it was found in (character offsets, end exclusive).

    ``canonical`` is the name without attached clitics (و، ب، ل، ...) and without an article
    prefix that is not part of the name: ``وبالمغرب`` → ``المغرب``.
    """

    text: str
    #: PER, ORG, LOC or MISC
    label: str
    start: int
    end: int
    canonical: str

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "label": self.label, "start": self.start, "end": self.end,
                "canonical": self.canonical}


@dataclass(slots=True, frozen=True)
class Quote:
    """A quotation: direct (between quote marks) or reported (after a reporting verb).

    Offsets are those of the quoted words in the article's ``text`` (end exclusive).
    """

    text: str
    start: int
    end: int
    #: "direct" or "reported"
    kind: str
    #: who said it, as named in the text (canonical form), when it can be told
    speaker: str | None = None
    #: the tagged entity the speaker resolves to, when there is one
    speaker_entity: Entity | None = None
    #: the reporting verb as written (قال، أكد، ...), when there is one
    verb: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "kind": self.kind,
                "speaker": self.speaker,
                "speaker_entity": self.speaker_entity.to_dict() if self.speaker_entity else None,
                "verb": self.verb}


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
    #: a date the page was listed with (a feed's or sitemap's): used for ``published`` only when the
    #: page itself gives none; not part of the output
    published_hint: DateLike | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    #: the language the page declares (``<html lang>``, meta), not the detected one
    page_lang: str | None = None
    text: str = ""
    boilerplate: list[Removed] = field(default_factory=list)
    #: detected language of the body (ISO 639-1) and the detector's confidence, 0..1
    lang: str | None = None
    lang_score: float | None = None
    #: numeric quality signals of the body (word count, stop-word ratio, ...), by name
    quality: dict[str, float] = field(default_factory=dict)
    #: the quality thresholds the article fails (snake_case names); empty when it passes them all
    quality_flags: list[str] = field(default_factory=list)
    #: hex digest of the normalised body: equal for verbatim copies
    content_hash: str | None = None
    #: near-duplicate cluster: one id for all copies of the same story text, its size, and the id
    #: of its original (earliest published, then longest)
    cluster: str | None = None
    cluster_size: int = 1
    original: str | None = None
    #: why this article is a copy: "same_url", "same_text" or "near_duplicate"; None for an original
    duplicate_of: str | None = None
    #: enrichment: named entities over ``text``, the topic and its score (0..1), key phrases
    #: (normalised), quotations and an extractive summary
    entities: list[Entity] = field(default_factory=list)
    topic: str | None = None
    topic_score: float | None = None
    keyphrases: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    summary: str | None = None
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
            "lang": self.lang,
            "lang_score": self.lang_score,
            "quality": self.quality,
            "quality_flags": self.quality_flags,
            "content_hash": self.content_hash,
            "cluster": self.cluster,
            "cluster_size": self.cluster_size,
            "original": self.original,
            "duplicate_of": self.duplicate_of,
            "entities": [e.to_dict() for e in self.entities],
            "topic": self.topic,
            "topic_score": self.topic_score,
            "keyphrases": self.keyphrases,
            "quotes": [q.to_dict() for q in self.quotes],
            "summary": self.summary,
        }


def _iso(value: DateLike | None) -> str | None:
    return value.isoformat() if value is not None else None


def make_id(*parts: str) -> str:
    """A stable 16-hex id from the article's origin (or text, when it has none)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8)
    return digest.hexdigest()
