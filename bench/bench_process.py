"""Throughput and memory of ``marsad process`` on the ANT corpus (one core).

    python bench/bench_process.py [--data ../shared/data/ant_multisource/articles.jsonl.gz] [--small 3000]
                                  [--enrich both|on|off] [--only small|all]

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
from marsad.jobs import ProcessOptions, build_steps
from marsad.runners.local import ErrorLog, RunStats, run
from marsad.steps.readers import Reader
from marsad.steps.writers import JsonlWriter
stats = RunStats()
# every step of `marsad process`: cleanup, language, quality, dedup, and enrichment when asked
steps = build_steps(ProcessOptions(progress=False, enrich=sys.argv[2] == "on"))
with open(os.devnull, "w", encoding="utf-8") as out:
    t = time.process_time()
    run(Reader([sys.argv[1]]), steps, JsonlWriter(out), errors=ErrorLog(stats), progress=False)
    cpu = time.process_time() - t
parts = {s.name: dict(s.stats) for s in steps if s.name == "enrich"}
print(json.dumps({"articles": stats.written, "errors": sum(stats.errors.values()), "cpu_s": cpu,
                  "wall_s": stats.seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "enrich": parts.get("enrich", {}).get("enriched", 0)}))
"""


def subset(src: Path, n: int, dst: Path) -> None:
    with gzip.open(src, "rt", encoding="utf-8") as fin, gzip.open(dst, "wt", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)


def measure(path: Path, enrich: str) -> dict[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    # taskset pins the run to one core where it exists, so the figure is a one-core figure
    cmd = [sys.executable, "-c", CHILD, str(path), enrich]
    if os.path.exists("/usr/bin/taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--small", type=int, default=3000)
    ap.add_argument("--enrich", choices=["both", "on", "off"], default="both")
    ap.add_argument("--only", choices=["small", "all"])
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found")
    modes = ["off", "on"] if args.enrich == "both" else [args.enrich]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.jsonl.gz"
        subset(args.data, args.small, small)
        for mode in modes:
            for name, path in (("small", small), ("all", args.data)):
                if args.only in (None, name):
                    rows.append((f"enrich {mode}", name, measure(path, mode)))
    print("| steps | input | articles | CPU s | articles/s (CPU) | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|")
    for mode, name, r in rows:
        print(f"| {mode} | {name} | {r['articles']} | {r['cpu_s']:.1f} | {r['articles'] / r['cpu_s']:.0f} | {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
