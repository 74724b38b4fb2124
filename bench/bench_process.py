"""Throughput and memory of ``marsad process`` on the ANT corpus (one core).

    python bench/bench_process.py [--data ../shared/data/ant_multisource/articles.jsonl.gz]

Runs the command's own code path (reader -> steps -> JSONL writer) in a fresh subprocess per size, so
each peak RSS is that run's alone, on the first 3,000 articles and then on all of them: memory that
stays flat while the input grows ten times means nothing accumulates per article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"

CHILD = r"""
import json, os, resource, sys, time
from marsad.runners.local import ErrorLog, RunStats, run
from marsad.steps import default_steps
from marsad.steps.readers import Reader
from marsad.steps.writers import JsonlWriter
stats = RunStats()
with open(os.devnull, "w", encoding="utf-8") as out:
    t = time.process_time()
    run(Reader([sys.argv[1]]), default_steps(), JsonlWriter(out), errors=ErrorLog(stats), progress=False)
    cpu = time.process_time() - t
print(json.dumps({"articles": stats.written, "errors": sum(stats.errors.values()), "cpu_s": cpu,
                  "wall_s": stats.seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def subset(src: Path, n: int, dst: Path) -> None:
    with gzip.open(src, "rt", encoding="utf-8") as fin, gzip.open(dst, "wt", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)


def measure(path: Path) -> dict[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    # taskset pins the run to one core where it exists, so the figure is a one-core figure
    cmd = [sys.executable, "-c", CHILD, str(path)]
    if os.path.exists("/usr/bin/taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--small", type=int, default=3000)
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found")
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.jsonl.gz"
        subset(args.data, args.small, small)
        rows = [("small", measure(small)), ("all", measure(args.data))]
    print("| input | articles | CPU s | articles/s (CPU) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['articles']} | {r['cpu_s']:.1f} | {r['articles'] / r['cpu_s']:.0f} | {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
