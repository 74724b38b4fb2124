"""The global dedup stage of a sharded run (issue 15): its time and memory as the archive grows.

    python bench/bench_dedup_stage.py                          # ANT's keys, then 100k, 300k, 1M
    python bench/bench_dedup_stage.py --sizes 100000 2000000

Two parts:

* **ANT**: the keys of ANT's 31,525 articles (``Deduplicator.key``: body hash, MinHash signature of 100
  hashes, 20 band keys; the shard side of dedup) and their clustering in input order
  (``Deduplicator.assign``: the driver's side), articles per second each.
* **growth**: N keys of distinct stories (random signatures: no two collide, so every article makes a
  cluster of its own, the index's worst case) clustered on the driver, in a child process per N: the
  time per article and the driver's resident memory (VmHWM) minus the child's start, per article.

The driver holds the whole index (URLs, body hashes, one signature per cluster, 20 band keys per
article); docs/scale.md extrapolates from these points. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANT = HERE.parent.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def vm_hwm() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def ant() -> None:
    from marsad.article import Article
    from marsad.steps.dedup import Deduplicator

    articles = []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            articles.append(Article(id=str(r["id"]), raw="", text=r["text"], url=r.get("url")))
    keyer, driver = Deduplicator(), Deduplicator()
    start = time.perf_counter()
    keys = [keyer.key(a) for a in articles]
    keyed = time.perf_counter() - start
    start = time.perf_counter()
    for key in keys:
        driver.assign(key)
    assigned = time.perf_counter() - start
    clusters = sum(1 for c in driver.index.clusters.values() if c.size > 1)
    print(f"ANT {len(keys)} articles: keys {len(keys) / keyed:,.0f}/s (shard side), "
          f"clustering {len(keys) / assigned:,.0f}/s (driver), {clusters} clusters of copies")


def growth(n: int) -> None:
    import numpy as np

    from marsad.steps.dedup import DedupKey, Deduplicator

    rng = np.random.default_rng(1)
    base = vm_hwm()
    dedup = Deduplicator()
    hasher = dedup.hasher
    start = time.perf_counter()
    for i in range(n):
        signature = rng.integers(0, np.iinfo(np.uint64).max, size=hasher.config.size, dtype=np.uint64, endpoint=True)
        key = DedupKey(f"a{i}", f"https://example.com/{i}", f"{i:032x}", signature, hasher.band_keys(signature),
                       ("2024-01-01", -3000))
        dedup.assign(key)
    seconds = time.perf_counter() - start
    grown = vm_hwm() - base
    print(json.dumps({"n": n, "seconds": round(seconds, 1), "per_article_us": round(seconds / n * 1e6, 1),
                      "memory_mb": round(grown / 2**20), "bytes_per_article": round(grown / n)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        growth(args.child)
        return
    if ANT.exists():
        ant()
    else:
        print(f"{ANT}: absent, ANT part skipped")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True)
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
