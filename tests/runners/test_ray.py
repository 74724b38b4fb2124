"""The Ray runner on a real local Ray (2 CPUs): the same output as the local runner, a worker killed in
the middle of a shard, a driver killed with kill -9 and resumed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from corpus import kill_after_shards, marsad, write_pages

from marsad.archive import Archive
from marsad.jobs import ProcessOptions, ingest_files, process_files
from marsad.runners.local import RunStats
from marsad.runners.sharded import RunnerOptions
from marsad.steps.readers import Reader

SAMPLES = Path(__file__).parents[2] / "samples"
FAST = ProcessOptions(enrich=False, progress=False)


@pytest.fixture(scope="module")
def inputs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(corpus), str(SAMPLES / "text"), str(write_pages(tmp_path_factory.mktemp("html")))]


@pytest.fixture(scope="module")
def local_output(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    process_files(inputs, str(out), ProcessOptions(progress=False), runner=RunnerOptions(shard_lines=6, shard_files=3))
    return out.read_text(encoding="utf-8")


def test_ray_gives_the_local_runners_output(ray_address, inputs, local_output, tmp_path):
    out = tmp_path / "out.jsonl"
    stats = process_files(inputs, str(out), ProcessOptions(progress=False),
                          runner=RunnerOptions(runner="ray", shard_lines=6, shard_files=3))
    assert out.read_text(encoding="utf-8") == local_output  # articles, fields, clusters and order
    assert stats.read == stats.written == len(local_output.splitlines())
    assert stats.steps["enrich"]["seen"] == stats.written and not stats.errors
    assert not (tmp_path / "out.jsonl.work").exists()  # the work is removed once the run is whole
    # the models load once per worker process (two here, none in a worker that loaded them for an
    # earlier test, one more if Ray replaced a worker), not once per shard
    shards = len(Reader(inputs).plan(lines=6, files=3))
    built = stats.steps["workers"]
    assert shards > 12 and max(built["built:read"], built["built:annotate"], built["built:enrich"]) <= shards // 4


def rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT id, key, cluster, title, author, text FROM articles ORDER BY id").fetchall()


def test_ray_ingest_stores_what_the_local_runner_stores(ray_address, inputs, tmp_path):
    local, remote = tmp_path / "local.db", tmp_path / "ray.db"
    _, local_counts = ingest_files(inputs, local, FAST, runner=RunnerOptions(shard_lines=6, shard_files=3))
    _, ray_counts = ingest_files(inputs, remote, FAST, runner=RunnerOptions(runner="ray", shard_lines=6, shard_files=3))
    assert local_counts == ray_counts and ray_counts["added"] > 50
    assert rows(local) == rows(remote)
    with Archive(remote, create=False) as archive:
        assert archive.search("مجلس المدينة").total > 0
    # the files are remembered: a second ingest reads nothing
    stats, counts = ingest_files(inputs, remote, FAST, runner=RunnerOptions(runner="ray"))
    assert stats.read == 0 and counts["added"] == 0


def test_ray_ingest_into_postgresql_stores_what_sqlite_stores(ray_address, inputs, pg_url, tmp_path):
    local = tmp_path / "local.db"
    _, local_counts = ingest_files(inputs, local, FAST, runner=RunnerOptions(shard_lines=6, shard_files=3))
    _, pg_counts = ingest_files(inputs, pg_url, FAST, runner=RunnerOptions(runner="ray", shard_lines=6, shard_files=3,
                                                                          work_dir=tmp_path / "work"))
    assert pg_counts == local_counts
    with Archive(local, create=False) as a, Archive(pg_url, create=False) as b:
        assert a.count() == b.count() > 50
        ids = sorted(r["id"] for r in a.records())
        assert ids == sorted(r["id"] for r in b.records())
        assert [a.get(i) for i in ids] == [b.get(i) for i in ids]  # every field, clusters included
        found = [h.id for h in a.search("مجلس المدينة").results]
        assert found and found == [h.id for h in b.search("مجلس المدينة").results]


def shard_workers() -> list[int]:
    """Ray's worker processes running a shard now (Ray names them after the task)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().startswith(b"ray::run_shard"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def kill_a_worker_mid_shard(stop: threading.Event, killed: list[int]) -> None:
    while not stop.is_set() and not killed:
        for pid in shard_workers():
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                continue
            break
        time.sleep(0.01)


def run_while_killing(fn) -> tuple[object, list[int]]:
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=kill_a_worker_mid_shard, args=(stop, killed))
    killer.start()
    try:
        return fn(), killed
    finally:
        stop.set()
        killer.join()


def test_a_worker_killed_in_a_shard_is_retried(ray_address, inputs, local_output, tmp_path):
    out = tmp_path / "out.jsonl"
    stats, killed = run_while_killing(lambda: process_files(
        inputs, str(out), ProcessOptions(progress=False), runner=RunnerOptions(runner="ray", shard_lines=6, shard_files=3)))
    assert killed, "no worker was running a shard"
    assert out.read_text(encoding="utf-8") == local_output
    assert not stats.errors  # type: ignore[attr-defined]


def test_a_shard_that_keeps_failing_is_reported_and_resumed(ray_address, inputs, local_output, tmp_path):
    out, work = tmp_path / "out.jsonl", tmp_path / "work"
    runner = RunnerOptions(runner="ray", shard_lines=6, shard_files=3, retries=0, work_dir=work, resume=True)
    stats, killed = run_while_killing(lambda: process_files(inputs, str(out), ProcessOptions(progress=False), runner=runner))
    assert killed
    assert stats.errors["shard_failed"] == 1  # type: ignore[attr-defined]
    written = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(written) < len(local_output.splitlines())  # the others are written
    assert work.exists()  # kept for --resume
    stats = process_files(inputs, str(out), ProcessOptions(progress=False), runner=runner)
    assert not stats.errors and out.read_text(encoding="utf-8") == local_output
    assert not work.exists()


def test_a_killed_driver_resumes_with_nothing_lost_or_repeated(ray_address, corpus, tmp_path):
    expected = tmp_path / "expected.jsonl"
    process_files([str(corpus)], str(expected), FAST, runner=RunnerOptions(shard_lines=4))
    out, work = tmp_path / "out.jsonl", tmp_path / "work"
    args = marsad("process", str(corpus), "-o", str(out), "--no-enrich", "--runner", "ray", "--address", ray_address,
                  "--shard-lines", "4", "--work-dir", str(work), "--resume")
    kill_after_shards(args, work, 3)
    # a task already running on a worker may still finish after its driver is killed, before Ray
    # cancels the dead driver's work: count the passes once no marker has come for two seconds
    done, since, deadline = -1, time.monotonic(), time.monotonic() + 30
    while time.monotonic() < deadline:
        now = len(list(work.glob("*/*.done")))
        if now != done:
            done, since = now, time.monotonic()
        elif time.monotonic() - since >= 2:
            break
        time.sleep(0.1)
    assert not out.exists()
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    # what the killed run finished is not done again
    assert f"resumed: {done} shard passes" in result.stderr and done >= 3
    assert "read 53 articles, wrote 53" in result.stderr


def test_without_an_address_a_local_ray_starts(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_ADDRESS")}
    result = subprocess.run(marsad("process", str(corpus), "-o", str(out), "--no-enrich", "--runner", "ray",
                                   "--workers", "2", "--shard-lines", "20"),
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "read 53 articles, wrote 53" in result.stderr and len(out.read_text().splitlines()) == 53


def test_an_article_stuck_where_no_alarm_reaches_costs_a_try_not_the_shard(ray_address, corpus, tmp_path):
    import hostile
    import ray.cloudpickle

    from marsad.runners.ray import RayExecutor
    from marsad.runners.sharded import WorkDir
    from marsad.steps.readers import Reader

    ray.cloudpickle.register_pickle_by_value(hostile)  # the workers cannot import the tests
    shards = Reader([str(corpus)]).plan(lines=20)
    work = WorkDir(tmp_path / "work")
    work.open({})
    stats = RunStats()
    done = work.run(RayExecutor(progress=False), hostile.hanging_task, shards, "p007", None, "hang", None, stats)
    assert sorted(done) == [s.number for s in shards]  # no shard lost
    assert stats.errors == {"hang_timeout": 1}
    ids = [a.id for a in work.outputs("hang", shards, "articles")]  # type: ignore[attr-defined]
    assert len(ids) == 52 and "p007" not in ids
    assert '"article": "p007"' in (tmp_path / "work" / "hang" / "shard-00000.stuck").read_text()
