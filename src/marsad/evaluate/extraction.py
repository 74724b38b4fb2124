"""``marsad eval extraction``: run marsad (and peers) on the pages of a gold suite and score them.

The gold forms and how they are read are in :mod:`marsad.evaluate.suites`; how one page is scored
(snippets the trafilatura way, shingles the Zyte way, metadata only where the gold has a value) in
:mod:`marsad.evaluate.scoring`; the side-by-side report in :mod:`marsad.evaluate.report`.

Every system gets the same bytes of every page. A system that raises on a page scores as an empty
extraction there, and the page and its error are kept (:attr:`PageScore.error`) for the report.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .peers import Extraction, run_peer
from .scoring import (
    body_totals,
    micro_totals,
    names_authors,
    page_precision,
    page_recall,
    f1_of,
    same_day,
    same_title,
    shingle_counts,
    snippet_counts,
)
from .report import Report, compare, language_groups
from .suites import BODY, SNIPPETS, GoldPage, Half, half_of, load_gold, read_pages, select_pages

__all__ = [
    "GoldPage",
    "PageScore",
    "EvalOptions",
    "SystemScore",
    "evaluate",
    "evaluate_suite",
    "half_of",
    "load_gold",
    "marsad_extractor",
    "score_page",
    "select_pages",
    "systems_for",
]

Extractor = Callable[[bytes, str | None], Extraction]


@dataclass(slots=True)
class PageScore:
    """One system on one page. ``title``/``author``/``date`` are None where the gold has no value."""

    key: str
    file: str = ""
    #: snippets: counts of with-found, with-missed, without-leaked, without-kept-out;
    #: body: the page's shingle tp/fn/fp, normalised to sum 1 (tn unused)
    tp: float = 0
    fn: float = 0
    fp: float = 0
    tn: float = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    title: bool | None = None
    author: bool | None = None
    date: bool | None = None
    seconds: float = 0.0
    empty: bool = False
    #: "ExceptionType: message" (one line) when the system raised on the page
    error: str | None = None
    missed: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SystemScore:
    name: str
    pages: list[PageScore] = field(default_factory=list)
    form: str = SNIPPETS

    def totals(self) -> dict[str, float]:
        """Precision, recall, F1 (the suite's way); title/author/date accuracy over the pages whose
        gold has that field (``title_n`` ...: how many); seconds per page, errors, empty outputs."""
        pages = self.pages
        if self.form == BODY:
            precision, recall, f1 = body_totals([(p.tp, p.fp, p.fn) for p in pages])
        else:
            precision, recall, f1 = micro_totals(sum(p.tp for p in pages), sum(p.fp for p in pages),
                                                 sum(p.fn for p in pages))
        out: dict[str, float] = {"pages": len(pages), "precision": precision, "recall": recall, "f1": f1}
        for name in ("title", "author", "date"):
            scored = [getattr(p, name) for p in pages if getattr(p, name) is not None]
            out[name] = sum(scored) / len(scored) if scored else 0.0
            out[f"{name}_n"] = len(scored)
        out["seconds_per_page"] = sum(p.seconds for p in pages) / (len(pages) or 1)
        out["errors"] = sum(p.error is not None for p in pages)
        out["empty"] = sum(p.empty for p in pages)
        return out

    def subset(self, keys: set[str]) -> SystemScore:
        return SystemScore(self.name, [p for p in self.pages if p.key in keys], self.form)


def score_page(page: GoldPage, got: Extraction, seconds: float) -> PageScore:
    score = PageScore(page.key, page.file, seconds=seconds, empty=not got.text.strip())
    if page.form == BODY:
        tp, fp, fn = shingle_counts(page.body or "", got.text)
        score.tp, score.fp, score.fn = tp, fp, fn
    else:
        found, score.missed, score.leaked, kept_out = snippet_counts(got.text, page.with_, page.without)
        score.tp, score.fn, score.fp, score.tn = len(found), len(score.missed), len(score.leaked), len(kept_out)
        tp, fp, fn = score.tp, score.fp, score.fn
    score.precision, score.recall = page_precision(tp, fp, fn), page_recall(tp, fp, fn)
    score.f1 = f1_of(score.precision, score.recall)
    if page.title:
        score.title = same_title(got.title, page.title)
    if page.author:
        score.author = names_authors(got.author, page.author)
    if page.date:
        score.date = same_day(got.date, page.date)
    return score


def marsad_extractor(*, fast: bool = False) -> Extractor:
    from .. import process_html

    def run(html: bytes, url: str | None) -> Extraction:
        article = process_html(html, url, fast=fast)
        day = article.published.isoformat()[:10] if article.published is not None else None
        return Extraction(title=article.title, author=article.author, date=day, text=article.text)

    return run


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}"[:300] if message else type(exc).__name__


def evaluate(
    pages: Iterable[GoldPage], systems: dict[str, Extractor], *, progress: bool | None = None
) -> list[SystemScore]:
    """Run every system on every page (same bytes) and score it; pages come back in gold order.

    ``progress``: show a progress bar on standard error (None: only when it is a terminal).
    """
    pages = list(pages)
    form = pages[0].form if pages else SNIPPETS
    order = {page.key: i for i, page in enumerate(pages)}
    scores = {name: SystemScore(name, form=form) for name in systems}
    show = sys.stderr.isatty() if progress is None else progress

    def run_all(advance: Callable[[], None]) -> None:
        for page, html in read_pages(pages):
            for name, system in systems.items():
                start = time.perf_counter()
                error = None
                try:
                    got = system(html, page.url)
                except Exception as exc:  # noqa: BLE001  # a system that raises on a page scores nothing on it
                    got, error = Extraction(None, None, None, ""), _one_line(exc)
                score = score_page(page, got, time.perf_counter() - start)
                score.error = error
                scores[name].pages.append(score)
            advance()

    if show:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"{', '.join(systems)}: pages", total=len(pages))
            run_all(lambda: bar.advance(task))
    else:
        run_all(lambda: None)
    for score in scores.values():
        score.pages.sort(key=lambda p: order[p.key])
    return list(scores.values())


def systems_for(peers: list[str] | None, *, fast: bool) -> dict[str, Extractor]:
    systems: dict[str, Extractor] = {
        "marsad": marsad_extractor(fast=False),
    }
    if fast:
        systems["marsad-fast"] = marsad_extractor(fast=True)
    for name in peers or []:
        run_peer(name, b"", None)  # raises ConfigError with the install line if it is missing
        systems[name] = _peer(name)
    return systems


def _peer(name: str) -> Extractor:
    def run(html: bytes, url: str | None) -> Extraction:
        return run_peer(name, html, url)

    return run


@dataclass(slots=True, frozen=True)
class EvalOptions:
    """What ``marsad eval extraction`` runs: which systems, on which pages, and what it reports."""

    #: peers to score beside marsad (names of :data:`marsad.evaluate.peers.PEERS`)
    peers: tuple[str, ...] = ()
    #: also score marsad's fast mode
    fast: bool = False
    #: the fixed half of the suite (:func:`half_of`), or all of it
    half: Half = "all"
    #: the first N pages of the half by the SHA-1 of their key (a fixed sample)
    sample: int | None = None
    #: the first N pages of the half (after ``sample``), in gold order
    limit: int | None = None
    #: how many pages to list where marsad is furthest below each peer
    worst: int = 10
    #: a progress bar on standard error; None: only when it is a terminal
    progress: bool | None = None


def evaluate_suite(gold: str | Path, options: EvalOptions = EvalOptions()) -> Report:
    """Load a gold suite, run marsad (and peers) on the chosen pages, and compare them."""
    suite = load_gold(gold)
    pages = select_pages(suite, half=options.half, sample=options.sample, limit=options.limit)
    systems = systems_for(list(options.peers), fast=options.fast)
    start = time.perf_counter()
    scores = evaluate(pages, systems, progress=options.progress)
    seconds = time.perf_counter() - start
    return Report(
        gold=Path(gold).name, form=pages[0].form if pages else SNIPPETS, half=options.half, suite_pages=len(suite),
        scores=scores, comparisons=compare(scores, pages, worst=options.worst), languages=language_groups(pages),
        pages=pages, seconds=seconds,
    )
