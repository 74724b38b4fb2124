"""The PostgreSQL archive against the SQLite one, in one run (issue 15): ingest of ANT, size, and the
latency of bench_archive.py's query mix, with how often both give the same top ten.

    python bench/bench_pg.py                    # all of ANT, --no-enrich, 300 queries
    python bench/bench_pg.py --limit 5000       # a quicker look

* a throwaway PostgreSQL cluster (Debian's PostgreSQL, ``tests/archive/pg.py``: initdb into a
  temporary folder, a unix socket, PostgreSQL's default settings: fsync and synchronous commits on,
  unlike the tests' cluster), stopped at the end;
* **ingest**: ``marsad ingest ANT --no-enrich --no-progress`` into a new SQLite file, then into a new
  PostgreSQL database, each in a child process: wall seconds, the child's CPU seconds (the PostgreSQL
  server's own CPU is not in them: it runs in its own processes, on the other core);
* **size**: the SQLite file, ``pg_database_size``;
* **search**: bench_archive.py's seeded mix of 300 queries drawn from the headlines (words, phrases,
  ``OR``, prefixes, exclusions, date windows, sources, sorted by date), each run once to warm up and
  once timed, in-process ``Archive.search`` on each archive in turn; p50 / p95 / max, and the share of
  queries whose ten first ids are the same on both.

Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ANT = REPO.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def ingest(source: Path, target: str) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(source), "--archive", target,
                           "--no-enrich", "--no-progress"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"ingest into {target} failed:\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    added = next((line for line in proc.stderr.splitlines() if line.startswith("archive ")), "")
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "stored": added}


def latency(target: str | Path, queries: list[Any]) -> tuple[list[float], list[list[str]]]:
    from marsad.archive import Archive

    times, tops = [], []
    with Archive(target, create=False) as archive:
        for q in queries:
            archive.search(q.text, **q.options)
        for q in queries:
            start = time.perf_counter()
            found = archive.search(q.text, **q.options)
            times.append(time.perf_counter() - start)
            tops.append([h.id for h in found.results[:10]])
    return times, tops


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ANT)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: absent (../shared/data is beside the repository on the project's machines)")
    bench_archive = load("bench_archive", HERE / "bench_archive.py")
    pg = load("marsad_tests_pg", REPO / "tests" / "archive" / "pg.py")
    if pg.pg_bin() is None:
        raise SystemExit("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    cluster = pg.Cluster(durable=True)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
            source = Path(tmp) / "ant.jsonl"
            with gzip.open(args.data, "rt", encoding="utf-8") as fh, open(source, "w", encoding="utf-8") as out:
                for n, line in enumerate(fh):
                    if args.limit and n >= args.limit:
                        break
                    out.write(line)
            lite, url = Path(tmp) / "ant.db", cluster.create_database()
            results: dict[str, Any] = {"sqlite": ingest(source, str(lite)), "postgresql": ingest(source, url)}
            import psycopg

            with psycopg.connect(url) as con:
                row = con.execute("SELECT pg_database_size(current_database())").fetchone()
            results["sqlite"]["size_mb"] = round(lite.stat().st_size / 2**20)
            results["postgresql"]["size_mb"] = round(int(row[0]) / 2**20) if row else None
            queries = bench_archive.query_mix(lite, args.queries)
            import sqlite3

            with sqlite3.connect(lite) as db:
                bench_archive.resolve(queries, db)
            lite_times, lite_tops = latency(lite, queries)
            pg_times, pg_tops = latency(url, queries)
            for name, times in (("sqlite", lite_times), ("postgresql", pg_times)):
                results[name].update(p50_ms=round(pct(times, 0.5), 1), p95_ms=round(pct(times, 0.95), 1),
                                     max_ms=round(max(times) * 1000, 1))
            same = sum(a == b for a, b in zip(lite_tops, pg_tops))
            results["same_top10"] = f"{same}/{len(queries)}"
            results["slowest_pg"] = sorted(((round(t * 1000, 1), q.label()) for t, q in zip(pg_times, queries)), reverse=True)[:8]
    finally:
        cluster.stop()
    for name in ("sqlite", "postgresql"):
        r = results[name]
        print(f"{name:11} ingest {r['wall_s']}s wall, {r['cpu_s']}s CPU (client); {r['size_mb']} MB; "
              f"search p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms")
    print(f"ratios PostgreSQL / SQLite: ingest wall {results['postgresql']['wall_s'] / results['sqlite']['wall_s']:.2f}, "
          f"search p50 {results['postgresql']['p50_ms'] / results['sqlite']['p50_ms']:.2f}, "
          f"p95 {results['postgresql']['p95_ms'] / results['sqlite']['p95_ms']:.2f}; same top ten: {results['same_top10']}")
    print("slowest on PostgreSQL:", *results["slowest_pg"], sep="\n  ")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
