"""Sharded runs: the input cut into shards, each pass of a job run over every shard by an executor (in
this process, or on Ray's workers: :mod:`marsad.runners.ray`), with what a pass learns about the
whole input merged between passes by the driver.

A shard's pass writes what it made into a work folder (``<pass>/shard-00012.articles``, a stream of
pickled articles, and ``.notes``, what the driver merges) and then a completion marker with its
stats (``shard-00012.done``, JSON). Files are written under a temporary name and renamed when whole,
so a shard killed half-way leaves nothing that looks finished. A run given ``resume`` skips the
shards whose marker is there, as datatrove's executors do; the work folder holds the plan of the run
(its shards and options), and resuming a run with other inputs or options is refused.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import ConfigError
from ..steps.readers import Shard
from .local import RunStats

log = logging.getLogger(__name__)

T = TypeVar("T")

#: what a pass does to one shard: (shard, job, merged state, folder of this pass, folder of the
#: pass before) -> the shard's stats
ShardTask = Callable[[Shard, object, object, Path, Path | None], RunStats]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunnerOptions:
    """Where and how a job's shards run."""

    #: "local" (in this process) or "ray"
    runner: str = "local"
    #: a Ray cluster's address (``ray://host:10001``, ``host:6379``, ``auto``); None starts a local Ray
    address: str | None = None
    #: shards run at once (None: every core of a local Ray, or every CPU of the cluster)
    workers: int | None = None
    #: skip the shards an interrupted run finished (their markers are in the work folder)
    resume: bool = False
    #: the work folder (None: beside the output or archive when the run can be resumed, else a
    #: temporary one); a Ray cluster's workers must all see it
    work_dir: Path | None = None
    shard_lines: int = 5_000
    shard_files: int = 500
    #: times a shard is tried again after its worker failed, before it is reported
    retries: int = 2


def executor(options: RunnerOptions, *, progress: bool | None = None) -> Executor:
    """The executor ``options`` names."""
    if options.runner == "local":
        return LocalExecutor(progress=progress)
    if options.runner == "ray":
        from .ray import RayExecutor

        return RayExecutor(address=options.address, workers=options.workers, retries=options.retries, progress=progress)
    raise ConfigError(f"unknown runner {options.runner!r}: local or ray")


class Executor(Protocol):
    """Runs one pass of a job over shards: in order here, or spread over workers."""

    def map(self, task: ShardTask, shards: list[Shard], job: object, state: object, folder: Path,
            before: Path | None, label: str, state_key: str) -> dict[int, RunStats]:
        """Each shard's stats, by shard number; a shard that failed for good is left out (and logged)."""
        ...


class Spill:
    """A file of pickled items written one by one, there whole or not at all (``with Spill(path) as
    out: out.write(item)``; renamed into place when the block ends without an error)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".part")
        self.count = 0

    def __enter__(self) -> Spill:
        self._fh = open(self.tmp, "wb")  # noqa: SIM115
        return self

    def write(self, item: object) -> None:
        pickle.dump(item, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:
            self._fh.close()
            self.tmp.unlink(missing_ok=True)
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self.tmp.replace(self.path)


def spill(path: Path, items: Iterable[object]) -> int:
    """Write ``items`` to ``path`` (:class:`Spill`); how many."""
    with Spill(path) as out:
        for item in items:
            out.write(item)
    return out.count


def unspill(path: Path) -> Iterator[object]:
    """The items :func:`spill` wrote, in order."""
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def stats_dict(stats: RunStats) -> dict[str, object]:
    return {"read": stats.read, "written": stats.written, "errors": dict(stats.errors), "skipped": dict(stats.skipped),
            "steps": {k: dict(v) for k, v in stats.steps.items()}, "seconds": stats.seconds}


def stats_from(data: dict[str, Any]) -> RunStats:
    """The stats a marker holds (:func:`stats_dict`)."""
    return RunStats(read=int(data.get("read") or 0), written=int(data.get("written") or 0),
                    errors=Counter(data.get("errors") or {}), skipped=Counter(data.get("skipped") or {}),
                    steps={k: Counter(v) for k, v in (data.get("steps") or {}).items()},
                    seconds=float(data.get("seconds") or 0.0))


def add_stats(total: RunStats, part: RunStats) -> None:
    """Add a shard's counts to the run's (its time is the run's own, not summed)."""
    total.errors.update(part.errors)
    total.skipped.update(part.skipped)
    for name, counts in part.steps.items():
        total.steps.setdefault(name, Counter()).update(counts)


def marker(folder: Path, shard: Shard) -> Path:
    return folder / f"{shard.name}.done"


def run_shard(task: ShardTask, shard: Shard, job: object, state: object, folder: Path, before: Path | None,
              state_key: str = "", *, watch: bool = False) -> RunStats:
    """One shard's pass, then its completion marker (what a worker runs). ``watch``: under a
    :mod:`~marsad.runners.watchdog` that ends the process when an article is stuck (a Ray worker)."""
    if watch:
        from .watchdog import watched

        with watched(folder / f"{shard.name}.stuck"):
            stats = task(shard, job, state, folder, before)
    else:
        stats = task(shard, job, state, folder, before)
    path = marker(folder, shard)
    tmp = path.with_name(path.name + ".part")
    record = {"shard": str(shard), "state": state_key, **stats_dict(stats)}
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return stats


@dataclass
class WorkDir:
    """A sharded run's work folder: one sub-folder per pass, the plan, the markers."""

    path: Path
    resume: bool = False
    #: shards that failed for good in some pass: left out of the later passes
    failed: set[int] = field(default_factory=set)

    def open(self, plan: dict[str, Any]) -> None:
        """Start the run: check a resumed run's plan, or clear what an earlier run left."""
        plan_file = self.path / "plan.json"
        if self.resume and plan_file.exists():
            try:
                earlier = json.loads(plan_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                earlier = None
            if earlier != json.loads(json.dumps(plan)):
                raise ConfigError(f"{self.path}: an earlier run's work for other inputs or options; "
                                  "run without --resume to start again")
            done = sum(1 for _ in self.path.glob("*/*.done"))
            log.info("%s: resuming: %d shard passes already done", self.path, done)
            return
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        (self.path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

    def folder(self, name: str) -> Path:
        path = self.path / name
        path.mkdir(exist_ok=True)
        return path

    def run(self, executor: Executor, task: ShardTask, shards: list[Shard], job: object, state: object,
            name: str, before: str | None, stats: RunStats) -> dict[int, RunStats]:
        """One pass over every shard not failed yet: the ones done before (``resume``) with the same
        state are read from their markers, the rest run; each shard's counts go into ``stats``.

        The state a pass is given is what the passes before learned from the shards they finished:
        a shard done with another state (an earlier run lost a shard the state was learned without)
        runs again."""
        folder = self.folder(name)
        state_key = ",".join(str(s.number) for s in shards if s.number not in self.failed) if state is not None else ""
        results: dict[int, RunStats] = {}
        todo = []
        for shard in shards:
            if shard.number in self.failed:
                continue
            done = marker(folder, shard)
            if self.resume and done.exists():
                try:
                    record = json.loads(done.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    record = None  # a marker that cannot be read: the shard runs again
                if isinstance(record, dict) and record.get("state", "") == state_key:
                    results[shard.number] = stats_from(record)
                    stats.resumed += 1
                    continue
            todo.append(shard)
        if todo:
            ran = executor.map(task, todo, job, state, folder, self.path / before if before else None, name, state_key)
            for shard in todo:
                if shard.number not in ran:
                    self.failed.add(shard.number)
                    stats.errors["shard_failed"] += 1
            results.update(ran)
        for part in results.values():
            add_stats(stats, part)
        return results

    def outputs(self, name: str, shards: list[Shard], suffix: str) -> Iterator[object]:
        """Every item a pass wrote to ``suffix`` files, shard by shard in order (failed ones left out)."""
        for shard in shards:
            if shard.number not in self.failed:
                yield from unspill(self.path / name / f"{shard.name}.{suffix}")

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class LocalExecutor:
    """Runs each shard in turn in this process; a shard that fails is reported and left out."""

    def __init__(self, *, progress: bool | None = None) -> None:
        self.progress = sys.stderr.isatty() if progress is None else progress

    def map(self, task: ShardTask, shards: list[Shard], job: object, state: object, folder: Path,
            before: Path | None, label: str, state_key: str) -> dict[int, RunStats]:
        results: dict[int, RunStats] = {}
        with ShardProgress(label, len(shards), show=self.progress) as bar:
            for shard in shards:
                try:
                    results[shard.number] = run_shard(task, shard, job, state, folder, before, state_key)
                except (OSError, pickle.PickleError, EOFError) as exc:
                    log.error("%s (%s): %s failed: %s", shard.name, shard, label, exc)
                    continue
                bar.done(results[shard.number])
        return results


class ShardProgress:
    """A progress bar over a pass's shards, with the articles they read (quiet when not on a terminal)."""

    def __init__(self, label: str, total: int, *, show: bool) -> None:
        self.label, self.total, self.show = label, total, show
        self.articles = 0
        self._bar: tuple[Any, Any] | None = None

    def __enter__(self) -> ShardProgress:
        if self.show:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("shards, {task.fields[articles]} articles"), TimeElapsedColumn(), transient=True)
            progress.start()
            self._bar = (progress, progress.add_task(self.label, total=self.total, articles=0))
        return self

    def done(self, stats: RunStats) -> None:
        self.articles += max(stats.read, stats.written)
        if self._bar is not None:
            self._bar[0].update(self._bar[1], advance=1, articles=self.articles)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar[0].stop()
