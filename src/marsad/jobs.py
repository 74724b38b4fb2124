"""Whole jobs over files: what ``marsad process`` does, as one library call.

A job builds the steps from one :class:`ProcessOptions` and runs them over the shards of its input
with the runner :class:`~marsad.runners.sharded.RunnerOptions` names (in this process, or on Ray), in
two passes and an end (below): what is known only once every article has been seen (a site's
repeated lines, the authors it credits, each duplicate cluster's size and original) is worked out
from every shard's notes, so the output is the same whichever runner ran it, and in input order.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .article import Article
from .errors import MarsadError
from .pipeline import Step, time_box
from .runners.local import ErrorLog, RunStats, add_skipped, run
from .runners.sharded import RunnerOptions, Spill, WorkDir, executor, spill, unspill
from .steps.dedup import DedupIndex, Deduplicator
from .steps.readers import Reader, Shard
from .text.minhash import MinHashConfig

if TYPE_CHECKING:
    from .steps.enrich import EnrichOptions


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessOptions:
    """Everything a processing run can be told."""

    fast: bool = False
    source: str | None = None
    #: drop rules (``low_quality``, ``lang!=ar``, ``duplicate``, a flag name); nothing is dropped without
    drop: tuple[str, ...] = ()
    #: a TOML or JSON file of quality thresholds (default: FineWeb-2's arb_Arab preset)
    thresholds: Path | None = None
    dedup: bool = True
    #: where the dedup index persists between runs (default: only within this run)
    dedup_index: Path | None = None
    progress: bool | None = None
    #: entities, topic, key phrases, quotations and summary (the slowest step: off for a quick run)
    enrich: bool = True
    #: a Parquet output goes on in a new file past this size
    parquet_file_bytes: int = 512 * 1024 * 1024
    #: seconds one article may take in one step before it is left out and counted (None: no limit)
    step_timeout: float | None = 60.0


def build_steps(options: ProcessOptions = ProcessOptions(), *, dedup: Deduplicator | None = None) -> list[Step]:
    """The steps of a processing run, in order: extraction, cleanup, language, quality, dedup (``dedup``
    when given, else one of its own if ``options.dedup``), the drop rules, then enrichment (after
    the drops, so that dropped articles cost nothing more)."""
    from .steps import default_steps

    steps = default_steps(fast=options.fast, thresholds=options.thresholds)
    if dedup is None and options.dedup:
        index = DedupIndex.load(options.dedup_index) if options.dedup_index else None
        dedup = Deduplicator(index=index)
    if dedup is not None:
        steps.append(dedup)
    if options.drop:
        from .steps.quality import FlagFilter

        steps.append(FlagFilter(list(options.drop)))
    if options.enrich:
        from .steps.enrich import ArticleEnricher

        steps.append(ArticleEnricher())
    for step in steps:
        step.time_limit = options.step_timeout  # type: ignore[attr-defined]
    return steps


# ---------------------------------------------------------------------------------------- sharded runs
#
# A job runs in two passes over the shards of its input, then an end on the driver:
#   read      read the shard, extract each page, note each page's short lines for its site;
#   annotate  clean with the lines every shard noted, detect language, score quality, hash for
#             dedup, drop by the article's own rules, enrich; note author credits and dedup keys;
#   end       count the credits (a site's own name is no author), cluster the keys in input order,
#             give each article its final cluster, drop copies if asked, write.
# The local runner runs the passes in this process, the Ray runner on workers: the same code, the
# same output.


@dataclass(frozen=True, slots=True)
class ShardJob:
    """What every shard of a run needs (pickled to the workers)."""

    options: ProcessOptions
    source: str | None
    #: the MinHash configuration of the dedup index the keys go into
    dedup_config: MinHashConfig | None
    cwd: str


#: a worker's steps, built once per process and job options: their models load once per worker
_WORKER_STEPS: dict[tuple[str, ProcessOptions], list[Step]] = {}


def _cached_steps(name: str, options: ProcessOptions, build: Callable[[], list[Step]], stats: RunStats) -> list[Step]:
    """The steps of a pass, built (their models loaded) the first time this process runs the pass
    with these options; counted in ``stats`` when they are (``workers: built:<pass>``)."""
    steps = _WORKER_STEPS.get((name, options))
    if steps is None:
        if len(_WORKER_STEPS) > 8:
            _WORKER_STEPS.clear()
        steps = _WORKER_STEPS[(name, options)] = build()
        for step in steps:
            step.time_limit = options.step_timeout  # type: ignore[attr-defined]
        stats.steps.setdefault("workers", Counter())[f"built:{name}"] += 1
    for step in steps:
        step.stats = Counter()  # this shard's counts
    return steps


def _enter(job: ShardJob) -> None:
    if os.getcwd() != job.cwd and os.path.isdir(job.cwd):  # a worker reads the paths as the driver gave them
        os.chdir(job.cwd)


def read_pass(shard: Shard, job: object, state: object, folder: Path, before: Path | None) -> RunStats:
    """The first pass over one shard: read, extract, note each page's lines for its site."""
    from .steps.clean import TextCleaner
    from .steps.extract import HtmlExtractor

    assert isinstance(job, ShardJob)
    _enter(job)
    stats = RunStats()
    errors = ErrorLog(stats)
    steps = _cached_steps("read", job.options, lambda: [HtmlExtractor(fast=job.options.fast)], stats)
    learner = TextCleaner()
    reader = Reader([], source=job.source, on_error=errors.read_error)
    with Spill(folder / f"{shard.name}.articles") as articles, Spill(folder / f"{shard.name}.notes") as notes:
        def write(article: Article) -> None:
            try:
                with time_box(job.options.step_timeout, f"clean on {article.id}", step="clean_notes", article=article.id):
                    note = learner.note_page(article)
            except Exception as exc:  # the per-article guard: one failure, one article
                errors.step_error(article, "clean", exc)
                return
            notes.write(note)
            if article.format == "html":
                article.raw = ""  # the page is read: only its text goes on
            articles.write(article)

        run(reader.read_shard(shard), steps, write, errors=errors, progress=False)
    add_skipped(stats, reader.stats)
    return stats


def annotate_pass(shard: Shard, job: object, state: object, folder: Path, before: Path | None) -> RunStats:
    """The second pass over one shard: clean with what every shard taught, then language, quality,
    dedup keys, the article's own drop rules and enrichment."""
    from .steps.clean import LearnedCleaner, TextCleaner
    from .steps.dedup import DedupKeyer

    assert isinstance(job, ShardJob) and isinstance(state, TextCleaner) and before is not None
    _enter(job)
    stats = RunStats()
    errors = ErrorLog(stats)
    options = job.options
    cleaner = LearnedCleaner(state)
    keyer = DedupKeyer(job.dedup_config) if job.dedup_config is not None else None
    head = _cached_steps("annotate", options, lambda: _annotate_steps(options)[0], stats)
    tail = _cached_steps("enrich", options, lambda: _annotate_steps(options)[1], stats)
    for made in (cleaner, keyer):  # the cached steps have theirs already
        if made is not None:
            made.time_limit = options.step_timeout
    steps: list[Step] = [cleaner, *head, *([keyer] if keyer else []), *tail]
    stored = unspill(before / f"{shard.name}.articles")
    with Spill(folder / f"{shard.name}.articles") as articles:
        run(stored, steps, articles.write, errors=errors, progress=False)  # type: ignore[arg-type]
    spill(folder / f"{shard.name}.notes", [cleaner.credits, keyer.keys if keyer else []])
    stats.read = 0  # read in the first pass
    return stats


def _annotate_steps(options: ProcessOptions) -> tuple[list[Step], list[Step]]:
    """The steps of the second pass before dedup keys (language, quality) and after (the article's
    own drop rules, enrichment)."""
    from .steps.language import LanguageDetector
    from .steps.quality import FlagFilter, QualityAnnotator, split_rules

    head: list[Step] = [LanguageDetector(), QualityAnnotator(thresholds=options.thresholds)]
    tail: list[Step] = []
    own, _ = split_rules(options.drop)
    if own:
        tail.append(FlagFilter(own))
    if options.enrich:
        from .steps.enrich import ArticleEnricher

        tail.append(ArticleEnricher())
    return head, tail


class _Run:
    """A sharded job on the driver: plan, passes, and the end that puts every shard's notes together."""

    def __init__(self, paths: Sequence[str], options: ProcessOptions, runner: RunnerOptions, stats: RunStats,
                 *, index: DedupIndex | None, skip: Callable[[str], bool] | None, work: Path | None) -> None:
        from .steps.clean import TextCleaner

        self.options, self.runner, self.stats = options, runner, stats
        self.errors = ErrorLog(stats)
        reader = Reader(paths, source=options.source, on_error=self.errors.read_error, skip=skip)
        self.shards = reader.plan(lines=runner.shard_lines, files=runner.shard_files)
        add_skipped(stats, reader.stats)
        if runner.runner != "local" and any(s.files == ("-",) for s in self.shards):
            raise MarsadError("standard input cannot be read by Ray's workers: give files")
        self.files = list(dict.fromkeys(f for s in self.shards for f in s.files if f != "-"))
        self.dedup = Deduplicator(index=index if index is not None else DedupIndex()) if options.dedup else None
        self.job = ShardJob(options, options.source, self.dedup.index.config if self.dedup else None, os.getcwd())
        self.memory = TextCleaner()
        self.owned = work is None
        if work is None:
            work = Path(tempfile.mkdtemp(prefix="marsad-work-"))
        self.work = WorkDir(work, resume=runner.resume and not self.owned)
        plan: dict[str, object] = {"shards": [str(s) for s in self.shards], "options": repr(options), "dedup": repr(self.job.dedup_config)}
        self.work.open(plan)

    def passes(self) -> None:
        """Both passes over every shard, with the sites' lines learned from the first pass's notes."""
        start = time.perf_counter()
        ex = executor(self.runner, progress=self.options.progress)
        done = self.work.run(ex, read_pass, self.shards, self.job, None, "read", None, self.stats)
        self.stats.read += sum(r.read for r in done.values())
        for note in self.work.outputs("read", self.shards, "notes"):
            self.memory.remember(*note)  # type: ignore[misc]
        self.work.run(ex, annotate_pass, self.shards, self.job, self.memory, "annotate", "read", self.stats)
        self.stats.seconds = time.perf_counter() - start

    def articles(self, ids: list[str]) -> Iterator[Article]:
        """Every article in input order, with its final cluster and author, the copies dropped if asked
        (their ids into ``ids``)."""
        from .steps.quality import FlagFilter, split_rules

        notes = self.work.outputs("annotate", self.shards, "notes")
        for credits, keys in zip(notes, notes):  # two items per shard: credits, then keys
            self.memory.take_credits(credits)  # type: ignore[arg-type]
            if self.dedup is not None:
                for key in keys:  # type: ignore[attr-defined]
                    self.dedup.assign(key)
        _, copy_rules = split_rules(self.options.drop)
        drop = FlagFilter(copy_rules) if copy_rules else None
        self.memory.stats = Counter()
        for article in self.work.outputs("annotate", self.shards, "articles"):
            assert isinstance(article, Article)
            self.memory.drop_site_author(article)
            if self.dedup is not None:
                self.dedup.finish(article)
            if drop is not None:
                reason = drop.reject(article)
                if reason is not None:
                    drop.stats[f"dropped:{reason}"] += 1
                    continue
            ids.append(article.id)
            self.stats.written += 1
            yield article
        self.stats.steps.setdefault("clean", Counter()).update(self.memory.stats)
        if drop is not None:
            self.stats.steps["drop"] = drop.stats
        if self.dedup is not None:
            self.stats.steps["dedup"] = self.dedup.stats
            self.stats.clusters = self.dedup.size_histogram(ids)

    def close(self, ok: bool) -> None:
        """Remove the work folder once the run is whole (kept after a failure, for --resume)."""
        if self.owned or (ok and not self.work.failed):
            self.work.remove()


def _work_dir(runner: RunnerOptions, beside: str | None) -> Path | None:
    """Where a run's work goes: the folder given, else beside its output when it can be resumed."""
    if runner.work_dir is not None:
        return runner.work_dir
    if runner.runner == "local" and not runner.resume:
        return None
    if beside is None:
        if runner.resume:
            raise MarsadError("--resume needs a work folder: give --work-dir (the output is not a file)")
        return None
    return Path(beside + ".work")


def process_files(
    paths: Sequence[str], output: str | None, options: ProcessOptions = ProcessOptions(), *, stats: RunStats | None = None,
    runner: RunnerOptions = RunnerOptions(),
) -> RunStats:
    """Process ``paths`` into ``output`` (JSON lines, or Parquet for a ``.parquet`` name; ``None``
    for standard output), in input order."""
    stats = stats or RunStats()
    target_dir = os.path.dirname(os.path.abspath(output)) if output else None
    if output and not os.path.isdir(target_dir or "."):
        raise MarsadError(f"{output}: cannot write: no such directory")
    job = _Run(paths, options, runner, stats, index=DedupIndex.load(options.dedup_index) if options.dedup_index else None,
               skip=None, work=_work_dir(runner, output))
    ok = False
    try:
        job.passes()
        ids: list[str] = []
        records = (article.to_dict() for article in job.articles(ids))
        if output and output.lower().endswith(".parquet"):
            from .steps.parquet import write_parquet

            _, files = write_parquet(records, output, file_bytes=options.parquet_file_bytes)
            stats.outputs = [str(f) for f in files]
        elif output:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".part", dir=target_dir, delete=False) as tmp:
                try:
                    _write_jsonl(records, tmp)  # type: ignore[arg-type]
                except BaseException:
                    tmp.close()
                    os.unlink(tmp.name)
                    raise
            os.replace(tmp.name, output)
        else:
            _write_jsonl(records, sys.stdout)
        if job.dedup is not None and options.dedup_index:
            job.dedup.index.save(options.dedup_index)
        ok = True
    finally:
        job.close(ok)
    return stats


def _write_jsonl(records: Iterator[dict[str, object]], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


def ingest_files(
    paths: Sequence[str], archive_path: str | os.PathLike[str], options: ProcessOptions = ProcessOptions(),
    *, stats: RunStats | None = None, ids: list[str] | None = None, remember_files: bool = True,
    runner: RunnerOptions = RunnerOptions(),
) -> tuple[RunStats, dict[str, int]]:
    """Run the pipeline over ``paths`` and store the articles in the archive (idempotent, resumable).

    Files stored whole by an earlier ingest (same size and modification time) are not read again;
    an interrupted ingest keeps its committed batches, and the next run picks up from there.
    ``ids``, if given, receives the id of every article stored; without ``remember_files`` the files
    are neither skipped nor recorded as read (a temporary file's name means nothing later).
    """
    from .archive.store import BATCH, Archive

    stats = stats or RunStats()
    with Archive(archive_path) as archive:
        beside = str(archive_path) if "://" not in str(archive_path) else None
        job = _Run(paths, options, runner, stats, index=archive.load_dedup(),
                   skip=archive.file_done if remember_files else None, work=_work_dir(runner, beside))
        ok = False
        try:
            job.passes()
            counts = {"added": 0, "updated": 0, "unchanged": 0}
            touched: list[str] = []
            batch: list[Article] = []
            for article in job.articles(touched):
                batch.append(article)
                if len(batch) >= BATCH:
                    counts.update({k: counts[k] + v for k, v in archive.write(batch).items()})
                    batch.clear()
            if batch:
                counts.update({k: counts[k] + v for k, v in archive.write(batch).items()})
            if job.dedup is not None:
                archive.save_dedup(job.dedup.index, touched)
            for path in job.files if remember_files else ():
                archive.mark_file(path, 0)
            archive.tidy()
            if archive.names_due(counts["added"] + counts["updated"]):
                archive.learn_names()
            ok = True
        finally:
            job.close(ok)
    if ids is not None:
        ids.extend(touched)
    return stats, counts


#: what ``ingest_data`` takes: JSON lines, or one HTML page
DATA_KINDS = ("jsonl", "html")


def ingest_data(
    data: bytes, kind: str, archive_path: str | os.PathLike[str], options: ProcessOptions = ProcessOptions(),
    *, url: str | None = None,
) -> tuple[RunStats, dict[str, int], list[str]]:
    """Ingest articles given as bytes (what ``POST /api/ingest`` receives): JSON lines, or one HTML
    page (its URL from ``url``, else the page's canonical link). The same pipeline and archive
    writes as :func:`ingest_files`; also the ids stored."""
    if kind not in DATA_KINDS:
        raise MarsadError(f"ingest takes {' or '.join(DATA_KINDS)}, not {kind!r}")
    ids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="marsad-ingest-") as tmp:
        if kind == "html" and url:
            from .steps.decode import decode_html

            record = {"html": decode_html(data, url), "url": url}
            data, kind = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"), "jsonl"
        path = os.path.join(tmp, "posted." + kind)
        with open(path, "wb") as fh:
            fh.write(data)
        stats, counts = ingest_files([path], archive_path, options, ids=ids, remember_files=False)
    return stats, counts, ids


class _FailureLog(ErrorLog):
    """An error log that also remembers which articles a step failed on."""

    def __init__(self, stats: RunStats) -> None:
        super().__init__(stats)
        self.failed: set[str] = set()

    def step_error(self, article: Article, step: str, exc: Exception) -> None:
        self.failed.add(article.id)
        super().step_error(article, step, exc)


def enrich_archive(
    archive_path: str | os.PathLike[str], *, everything: bool = False, options: EnrichOptions | None = None,
    progress: bool | None = None, stats: RunStats | None = None,
) -> tuple[RunStats, dict[str, int]]:
    """Enrich the articles of an archive that were stored without enrichment (by an older marsad,
    or ``ingest --no-enrich``); ``everything``: all of them, e.g. after a model changed. Batches
    of one transaction each: an interrupted run keeps what it stored, and the next picks up the
    rest. Counts of ``pending`` (articles found to enrich) and ``enriched``; an article enrichment
    fails on is reported in ``stats`` and left as it was (unlike ingest, which stores what was
    found before the failure: here the article already has its fields)."""
    from .archive.store import BATCH, Archive
    from .steps.enrich import ArticleEnricher, EnrichOptions

    stats = stats or RunStats()
    enricher = ArticleEnricher(options or EnrichOptions())
    with Archive(archive_path, create=False) as archive:
        ids = archive.unenriched(everything=everything)
        counts = {"pending": len(ids), "enriched": 0}
        batch: list[Article] = []

        def stored() -> Iterator[Article]:
            for start in range(0, len(ids), BATCH):
                yield from archive.articles(ids[start : start + BATCH])

        errors = _FailureLog(stats)

        def write(article: Article) -> None:
            if article.id in errors.failed:  # counted and logged; what it had before stays
                return
            batch.append(article)
            if len(batch) >= BATCH:
                counts["enriched"] += archive.set_enrichment(batch)
                batch.clear()

        run(stored(), [enricher], write, errors=errors, progress=progress)
        if batch:
            counts["enriched"] += archive.set_enrichment(batch)
        archive.tidy()
        if archive.names_due(counts["enriched"]):
            archive.learn_names()
    return stats, counts
