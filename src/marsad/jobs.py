"""Whole jobs over files: what ``marsad process`` does, as one library call.

A job builds the steps from one :class:`ProcessOptions`, runs them with the local runner, and writes
JSON lines. Near-duplicate clusters are assigned as articles stream by, but a cluster's size and
original are only known at the end: the output is written to a temporary file first and rewritten
with the final values (memory stays that of the dedup index, not of the articles).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .article import Article
from .errors import MarsadError
from .pipeline import Step
from .runners.local import ErrorLog, RunStats, run
from .steps.dedup import DedupIndex, Deduplicator
from .steps.readers import Reader
from .steps.writers import JsonlWriter

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


def process_files(
    paths: Sequence[str], output: str | None, options: ProcessOptions = ProcessOptions(), *, stats: RunStats | None = None
) -> RunStats:
    """Process ``paths`` into ``output`` (JSON lines; ``None`` for standard output)."""
    stats = stats or RunStats()
    errors = ErrorLog(stats)
    steps = build_steps(options)
    reader = Reader(paths, source=options.source, on_error=errors.read_error)
    dedup = next((s for s in steps if isinstance(s, Deduplicator)), None)
    target_dir = os.path.dirname(os.path.abspath(output)) if output else None
    if output and not os.path.isdir(target_dir or "."):
        raise MarsadError(f"{output}: cannot write: no such directory")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".jsonl", dir=target_dir, delete=False) as tmp:
        try:
            run(reader, steps, JsonlWriter(tmp), errors=errors, progress=options.progress)  # type: ignore[arg-type]
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    try:
        ids: list[str] = []
        if output and output.lower().endswith(".parquet"):
            from .steps.parquet import write_parquet

            _, files = write_parquet(_final_records(tmp.name, dedup, ids), output, file_bytes=options.parquet_file_bytes)
            stats.outputs = [str(f) for f in files]
        elif dedup is None:
            _deliver(tmp.name, output)
        else:
            _finalise(tmp.name, output, dedup, ids)
        if dedup is not None:
            stats.clusters = dedup.size_histogram(ids)
            if options.dedup_index:
                dedup.index.save(options.dedup_index)
    finally:
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)
    return stats


def _deliver(tmp: str, output: str | None) -> None:
    if output:
        os.replace(tmp, output)
    else:
        with open(tmp, encoding="utf-8") as fh:
            shutil.copyfileobj(fh, sys.stdout)


def _final_records(tmp: str, dedup: Deduplicator | None, ids: list[str]) -> Iterator[dict[str, object]]:
    """The run's records with each one's final cluster size and original; their ids into ``ids``."""
    with open(tmp, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            ids.append(record["id"])
            got = dedup.final(record["id"]) if dedup is not None else None
            if got is not None:
                record["cluster"], record["cluster_size"], record["original"], record["duplicate_of"] = got
            yield record


def _finalise(tmp: str, output: str | None, dedup: Deduplicator, ids: list[str]) -> None:
    """Rewrite the run's output with each article's final cluster size and original (their ids into ``ids``)."""
    out: TextIO = open(output + ".part", "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        for record in _final_records(tmp, dedup, ids):
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
    finally:
        if output:
            out.close()
    if output:
        os.replace(output + ".part", output)


def ingest_files(
    paths: Sequence[str], archive_path: str | os.PathLike[str], options: ProcessOptions = ProcessOptions(),
    *, stats: RunStats | None = None, ids: list[str] | None = None, remember_files: bool = True,
) -> tuple[RunStats, dict[str, int]]:
    """Run the pipeline over ``paths`` and store the articles in the archive (idempotent, resumable).

    Files stored whole by an earlier ingest (same size and modification time) are not read again;
    an interrupted ingest keeps its committed batches, and the next run picks up from there.
    ``ids``, if given, receives the id of every article stored; without ``remember_files`` the files
    are neither skipped nor recorded as read (a temporary file's name means nothing later).
    """
    from .archive.store import BATCH, Archive

    stats = stats or RunStats()
    errors = ErrorLog(stats)
    with Archive(archive_path) as archive:
        index = archive.load_dedup()
        dedup = Deduplicator(index=index)
        steps = build_steps(options, dedup=dedup)
        reader = Reader(paths, source=options.source, on_error=errors.read_error,
                        skip=archive.file_done if remember_files else None)
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        touched: list[str] = []
        batch: list = []

        def write(article: Article) -> None:
            touched.append(article.id)
            batch.append(article)
            if len(batch) >= BATCH:
                counts.update({k: counts[k] + v for k, v in archive.write(batch).items()})
                batch.clear()

        run(reader, steps, write, errors=errors, progress=options.progress)
        if batch:
            counts.update({k: counts[k] + v for k, v in archive.write(batch).items()})
        archive.save_dedup(index, touched)
        for path in reader.files_read if remember_files else ():
            archive.mark_file(path, 0)
        archive.tidy()
        if archive.names_due(counts["added"] + counts["updated"]):
            archive.learn_names()
        stats.clusters = dedup.size_histogram(touched)
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
