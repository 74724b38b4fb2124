"""Steps over a stream of articles.

A step is a callable ``Iterable[Article] -> Iterator[Article]``. Most steps are a :class:`Map`
(``process(article) -> Article``) or a :class:`Filter` (``reject(article) -> reason | None``);
a step that must see many articles at once (learning a source's repeated lines, say) is a
:class:`BatchStep`. The base classes count what they saw, changed and dropped, by reason, and route
a failure in one article to the runner's error handler so that the run goes on.

Steps must pickle (a Ray runner will ship them): load models lazily, never in ``__init__``.

Each article's work in a step is time-boxed (:attr:`BaseStep.time_limit`, as datatrove time-boxes
extraction): past it, :class:`StepTimeout` is raised in the step (by ``SIGALRM``, so only where the
run is in the main thread, as the CLI's runs are) and the article is counted and reported like any
other failure. Memory per article is bounded by what the readers take in (pages of 15 MB, texts of 2
MB, JSON lines of 20 MB).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Protocol, TypeVar

from .article import Article

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Called with the article, the step's name and the exception when one article fails in a step.
ErrorHandler = Callable[[Article, str, Exception], None]


def _log_error(article: Article, step: str, exc: Exception) -> None:
    log.warning("%s: article %s failed in %s: %s", article.origin or "-", article.id, step, exc)


class StepTimeout(Exception):
    """One article took longer than a step allows it."""


#: seconds one article may take in one step (the slowest real pages take well under a second)
TIME_LIMIT = 60.0


@dataclass(frozen=True, slots=True)
class Boxed:
    """One article's work in one step, inside a time box until ``deadline`` (``time.monotonic()``)."""

    step: str
    article: str
    deadline: float
    seconds: float


#: what is inside a time box now, for a watchdog that outlives a signal the box could not deliver
#: (code stuck in C never returns to the interpreter to see its alarm: :mod:`marsad.runners.watchdog`)
current: Boxed | None = None
#: (step, article) found stuck by an earlier try of the same work: their box fails at once
stuck: set[tuple[str, str]] = set()


@contextmanager
def time_box(seconds: float | None, what: str, *, step: str = "", article: str = "") -> Iterator[None]:
    """Raise :class:`StepTimeout` in the block once it has run ``seconds`` (main thread only: signals
    are delivered there; elsewhere the block runs unbounded). ``step`` and ``article`` name the work
    for a watchdog (:data:`current`) and for :data:`stuck`."""
    global current
    if (step, article) in stuck:
        raise StepTimeout(f"{what} was stuck past its time limit in an earlier try")
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise StepTimeout(f"{what} took more than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    current = Boxed(step, article, time.monotonic() + seconds, seconds)
    try:
        yield
    finally:
        current = None
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Step(Protocol):
    name: str
    stats: Counter[str]

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]: ...


class BaseStep:
    """Counters and the error route shared by every step."""

    name = "step"
    #: seconds one article may take in this step (None: unbounded)
    time_limit: float | None = TIME_LIMIT

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()
        self.on_error: ErrorHandler = _log_error

    def _fail(self, article: Article, exc: Exception) -> None:
        self.stats["timeout" if isinstance(exc, StepTimeout) else "error"] += 1
        self.on_error(article, self.name, exc)


class Map(BaseStep):
    """A step that changes one article at a time."""

    def process(self, article: Article) -> Article:
        raise NotImplementedError

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.stats["seen"] += 1
            try:
                with time_box(self.time_limit, f"{self.name} on {article.id}", step=self.name, article=article.id):
                    out = self.process(article)
            except Exception as exc:  # the per-article guard: one failure, one article
                self._fail(article, exc)
                continue
            yield out


class Filter(BaseStep):
    """A step that keeps or drops each article, and says why it dropped one."""

    def reject(self, article: Article) -> str | None:
        raise NotImplementedError

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.stats["seen"] += 1
            try:
                with time_box(self.time_limit, f"{self.name} on {article.id}", step=self.name, article=article.id):
                    reason = self.reject(article)
            except Exception as exc:
                self._fail(article, exc)
                continue
            if reason is None:
                yield article
            else:
                self.stats[f"dropped:{reason}"] += 1


class BatchStep(BaseStep):
    """A step that sees ``batch_size`` articles at a time (memory stays bounded by the batch)."""

    batch_size = 1000

    def process_batch(self, batch: list[Article]) -> list[Article]:
        raise NotImplementedError

    def each(self, batch: list[Article], fn: Callable[[Article], object]) -> list[Article]:
        """Apply ``fn`` to every article; the ones it fails on are reported and left out."""
        kept = []
        for article in batch:
            try:
                with time_box(self.time_limit, f"{self.name} on {article.id}", step=self.name, article=article.id):
                    fn(article)
            except Exception as exc:  # the per-article guard: one failure, one article
                self._fail(article, exc)
                continue
            kept.append(article)
        return kept

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for batch in batched(articles, self.batch_size):
            self.stats["seen"] += len(batch)
            yield from self.process_batch(batch)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def chain(articles: Iterable[Article], steps: Sequence[Step]) -> Iterator[Article]:
    """Run ``articles`` through ``steps`` in order, lazily."""
    stream: Iterable[Article] = articles
    for step in steps:
        stream = step(stream)
    return iter(stream)
