"""The Ray runner: a job's shards on Ray's workers, a local Ray started with the machine's cores when
no cluster's address is given.

Each shard's pass is one Ray task (one CPU). A task whose worker dies (killed, out of memory) or that
raises is tried again ``retries`` times, then reported and left out; the run goes on with the others.
A watchdog in each task ends its worker when one article stays stuck in a step past its time limit
(:mod:`~marsad.runners.watchdog`); the next try leaves that article out.
Workers keep the steps they built, so each worker loads the models once. Every worker must see the
input files and the work folder at the same paths (one machine, or a shared file system), and have
marsad installed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError, MarsadError
from ..steps.readers import Shard
from .local import RunStats
from .sharded import ShardProgress, ShardTask, run_shard

log = logging.getLogger(__name__)


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("the Ray runner needs Ray: pip install 'marsad[ray]'") from exc
    return ray


class RayExecutor:
    """Runs a pass's shards as Ray tasks, at most ``workers`` at once."""

    def __init__(self, *, address: str | None = None, workers: int | None = None, retries: int = 2,
                 progress: bool | None = None) -> None:
        import sys

        self.address, self.workers, self.retries = address, workers, retries
        self.progress = sys.stderr.isatty() if progress is None else progress
        self._remote: Any = None

    def _start(self) -> Any:
        ray = _ray()
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True,
                                       "logging_level": logging.WARNING, "configure_logging": False}
            if self.address:
                options["address"] = self.address
            else:  # a local Ray for this run, with the cores asked for
                options["num_cpus"] = self.workers or os.cpu_count() or 1
            try:
                ray.init(**options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = self.address or "a local Ray"
                raise MarsadError(f"cannot start the Ray runner on {where}: {exc}") from exc
        if self._remote is None:
            self._remote = ray.remote(num_cpus=1, max_retries=self.retries, retry_exceptions=True)(run_shard)
        return ray

    def map(self, task: ShardTask, shards: list[Shard], job: object, state: object, folder: Path,
            before: Path | None, label: str, state_key: str) -> dict[int, RunStats]:
        ray = self._start()
        limit = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        state_ref = ray.put(state)  # once for all the pass's tasks
        job_ref = ray.put(job)
        pending = list(shards)
        running: dict[Any, Shard] = {}
        results: dict[int, RunStats] = {}
        with ShardProgress(f"{label} (ray)", len(shards), show=self.progress) as bar:
            while pending or running:
                while pending and len(running) < limit:
                    shard = pending.pop(0)
                    running[self._remote.remote(task, shard, job_ref, state_ref, folder, before, state_key, watch=True)] = shard
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    shard = running.pop(ref)
                    try:
                        results[shard.number] = ray.get(ref)
                    except (ray.exceptions.RayError, OSError) as exc:
                        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                        log.error("%s (%s): %s failed after %d tries: %s", shard.name, shard, label,
                                  self.retries + 1, first)
                        continue
                    bar.done(results[shard.number])
        return results


def shutdown() -> None:
    """Stop the local Ray this process started, if any."""
    try:
        import ray
    except ImportError:
        return
    if ray.is_initialized():
        ray.shutdown()
