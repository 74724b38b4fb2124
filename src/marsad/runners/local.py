"""The local runner: one process, one stream, a progress bar on a terminal, stats at the end."""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..article import Article
from ..errors import InputError
from ..pipeline import Step, StepTimeout, chain

log = logging.getLogger(__name__)

#: per reason, how many errors are logged one per line before the rest are only counted
LOGGED_PER_REASON = 20


@dataclass(slots=True)
class RunStats:
    """What a run read, wrote and could not handle, by reason."""

    read: int = 0
    written: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    steps: dict[str, Counter[str]] = field(default_factory=dict)
    #: articles written, by the size of their duplicate cluster ("1", "2", "3-5", "6-10", "11+")
    clusters: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: the files written, when there are several (a Parquet output split by size)
    outputs: list[str] = field(default_factory=list)
    #: shard passes an interrupted run had finished, not run again by this one (``--resume``)
    resumed: int = 0

    def summary(self) -> list[str]:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        lines = [f"read {self.read} articles, wrote {self.written} in {self.seconds:.1f}s ({rate:.0f}/s)"]
        if self.errors:
            lines.append(f"errors: {sum(self.errors.values())} (" + ", ".join(f"{r}: {n}" for r, n in self.errors.most_common()) + ")")
        else:
            lines.append("errors: 0")
        if self.skipped:
            lines.append("skipped: " + ", ".join(f"{r}: {n}" for r, n in self.skipped.most_common()))
        for name, counts in self.steps.items():
            shown = {k: v for k, v in counts.items() if k != "seen"}
            if shown:
                lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(shown.items())))
        if self.resumed:
            lines.append(f"resumed: {self.resumed} shard passes finished by the interrupted run were not run again")
        if self.clusters:
            order = ["1", "2", "3-5", "6-10", "11+"]
            lines.append("articles by cluster size: " + ", ".join(f"{k}: {self.clusters[k]}" for k in order if self.clusters[k]))
        return lines


class ErrorLog:
    """Counts failures by reason and logs the first few of each, one line naming the file or article."""

    def __init__(self, stats: RunStats) -> None:
        self.stats = stats

    def _log(self, reason: str, message: str) -> None:
        self.stats.errors[reason] += 1
        n = self.stats.errors[reason]
        if n <= LOGGED_PER_REASON:
            log.warning("%s", message)
        elif n == LOGGED_PER_REASON + 1:
            log.warning("more '%s' errors: counted, not shown", reason)

    def read_error(self, where: str, exc: InputError) -> None:
        self._log(exc.reason, str(exc))

    def step_error(self, article: Article, step: str, exc: Exception) -> None:
        where = f"{article.origin} ({article.id})" if article.origin else article.id
        if isinstance(exc, StepTimeout):
            self._log(f"{step}_timeout", f"{where}: {exc}: left out")
            return
        self._log(f"{step}_failed", f"{where}: {step} failed: {type(exc).__name__}: {exc}")


def add_skipped(stats: RunStats, reader_stats: Counter[str]) -> None:
    """Count what a reader skipped (its ``skipped:<reason>`` counts) in the run's stats."""
    for key, n in reader_stats.items():
        if key.startswith("skipped:"):
            stats.skipped[key.removeprefix("skipped:")] += n


def run(
    reader: Iterable[Article],
    steps: Sequence[Step],
    write: Callable[[Article], None],
    *,
    errors: ErrorLog | None = None,
    progress: bool | None = None,
) -> RunStats:
    """Read, run every step, write; a failing article is counted and the run goes on."""
    errors = errors or ErrorLog(RunStats())
    stats = errors.stats
    for step in steps:
        if hasattr(step, "on_error"):
            step.on_error = errors.step_error  # type: ignore[attr-defined]
    start = time.perf_counter()

    def counted(items: Iterable[Article]) -> Iterable[Article]:
        for article in items:
            stats.read += 1
            yield article

    stream = chain(counted(reader), steps)
    show = sys.stderr.isatty() if progress is None else progress
    if show:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.completed} articles"), TimeElapsedColumn(), transient=True) as bar:
            task = bar.add_task("process", total=None)
            for article in stream:
                write(article)
                stats.written += 1
                bar.advance(task)
    else:
        for article in stream:
            write(article)
            stats.written += 1
    stats.seconds = time.perf_counter() - start
    reader_stats = getattr(reader, "stats", None)
    if isinstance(reader_stats, Counter):
        add_skipped(stats, reader_stats)
    for step in steps:
        stats.steps[step.name] = step.stats
    return stats
