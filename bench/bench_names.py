"""What names cost (issue 13): learning them, and what folding adds to a search, at ANT scale and at 1M.

    python bench/bench_names.py --archive ANT.db                             # ANT (30,178 articles)
    python bench/bench_names.py --archive ANT.db --known-item 1000           # known-item MRR, folding on/off
    python bench/bench_names.py --archive WORK/synthetic_1000000.db --learn  # 1M: learn first, timed

* ``--learn``: ``Archive.learn_names()`` once, timed (wall and CPU), with its counts: what every
  ingest that changed enough pays (see ``marsad.archive.names.LEARN_GROWTH``).
* Search: two query mixes, each query run as a user runs it (relevance, ``limit`` 10) with names
  folded and with the name lexicon unused (search as before issue 13), alternately, after one
  warm-up pass of each: p50/p95/max per mix and mode, in the same run.
  - ``headlines``: bench/bench_archive.py's seeded mix (300 queries drawn from ANT headlines: words,
    phrases, OR, prefixes, exclusions, date windows, sources, date order);
  - ``names``: every spelling of the development groups of ``bench/names/groups.tsv``, typed alone.
  And the time of the folding itself (:func:`marsad.archive.search.analyse` with and without it).
* ``--known-item N``: the first N known-item queries of ``bench/eval_search.py`` (seed 1) on an ANT
  archive, with names folded and with the lexicon unused, same run: MRR@10, recall@10 and every
  query ranked differently (instead of the timings).

Pinned to one core (``--cpu``). Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2) if s else 0.0


def summary(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": pct(ms, 0.5), "p95": pct(ms, 0.95), "max": round(max(ms), 2) if ms else 0.0,
            "mean": round(statistics.fmean(ms), 2) if ms else 0.0}


def run(archive_path: str, queries: list[tuple[str, dict[str, Any]]], plain_search: Any) -> dict[str, Any]:
    """Each query with names folded and with them unused (``plain_search``, eval_names' switch),
    alternately (after a warm-up of each)."""
    from marsad import Archive
    from marsad.archive import search as search_module

    times: dict[str, list[float]] = {"folded": [], "plain": []}
    expand_ms: list[float] = []
    added = 0
    with Archive(archive_path, create=False) as archive:
        for plain in (False, True):  # warm-up
            plain_search(plain)
            for text, options in queries:
                archive.search(text, **options)
        for text, options in queries:
            for mode, plain in (("folded", False), ("plain", True)):
                plain_search(plain)
                t0 = time.perf_counter()
                found = archive.search(text, **options)
                times[mode].append((time.perf_counter() - t0) * 1000)
                if mode == "folded":
                    added += bool(found.also)
            plain_search(False)
            t0 = time.perf_counter()
            search_module.analyse(archive.db, text)
            expand_ms.append((time.perf_counter() - t0) * 1000)
    plain_search(False)
    return {"folded": summary(times["folded"]), "plain": summary(times["plain"]),
            "ratio_p50": round(pct(times["folded"], 0.5) / max(1e-9, pct(times["plain"], 0.5)), 2),
            "ratio_p95": round(pct(times["folded"], 0.95) / max(1e-9, pct(times["plain"], 0.95)), 2),
            "analyse_with_folding_ms": summary(expand_ms), "queries_with_spellings_added": added}


def known_item(archive_path: str, n: int) -> int:
    """Known-item MRR@10 with names folded and with the lexicon unused (see the module docstring)."""
    from marsad import Archive

    es, plain_search = _load("eval_search"), _load("eval_names").plain_search
    pool = es.load_pool(Path(archive_path))
    queries, _ = es.draw_queries(pool, n, 1)
    got = {}
    for name, plain in (("plain (before)", True), ("names folded", False)):
        plain_search(plain)
        with Archive(archive_path, create=False) as archive:
            got[name] = [es.run_marsad(archive, q.query, q.gold, pool.cluster_of) for q in queries]
        mrr = sum(1 / o.rank if o.rank else 0.0 for o in got[name]) / len(queries)
        found = sum(o.rank is not None for o in got[name]) / len(queries)
        print(f"{name}: MRR@10 {mrr:.4f}, recall@10 {found:.4f} ({len(queries)} queries)")
    plain_search(False)
    moved = [(q.query, a.rank, b.rank) for q, a, b in zip(queries, got["plain (before)"], got["names folded"])
             if a.rank != b.rank]
    print(f"ranked differently: {len(moved)}")
    for query, a, b in moved:
        print(f"  {query}: {a} -> {b}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", required=True, help="an archive of schema v7 or later (an older one is migrated)")
    ap.add_argument("--ant", default="/tmp/ant.db", help="the ANT archive the headline mix is drawn from")
    ap.add_argument("--learn", action="store_true", help="learn the names first, timed")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("-o", "--output", help="also write the figures here as JSON")
    ap.add_argument("--known-item", type=int, metavar="N", help="known-item MRR@10 on N queries instead of timings")
    args = ap.parse_args(argv)
    if args.known_item:
        return known_item(args.archive, args.known_item)
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {args.cpu})
        except OSError:
            pass
    from marsad import Archive

    report: dict[str, Any] = {"archive": args.archive}
    with Archive(args.archive, create=False) as archive:
        report["articles"] = archive.count()
        if args.learn:
            w0, c0 = time.perf_counter(), time.process_time()
            counts = archive.learn_names()
            report["learn"] = {"wall_s": round(time.perf_counter() - w0, 1), "cpu_s": round(time.process_time() - c0, 1),
                               **counts}
            print(f"learned names in {report['learn']['wall_s']} s: {counts}", file=sys.stderr)
    bench_archive = _load("bench_archive")
    eval_names = _load("eval_names")
    mix = bench_archive.query_mix(Path(args.ant), args.queries)
    with Archive(args.archive, create=False) as archive:
        bench_archive.resolve(mix, archive.db)
    headlines = [(q.text, {**q.options, "limit": 10}) for q in mix]
    spellings = [(s, {"limit": 10}) for g in eval_names.read_groups() if not g.held for s in g.spellings]
    for name, queries in (("headlines", headlines), ("names", spellings)):
        report[name] = run(args.archive, queries, eval_names.plain_search)
        r = report[name]
        print(f"{name}: {len(queries)} queries; folded p50 {r['folded']['p50']} / p95 {r['folded']['p95']} ms,"
              f" plain p50 {r['plain']['p50']} / p95 {r['plain']['p95']} ms (ratio {r['ratio_p50']} / {r['ratio_p95']});"
              f" folding itself p50 {r['analyse_with_folding_ms']['p50']} ms; spellings added to"
              f" {r['queries_with_spellings_added']}", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
