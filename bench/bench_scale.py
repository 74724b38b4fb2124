"""Parallel efficiency of ``marsad process`` from one to two workers (issue 15), on all of ANT.

    python bench/bench_scale.py                       # all of ant_multisource, --no-enrich
    python bench/bench_scale.py --limit 4000 --enrich  # a quicker look, with enrichment

Each configuration runs ``marsad process ANT.jsonl -o OUT.jsonl --no-progress`` in a child process:

* **local**: the local runner (the shards one after another in the command's own process);
* **ray ×1**: ``--runner ray --workers 1`` (a local Ray with one CPU: the runner's own overhead);
* **ray ×2**: ``--runner ray --workers 2`` (a local Ray with this machine's two cores).

Wall time includes starting Ray (~5 s) and loading the models once per worker. Parallel efficiency is
``t(ray ×1) / (2 · t(ray ×2))`` (and against the local runner, ``t(local) / (2 · t(ray ×2))``).
Memory per worker is the peak resident size (VmHWM) of each Ray worker that ran a shard, read from
/proc while it runs; the driver's is its own peak. The three outputs must be byte-identical (checked).
The input is ANT's ``articles.jsonl.gz`` (31,525 articles) written out as plain JSON lines first
(cut into shards by byte offset), outside the timing. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANT = HERE.parent.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def peak_rss(pid: int) -> int:
    """A process's peak resident size in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Watch(threading.Thread):
    """Samples the peak memory of Ray's shard workers (their title is ``ray::run_shard`` while busy)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    title = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if title.startswith(b"ray::run_shard") or (title.startswith(b"ray::IDLE") and int(entry.name) in self.peaks):
                    pid = int(entry.name)
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak_rss(pid))
            time.sleep(0.5)


def run(name: str, args: list[str], source: Path, out: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "marsad.cli", "process", str(source), "-o", str(out), "--no-progress", *args]
    watch = Watch()
    watch.start()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    driver_peak = 0
    while proc.poll() is None:
        driver_peak = max(driver_peak, peak_rss(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    watch.stop.set()
    watch.join()
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr}")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    workers = sorted(watch.peaks.values(), reverse=True)
    return {"name": name, "seconds": round(seconds, 1), "driver_mb": round(driver_peak / 2**20),
            "worker_mb": [round(w / 2**20) for w in workers], "sha256": digest,
            "summary": stderr.strip().splitlines()[:1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ANT)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--enrich", action="store_true", help="with enrichment (default: --no-enrich)")
    ap.add_argument("--shard-lines", type=int, default=2000)
    ap.add_argument("--only", nargs="*", default=["local", "ray1", "ray2"])
    ap.add_argument("--out", type=Path, help="write the results as JSON here too")
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: absent (../shared/data is beside the repository on the project's machines)")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        source = Path(tmp) / "ant.jsonl"
        with gzip.open(args.data, "rt", encoding="utf-8") as fh, open(source, "w", encoding="utf-8") as out:
            for n, line in enumerate(fh):
                if args.limit and n >= args.limit:
                    break
                out.write(line)
        common = ["--shard-lines", str(args.shard_lines), *([] if args.enrich else ["--no-enrich"])]
        configs = {"local": ["--runner", "local"], "ray1": ["--runner", "ray", "--workers", "1"],
                   "ray2": ["--runner", "ray", "--workers", "2"]}
        results = [run(name, [*configs[name], *common], source, Path(tmp) / f"{name}.jsonl") for name in args.only]
    load = os.getloadavg()
    times = {r["name"]: float(r["seconds"]) for r in results}  # type: ignore[arg-type]
    print(f"{'run':8} {'seconds':>8} {'driver MB':>10}  worker MB")
    for r in results:
        print(f"{r['name']:8} {r['seconds']:>8} {r['driver_mb']:>10}  {r['worker_mb']}")
    if "ray1" in times and "ray2" in times:
        print(f"parallel efficiency, ray 1 -> 2 workers: {times['ray1'] / (2 * times['ray2']):.2f}")
    if "local" in times and "ray2" in times:
        print(f"against the local runner: {times['local'] / (2 * times['ray2']):.2f}")
    same = len({r["sha256"] for r in results}) == 1
    print(f"outputs identical: {same}; load average at the end: {load[0]:.2f}")
    if args.out:
        args.out.write_text(json.dumps({"results": results, "identical": same, "load": load}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
