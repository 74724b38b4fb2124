"""The datatrove peer of issue 15's scaling bench: a pipeline like ``marsad process --no-enrich`` under
datatrove's ``LocalPipelineExecutor`` at 1 and 2 workers, on all of the ANT corpus.

    /tmp/dtvenv/bin/python bench/bench_scale_datatrove.py [--data PATH] [--workers 1 2] [--tasks 4]
                                                          [--repeat 2] [--limit N] [--out results.json]

datatrove lives in a venv of its own (its ``[processing]`` extra downgrades trafilatura)::

    python3.11 -m venv /tmp/dtvenv
    /tmp/dtvenv/bin/pip install 'datatrove[processing]' spacy

``spacy`` is not in the extra but datatrove's filters need it: their word tokenizer for ``"ar"`` (and
for the default ``"en"``) is ``spacy.blank(lang)``, which has no model to download.

The input (one gzipped JSON lines file) is first dealt round-robin into ``--tasks`` shard files in a
temporary folder, outside the timing (the file is sorted by source, so contiguous shards would not
weigh the same). Then five pipeline runs, each a fresh subprocess timed around ``executor.run()``:

1. **filter** (``--tasks`` tasks): ``JsonlReader`` (text ``text``, id ``id``) -> ``FTFYFormatter`` ->
   ``SymbolLinesFormatter`` -> ``GopherRepetitionFilter`` -> ``GopherQualityFilter`` ->
   ``FineWebQualityFilter`` -> ``JsonlWriter``. The filters run with ``language="ar"`` and
   FineWeb-2's Arabic thresholds (marsad's defaults, ``marsad.text.quality.FINEWEB2_ARB``); Gopher's
   stop words are a short Arabic list (datatrove's default is eight English words, which would drop
   every article).
2. **signatures** (``--tasks``), 3. **buckets** (20 tasks, one per band), 4. **cluster** (1 task),
   5. **dedup** (``--tasks``; drops all but one of each cluster, ``JsonlWriter``): datatrove's four MinHash
   stages, set to marsad's MinHash (5-word shingles, 20 bands x 5 rows, not datatrove's 14 x 8).

Per worker count: wall seconds per run and in all, articles/s (input articles over the total), parallel
efficiency ``t1 / (W * tW)``, and each worker process's peak RSS (``VmHWM``, read from /proc every
50 ms: with one worker the tasks run in the driver process, which is then the worker; with more, in a
pool started by a forkserver, whose children are the workers; RSS counts pages shared with the
parent); and the CPU seconds of all the run's processes, read from /proc the same way (under no other
load, CPU/wall nears the worker count: well below it, the run waited for a core). Each configuration runs ``--repeat`` times,
interleaved; the best run is reported, all in JSON.

How it maps onto marsad's steps: reading -> ``Reader``; FTFY + symbol lines -> ``TextCleaner`` (which
does more: bylines, boilerplate lines learnt per site; datatrove has no such step); the three
filters -> ``QualityAnnotator`` (which only annotates; these drop); MinHash -> ``Deduplicator`` (which
is one streaming pass, also keys on URL and exact body hash, and keeps duplicates as clusters).
Left out: extraction (the input is already text: ``HtmlExtractor`` passes it through) and the
language step (datatrove's ``LanguageFilter`` downloads a fastText model, and there is no network
here); ``C4QualityFilter`` (its terminal punctuation is English-only: it would delete every Arabic line
ending in "؟" or "»", and it rewrites the text, which marsad's quality step does not). Output is plain
JSON lines, as marsad writes. Compare with marsad's own figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
STAGES = ("filter", "signatures", "buckets", "cluster", "dedup")
BANDS, ROWS, SHINGLE = 20, 5, 5
# Frequent Arabic function words, as spaCy's blank Arabic tokenizer leaves them (unnormalised).
AR_STOP_WORDS = ["في", "من", "على", "إلى", "عن", "أن", "إن", "التي", "الذي", "مع", "هذا", "هذه", "كان",
                 "ما", "لا", "قد", "بين", "بعد", "أو", "ذلك", "كما", "منذ", "حتى", "خلال"]


def split(src: Path, dst: Path, shards: int, limit: int | None) -> int:
    """Deal the lines of ``src`` round-robin into ``shards`` gzipped files in ``dst``; the line count."""
    dst.mkdir(parents=True)
    outs = [gzip.open(dst / f"shard_{i:03d}.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) for i in range(shards)]
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as fin:
        for n, line in enumerate(fin, 1):
            outs[(n - 1) % shards].write(line)
            if n == limit:
                break
    for out in outs:
        out.close()
    return n


def pipeline(stage: str, shards: Path, work: Path, tasks: int) -> tuple[list[Any], int]:
    """The steps of one run and its task count."""
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.formatters import FTFYFormatter, SymbolLinesFormatter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    config = MinhashConfig(n_grams=SHINGLE, num_buckets=BANDS, hashes_per_bucket=ROWS)
    kept = lambda: JsonlReader(str(work / "filtered"), text_key="text", id_key="id")  # noqa: E731
    if stage == "filter":
        return [
            JsonlReader(str(shards), text_key="text", id_key="id"),
            FTFYFormatter(),
            SymbolLinesFormatter(),
            GopherRepetitionFilter(dup_line_frac=0.304, dup_para_frac=None, dup_line_char_frac=None,
                                   dup_para_char_frac=None, top_n_grams=((2, 0.197), (3, 0.172), (4, 0.146)),
                                   dup_n_grams=((5, 0.165), (6, 0.153), (7, 0.142), (8, 0.131), (9, 0.12), (10, 0.109)),
                                   language="ar"),
            GopherQualityFilter(min_avg_word_length=2, max_avg_word_length=9, max_non_alpha_words_ratio=0.787,
                                stop_words=AR_STOP_WORDS, language="ar"),
            FineWebQualityFilter(line_punct_thr=0.143, short_line_thr=1.0, char_duplicates_ratio=0.1,
                                 new_line_ratio=0.189, language="ar"),
            JsonlWriter(str(work / "filtered"), compression=None),
        ], tasks
    if stage == "signatures":
        return [kept(), MinhashDedupSignature(str(work / "sigs"), config=config, language="ar")], tasks
    if stage == "buckets":
        return [MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=config)], BANDS
    if stage == "cluster":
        return [MinhashDedupCluster(str(work / "buckets"), str(work / "remove"), config=config)], 1
    return [kept(), MinhashDedupFilter(str(work / "remove")), JsonlWriter(str(work / "out"), compression=None)], tasks


class Peaks(threading.Thread):
    """Peak RSS (``VmHWM``, kB) and CPU seconds of this process and each of its descendants, read from /proc
    every 50 ms (a pool's workers are the forkserver's children, which this process never waits for, so
    ``getrusage`` would not count them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, tuple[int, int]] = {}  # pid -> (parent pid, kB)
        self.cpu: dict[int, float] = {}  # pid -> user + system seconds
        self.tick = os.sysconf("SC_CLK_TCK")
        self.done = threading.Event()

    @staticmethod
    def _read(path: str) -> str:
        try:
            with open(path, encoding="ascii") as f:
                return f.read()
        except OSError:
            return ""

    def sample(self) -> None:
        todo = [(os.getpid(), os.getppid())]
        while todo:
            pid, parent = todo.pop()
            for line in self._read(f"/proc/{pid}/status").splitlines():
                if line.startswith("VmHWM:"):
                    self.peaks[pid] = (parent, max(int(line.split()[1]), self.peaks.get(pid, (0, 0))[1]))
            fields = self._read(f"/proc/{pid}/stat").rpartition(")")[2].split()
            if len(fields) > 12:
                self.cpu[pid] = max((int(fields[11]) + int(fields[12])) / self.tick, self.cpu.get(pid, 0.0))
            tasks = os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []
            todo += [(int(c), pid) for t in tasks for c in self._read(f"/proc/{pid}/task/{t}/children").split()]

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.sample()


def run_stage(stage: str, shards: Path, work: Path, tasks: int, workers: int) -> dict[str, Any]:
    """One run, in this (fresh) process: wall seconds, datatrove's counters, peak RSS of each worker."""
    from datatrove.executor import LocalPipelineExecutor

    steps, n = pipeline(stage, shards, work, tasks)
    executor = LocalPipelineExecutor(steps, tasks=n, workers=min(workers, n), logging_dir=str(work / "logs" / stage))
    peaks = Peaks()
    me = os.getpid()
    peaks.sample()
    cpu_before = peaks.cpu[me]
    peaks.start()
    t = time.perf_counter()
    executor.run()
    wall = time.perf_counter() - t
    peaks.done.set()
    peaks.join()
    peaks.sample()
    # workers=1: the driver runs the tasks; else the pool's processes, children of the forkserver child
    pool = min(workers, n) > 1
    rss = [kb for pid, (parent, kb) in peaks.peaks.items() if (parent not in (me, os.getppid()) if pool else pid == me)]
    stats = json.loads((work / "logs" / stage / "stats.json").read_text())
    # per step: seconds summed over tasks, and datatrove's counters (documents in, kept, dropped by rule)
    counters = {s["name"]: {"s": s["time_stats"]["total"]} | {
        k: v.get("total", v) if isinstance(v, dict) else v for k, v in s["stats"].items()} for s in stats}
    return {"stage": stage, "tasks": n, "wall_s": wall, "cpu_s": sum(peaks.cpu.values()) - cpu_before,
            "worker_peak_rss_mb": sorted(kb / 1024 for kb in rss), "driver_peak_rss_mb": peaks.peaks[me][1] / 1024,
            "counters": counters}


def measure(shards: Path, tasks: int, workers: int) -> dict[str, Any]:
    """All five runs for one worker count, each in a fresh subprocess, in a fresh work folder."""
    work = Path(tempfile.mkdtemp(prefix=f"dt_w{workers}_", dir=shards.parent))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    runs, load = [], os.getloadavg()
    try:
        for stage in STAGES:
            cmd = [sys.executable, __file__, "--stage", stage, "--shards", str(shards), "--work", str(work),
                   "--tasks", str(tasks), "--workers", str(workers)]
            done = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if done.returncode:
                sys.exit(f"{stage} (workers={workers}) failed:\n{done.stderr[-3000:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"workers": workers, "loadavg_at_start": load, "wall_s": sum(r["wall_s"] for r in runs),
            "cpu_s": sum(r["cpu_s"] for r in runs),
            "peak_rss_mb": max(max(r["worker_peak_rss_mb"], default=0) for r in runs), "stages": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tasks", type=int, default=4, help="shards, and tasks of the per-article runs")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only the first N articles (a quick look)")
    ap.add_argument("--out", type=Path, default=Path("bench_scale_datatrove.json"))
    ap.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    ap.add_argument("--shards", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:  # a child: one run
        print(json.dumps(run_stage(args.stage, args.shards, args.work, args.tasks, args.workers[0])))
        return
    if not args.data.exists():
        print(f"skipped: {args.data} not found")
        return
    try:
        import datatrove  # noqa: F401
        from importlib.metadata import version
    except ImportError:
        sys.exit("datatrove is not installed here: see this script's docstring for its venv")
    with tempfile.TemporaryDirectory(prefix="bench_dt_") as tmp:
        shards = Path(tmp) / "shards"
        articles = split(args.data, shards, args.tasks, args.limit)
        load = os.getloadavg()
        runs = [measure(shards, args.tasks, w) for _ in range(args.repeat) for w in args.workers]
    best = {w: min((r for r in runs if r["workers"] == w), key=lambda r: r["wall_s"]) for w in args.workers}
    t1 = best[args.workers[0]]
    base = args.workers[0]
    print(f"datatrove {version('datatrove')}, {articles} articles in {args.tasks} shards, load {load[0]:.2f} at start;"
          f" best of {args.repeat}")
    print("| workers | " + " | ".join(f"{s} s" for s in STAGES) + " | total s | CPU s | articles/s | efficiency"
          " | peak RSS/worker MB |")
    print("|---:|" + "---:|" * (len(STAGES) + 5))
    for w, r in best.items():
        r["efficiency"] = {s["stage"]: s1["wall_s"] * base / (w * s["wall_s"]) for s, s1 in zip(r["stages"], t1["stages"])}
        r["efficiency"]["total"] = t1["wall_s"] * base / (w * r["wall_s"])
        walls = " | ".join(f"{s['wall_s']:.1f}" for s in r["stages"])
        print(f"| {w} | {walls} | {r['wall_s']:.1f} | {r['cpu_s']:.0f} | {articles / r['wall_s']:.0f}"
              f" | {r['efficiency']['total']:.2f} | {r['peak_rss_mb']:.0f} |")
        print(f"workers={w}: efficiency per stage " + ", ".join(f"{k} {v:.2f}" for k, v in r["efficiency"].items() if k != "total"))
    steps = [f"{name} {c['s']:.1f}" for r in t1["stages"] for name, c in r["counters"].items() if c["s"] >= 0.05]
    print(f"step seconds (workers={base}, summed over tasks): " + "; ".join(steps))
    for w in args.workers:
        print(f"workers={w}: all runs " + ", ".join(f"{r['wall_s']:.1f} s (load {r['loadavg_at_start'][0]:.1f})"
                                                    for r in runs if r["workers"] == w))
    args.out.write_text(json.dumps({"datatrove": version("datatrove"), "articles": articles, "tasks": args.tasks,
                                    "loadavg_at_start": load, "best": best, "runs": runs}, ensure_ascii=False, indent=1))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
