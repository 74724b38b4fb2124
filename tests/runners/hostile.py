"""A shard task with one article that hangs where no alarm can reach it (SIGALRM blocked: as code
stuck in C), for the watchdog's test. Shipped to Ray's workers by value."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from marsad.article import Article
from marsad.pipeline import Map
from marsad.runners.local import ErrorLog, RunStats, run
from marsad.runners.sharded import Spill
from marsad.steps.readers import Reader, Shard


class Hang(Map):
    """Passes every article on, but never returns from the one named ``target``."""

    name = "hang"
    time_limit = 1.0

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def process(self, article: Article) -> Article:
        if article.id == self.target:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # the alarm cannot come in
            time.sleep(600)
        return article


def hanging_task(shard: Shard, job: object, state: object, folder: Path, before: Path | None) -> RunStats:
    stats = RunStats()
    with Spill(folder / f"{shard.name}.articles") as out:
        run(Reader([]).read_shard(shard), [Hang(str(job))], out.write, errors=ErrorLog(stats), progress=False)
    return stats
