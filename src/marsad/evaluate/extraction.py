"""``marsad eval extraction``: score main text and metadata against a gold file.

The gold file has trafilatura's ``evaldata.json`` form: per page, ``file``, ``url``, ``title``,
``author``, ``date`` and snippets that must be extracted (``with``) or must not (``without``).
A ``with`` snippet found is a true positive, one missed a false negative; a ``without`` snippet
found is a false positive. Precision, recall and F1 are computed over all snippets of all pages
(as trafilatura's own evaluation does); title, author and date are right when they equal the gold
after :func:`marsad.normalize` (an empty gold means "none", and only a null answer is right).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..text.arabic import normalize
from .peers import Extraction, run_peer


@dataclass(slots=True)
class GoldPage:
    key: str
    path: Path
    url: str | None
    title: str
    author: str
    date: str
    with_: list[str]
    without: list[str]


@dataclass(slots=True)
class PageScore:
    key: str
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    title: bool = False
    author: bool = False
    date: bool = False
    seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SystemScore:
    name: str
    pages: list[PageScore] = field(default_factory=list)

    def totals(self) -> dict[str, float]:
        tp = sum(p.tp for p in self.pages)
        fn = sum(p.fn for p in self.pages)
        fp = sum(p.fp for p in self.pages)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        n = len(self.pages) or 1
        return {
            "pages": len(self.pages),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "title": sum(p.title for p in self.pages) / n,
            "author": sum(p.author for p in self.pages) / n,
            "date": sum(p.date for p in self.pages) / n,
            "seconds_per_page": sum(p.seconds for p in self.pages) / n,
        }


def load_gold(path: str | Path) -> list[GoldPage]:
    """Pages of a gold file; ``file`` is absolute, or relative to the gold file (or its ``pages/``)."""
    gold_path = Path(path)
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{gold_path}: cannot read gold file: {exc}", reason="bad_gold") from exc
    if not isinstance(data, dict):
        raise InputError(f"{gold_path}: gold file must be a JSON object keyed by page", reason="bad_gold")
    pages = []
    for key, entry in data.items():
        file = Path(entry["file"])
        if not file.is_absolute():
            candidates = [gold_path.parent / file, gold_path.parent / "pages" / file]
            file = next((c for c in candidates if c.exists()), candidates[0])
        pages.append(
            GoldPage(
                key=key,
                path=file,
                url=entry.get("url") or (key if key.startswith("http") else None),
                title=entry.get("title") or "",
                author=entry.get("author") or "",
                date=entry.get("date") or "",
                with_=list(entry.get("with") or []),
                without=list(entry.get("without") or []),
            )
        )
    return pages


def _squash(text: str) -> str:
    return " ".join(text.split())


def _same(found: str | None, gold: str) -> bool:
    if not gold:
        return not found
    return bool(found) and normalize(found or "") == normalize(gold)


def score_page(page: GoldPage, got: Extraction, seconds: float) -> PageScore:
    text = _squash(got.text)
    score = PageScore(page.path.name, seconds=seconds)
    for snippet in page.with_:
        if _squash(snippet) in text:
            score.tp += 1
        else:
            score.fn += 1
            score.missed.append(snippet)
    for snippet in page.without:
        if _squash(snippet) in text:
            score.fp += 1
            score.leaked.append(snippet)
        else:
            score.tn += 1
    score.title = _same(got.title, page.title)
    score.author = _same(got.author, page.author)
    score.date = (got.date or "") == page.date
    return score


def marsad_extractor(*, fast: bool = False) -> Callable[[bytes, str | None], Extraction]:
    from .. import process_html

    def run(html: bytes, url: str | None) -> Extraction:
        article = process_html(html, url, fast=fast)
        day = article.published.isoformat()[:10] if article.published is not None else None
        return Extraction(title=article.title, author=article.author, date=day, text=article.text)

    return run


def evaluate(
    pages: Iterable[GoldPage], systems: dict[str, Callable[[bytes, str | None], Extraction]]
) -> list[SystemScore]:
    """Run every system on every page (same bytes) and score it."""
    scores = {name: SystemScore(name) for name in systems}
    for page in pages:
        try:
            html = page.path.read_bytes()
        except OSError as exc:
            raise InputError(f"{page.path}: {exc.strerror or exc}", reason="unreadable") from exc
        for name, system in systems.items():
            start = time.perf_counter()
            try:
                got = system(html, page.url)
            except Exception:  # a system that crashes on a page scores nothing on it
                got = Extraction(None, None, None, "")
            scores[name].pages.append(score_page(page, got, time.perf_counter() - start))
    return list(scores.values())


def systems_for(peers: list[str] | None, *, fast: bool) -> dict[str, Callable[[bytes, str | None], Extraction]]:
    systems: dict[str, Callable[[bytes, str | None], Extraction]] = {
        "marsad": marsad_extractor(fast=False),
    }
    if fast:
        systems["marsad-fast"] = marsad_extractor(fast=True)
    for name in peers or []:
        run_peer(name, b"", None)  # raises ConfigError with the install line if it is missing
        systems[name] = _peer(name)
    return systems


def _peer(name: str) -> Callable[[bytes, str | None], Extraction]:
    def run(html: bytes, url: str | None) -> Extraction:
        return run_peer(name, html, url)

    return run
