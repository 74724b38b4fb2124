"""A worker's watchdog: when one article stays in a step well past the step's time limit (its alarm
never fired: the code is stuck in C, where Python cannot interrupt it), it notes the article as stuck
beside the shard's work and ends the worker, which Ray then runs again; the next try leaves that
article out (counted as the step's timeout) and goes on. One bad page costs a try, not the shard.

Only where losing the process is allowed: a Ray worker, never the user's own command.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import pipeline

log = logging.getLogger(__name__)

#: the exit status of a worker ended by its watchdog
STUCK_EXIT = 75


def grace(limit: float) -> float:
    """How long past its time limit an article may go before it counts as stuck."""
    return min(30.0, max(2.0, limit))


def read_stuck(path: Path) -> set[tuple[str, str]]:
    """The (step, article) pairs noted stuck in ``path`` by earlier tries."""
    found: set[tuple[str, str]] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return found
    for line in lines:
        try:
            record = json.loads(line)
            found.add((str(record["step"]), str(record["article"])))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut by the kill that ended the try
    return found


class Watchdog(threading.Thread):
    """Watches :data:`marsad.pipeline.current`; past its deadline and the grace, notes it in ``path``
    and ends the process."""

    def __init__(self, path: Path, *, every: float = 0.5) -> None:
        super().__init__(name="marsad-watchdog", daemon=True)
        self.path, self.every = path, every
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            box = pipeline.current
            if box is None:
                continue
            if time.monotonic() > box.deadline + grace(box.seconds) and pipeline.current is box:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"step": box.step, "article": box.article}, ensure_ascii=False) + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
                log.error("%s: article %s is stuck in %s past its time limit: this try ends, the next leaves it out",
                          self.path.stem, box.article, box.step)
                os._exit(STUCK_EXIT)


@contextmanager
def watched(path: Path) -> Iterator[None]:
    """Run the block with a watchdog, leaving out what earlier tries noted stuck in ``path``."""
    pipeline.stuck = read_stuck(path)
    dog = Watchdog(path)
    dog.start()
    try:
        yield
    finally:
        dog.done.set()
        dog.join()
        pipeline.stuck = set()
