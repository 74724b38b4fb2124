"""What splitting the search index costs an ingest: ANT ingested (no enrichment, one core) with the
split threshold as shipped (no split happens at 31k articles) and lowered so that it splits
several times; CPU seconds of each, articles moved, and the cost per article moved.

    python bench/bench_split.py [--source ANT.jsonl.gz] [--split-at 12000] [--cpu 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"

CHILD = """
import json, resource, sys
from marsad.archive import Archive, schema, store
from marsad.jobs import ProcessOptions, ingest_files
split_at = int(sys.argv[3])
if split_at:
    schema.SPLIT_AT = store.SPLIT_AT = split_at
moved = 0
split = schema.Partitions.split
def counting(self, name):
    global moved
    (before,) = self.db.execute("SELECT n FROM parts WHERE name = ?", (name,)).fetchone()
    new = split(self, name)
    (after,) = self.db.execute("SELECT n FROM parts WHERE name = ?", (name,)).fetchone()
    moved += before - after
    return new
schema.Partitions.split = counting
_, counts = ingest_files([sys.argv[1]], sys.argv[2], ProcessOptions(progress=False, enrich=False))
ru = resource.getrusage(resource.RUSAGE_SELF)
with Archive(sys.argv[2]) as archive:
    parts = archive.db.execute("SELECT count(*) FROM parts").fetchone()[0]
print(json.dumps({"cpu_s": ru.ru_utime + ru.ru_stime, "moved": moved, "parts": parts, **counts}))
"""


def run(source: Path, split_at: int, cpu: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["taskset", "-c", str(cpu), sys.executable, "-c", CHILD, str(source), os.path.join(tmp, "a.db"),
                              str(split_at)], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=ANT)
    ap.add_argument("--split-at", type=int, default=12_000)
    ap.add_argument("--cpu", type=int, default=1)
    args = ap.parse_args()
    base = run(args.source, 0, args.cpu)
    split = run(args.source, args.split_at, args.cpu)
    articles = base["added"] + base["updated"] + base["unchanged"]
    print(f"as shipped: {base['cpu_s']:.1f} s CPU, {base['parts']} part(s), {articles / base['cpu_s']:.0f} articles/s")
    print(f"split at {args.split_at:,}: {split['cpu_s']:.1f} s CPU, {split['parts']} parts, {split['moved']:,} articles moved,"
          f" {articles / split['cpu_s']:.0f} articles/s")
    if split["moved"]:
        per = (split["cpu_s"] - base["cpu_s"]) / split["moved"] * 1000
        print(f"cost per article moved: {per:.2f} ms; one moved per article ingested (a large archive's steady state):"
              f" {1000 / (base['cpu_s'] / articles * 1000 + per):.0f} articles/s")


if __name__ == "__main__":
    main()
