"""marsad's dedup vs datatrove's MinHash stages on the labelled near-duplicate set (bench/dedup_set).

    python bench/dedup_set/generate.py --out build/dedup_set        # or let this script build it
    python bench/bench_dedup.py [--set build/dedup_set] [--datatrove-python /tmp/dtvenv/bin/python] [-v]

One run, the same articles for both systems:

* quality: pair recall per label (exact, recrawl, near), hard negatives merged, pair precision
  (a predicted pair whose articles are in different gold clusters is a false positive);
* agreement: Jaccard similarity of the two systems' sets of duplicate pairs;
* speed: CPU seconds of the dedup alone (records already in memory), one core (``taskset -c 0``);
* memory: peak RSS of marsad's dedup streaming N and 4N articles (the extra 3N are the set with
  every word changed, so they are new stories with the same duplicate structure).

datatrove runs from its own virtualenv (it pins an older trafilatura than marsad's), as a
subprocess; see docs/bench_dedup.md for the install line. Without it that part is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "dedup_set" / "generate.py"
Pair = tuple[str, str]
LABELS = ("exact", "recrawl", "near")

MARSAD_CHILD = r"""
import json, resource, sys, time
from marsad.steps.dedup import cluster_records

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
base = rss_mb()
fh = open(src, encoding="utf-8")
if mode == "stream":  # memory: records are read as the dedup asks for them, never held
    records = map(json.loads, fh)
else:  # speed: parse first, so the clock sees the dedup alone
    records = [json.loads(line) for line in fh]
    base = rss_mb()
t0, w0 = time.process_time(), time.perf_counter()
result = cluster_records(records)
cpu, wall = time.process_time() - t0, time.perf_counter() - w0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with open(out, "w", encoding="utf-8") as fo:
    json.dump({k: v[0] for k, v in result.items()}, fo)
print(json.dumps({"articles": len(result), "cpu_s": cpu, "wall_s": wall, "base_rss_mb": base, "peak_rss_mb": peak}))
"""

DATATROVE_CHILD = r"""
import json, os, resource, struct, sys, tempfile, time
from pathlib import Path
from datatrove.data import Document
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupSignature)

src, out, language, buckets_n, hashes_n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
with open(src, encoding="utf-8") as fh:
    docs = [Document(text=r["text"], id=r["id"]) for r in map(json.loads, fh)]
# the defaults are 5-word shingles, 14 buckets x 8 hashes, 64-bit xxhash
config = MinhashConfig(num_buckets=buckets_n, hashes_per_bucket=hashes_n)
with tempfile.TemporaryDirectory() as tmp:
    sigs, buckets, clusters = (os.path.join(tmp, x) for x in ("sigs", "buckets", "clusters"))
    t0, w0 = time.process_time(), time.perf_counter()
    MinhashDedupSignature(output_folder=sigs, config=config, language=language).run(iter(docs), rank=0, world_size=1)
    t1 = time.process_time()
    for rank in range(config.num_buckets):  # one task per bucket, run one after the other
        MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=config).run(
            None, rank=rank, world_size=config.num_buckets)
    t2 = time.process_time()
    MinhashDedupCluster(input_folder=buckets, output_folder=clusters, config=config, save_cluster_id=True).run()
    t3, w3 = time.process_time(), time.perf_counter()
    assign = {}
    path = Path(clusters) / "000000.clusters"
    if path.exists():  # (doc index, cluster id) for every document in a cluster of two or more
        for doc, cluster in struct.iter_unpack("<II", path.read_bytes()):
            assign[docs[doc].id] = cluster
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with open(out, "w", encoding="utf-8") as fo:
    json.dump(assign, fo)
print(json.dumps({"articles": len(docs), "cpu_s": t3 - t0, "stage_cpu_s": [t1 - t0, t2 - t1, t3 - t2],
                  "wall_s": w3 - w0, "peak_rss_mb": peak}))
"""


# -- the gold set and scoring (also used by tests/test_dedup_gold.py) ----------------------------


@dataclass
class Gold:
    labels: dict[str, set[Pair]]  # exact, recrawl, near, negative
    negative_kinds: dict[Pair, str]
    unscored: set[Pair]
    clusters: dict[str, str]
    edits: dict[str, dict[str, object]]

    @classmethod
    def load(cls, folder: Path) -> Gold:
        pairs = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
        labels = {k: {_pair(*p) for p in pairs[k]} for k in (*LABELS, "negative")}
        kinds = {_pair(*p): k for p, k in zip(pairs["negative"], pairs.get("negative_kinds", []), strict=False)}
        edits_path = folder / "edits.json"
        edits = json.loads(edits_path.read_text(encoding="utf-8")) if edits_path.exists() else {}
        return cls(
            labels=labels, negative_kinds=kinds, unscored={_pair(*p) for p in pairs.get("unscored", [])},
            clusters=json.loads((folder / "clusters.json").read_text(encoding="utf-8")), edits=edits,
        )


@dataclass
class Score:
    exact_recall: float
    recrawl_recall: float
    near_recall: float
    exact_pairs: int
    recrawl_pairs: int
    near_pairs: int
    negative_pairs: int
    negative_merged: int
    negative_merged_rate: float
    negative_merged_by_kind: dict[str, int]
    predicted_pairs: int
    false_pairs: int
    #: 1 - false pairs / predicted pairs (unscored look-alikes left out)
    precision: float
    #: the same, over the predicted pairs that touch an article of a wire-copy cluster
    near_precision: float
    unscored_merged: int


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def pairs_of(assignment: Mapping[str, Hashable]) -> set[Pair]:
    """Every pair of ids that share a cluster."""
    members: dict[Hashable, list[str]] = defaultdict(list)
    for article_id, cluster in assignment.items():
        members[cluster].append(article_id)
    return {_pair(a, b) for ids in members.values() for a, b in combinations(sorted(ids), 2)}


def false_pairs(gold: Gold, predicted: set[Pair]) -> set[Pair]:
    """Predicted pairs whose articles are in different gold clusters (look-alikes left out)."""
    return {p for p in predicted - gold.unscored if gold.clusters[p[0]] != gold.clusters[p[1]]}


def score(gold: Gold, predicted: set[Pair]) -> Score:
    def recall(label: str) -> float:
        wanted = gold.labels[label]
        return len(wanted & predicted) / len(wanted) if wanted else 1.0

    negatives = gold.labels["negative"]
    merged = negatives & predicted
    scored = predicted - gold.unscored
    wrong = false_pairs(gold, predicted)
    near_ids = {x for p in gold.labels["near"] for x in p}
    touching = {p for p in scored if p[0] in near_ids or p[1] in near_ids}
    return Score(
        exact_recall=recall("exact"), recrawl_recall=recall("recrawl"), near_recall=recall("near"),
        exact_pairs=len(gold.labels["exact"]), recrawl_pairs=len(gold.labels["recrawl"]), near_pairs=len(gold.labels["near"]),
        negative_pairs=len(negatives), negative_merged=len(merged),
        negative_merged_rate=len(merged) / len(negatives) if negatives else 0.0,
        negative_merged_by_kind=dict(Counter(gold.negative_kinds.get(p, "?") for p in merged)),
        predicted_pairs=len(predicted), false_pairs=len(wrong),
        precision=1 - len(wrong) / len(scored) if scored else 1.0,
        near_precision=1 - len(wrong & touching) / len(touching) if touching else 1.0,
        unscored_merged=len(gold.unscored & predicted),
    )


def describe(gold: Gold, pair: Pair) -> str:
    """What was done to the articles of a pair, for a reader hunting a miss."""
    parts = []
    for x in pair:
        e = gold.edits.get(x)
        notes = e.get("edits") if e else None
        if e and isinstance(notes, list):
            parts.append(f"{x} ({e['kind']} of {e['of']}, J={e['jaccard']}: {', '.join(map(str, notes))})")
        else:
            parts.append(x)
    return " ~ ".join(parts)


# -- running the systems ---------------------------------------------------------------------


@dataclass
class Run:
    articles: int
    cpu_s: float
    wall_s: float
    peak_rss_mb: float
    base_rss_mb: float = 0.0
    stage_cpu_s: list[float] = field(default_factory=list)


def _one_core(cmd: list[str]) -> list[str]:
    # taskset pins the run to one core where it exists, so the figure is a one-core figure
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def run_marsad(articles: Path, out: Path, mode: str = "loaded") -> Run:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = _one_core([sys.executable, "-c", MARSAD_CHILD, str(articles), str(out), mode])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


def run_datatrove(python: str, articles: Path, out: Path, language: str, bands: tuple[int, int] = (14, 8)) -> Run:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    cmd = _one_core([python, "-c", DATATROVE_CHILD, str(articles), str(out), language, *map(str, bands)])
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"datatrove failed:\n{done.stderr[-3000:]}")
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


_LETTERS = re.compile(r"[^\W\d_]+")
_MARKS = ["ز", "ظ", "غ", "ض", "ث", "ذ", "ص", "ش"]


def replicate(src: Path, dst: Path, copies: int) -> int:
    """Write ``src`` plus ``copies - 1`` renamed copies in which every word carries a replica mark.

    A marked copy shares no shingle, text hash or URL with the original set, so it is new stories
    with the same duplicate structure: the dedup index grows as it would on that many more articles.
    """
    with open(src, encoding="utf-8") as fh:
        lines = fh.readlines()
    n = 0
    with open(dst, "w", encoding="utf-8") as out:
        for r in range(copies):
            for line in lines:
                rec = json.loads(line)
                if r:
                    suffix = _MARKS[(r - 1) % len(_MARKS)] * (1 + (r - 1) // len(_MARKS))
                    rec["id"] = f"{rec['id']}#{r}"
                    parts = urlsplit(rec["url"])  # another host: the path and query keep their variants
                    rec["url"] = urlunsplit(parts._replace(netloc=f"r{r}-{parts.netloc}"))
                    rec["text"] = _LETTERS.sub(rf"\g<0>{suffix}", rec["text"])
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    return n


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dedup_set_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# -- report ----------------------------------------------------------------------------------


QUALITY_ROWS = [
    ("exact recall", "exact_recall"), ("recrawl recall", "recrawl_recall"), ("near recall", "near_recall"),
    ("near precision", "near_precision"), ("pair precision (all)", "precision"),
    ("hard negatives merged", "negative_merged"), ("predicted pairs", "predicted_pairs"),
    ("false pairs", "false_pairs"), ("unscored ANT look-alikes merged", "unscored_merged"),
]


def _fmt(x: object) -> str:
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def report(summary: dict[str, Any], scores: dict[str, Score], predicted: dict[str, set[Pair]], speed: dict[str, Run],
           memory: dict[str, Run], scale: int, repeat: int) -> dict[str, object]:
    """Print the markdown tables; return the agreement figures."""
    print(f"## Set: {summary['articles']} articles ({summary['ant_articles']} from ANT, {summary['generated']} "
          f"generated), {summary['clusters']} gold clusters, seed {summary['seed']}\n")
    print("| label | pairs |\n|---|---:|")
    for k, v in summary["pairs"].items():
        print(f"| {k} | {v} |")
    print(f"\nnegatives by kind: {summary['negative_kinds']}\n")

    print("## Quality (pairs)\n")
    names = list(scores)
    print("| | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
    for title, key in QUALITY_ROWS:
        print(f"| {title} | " + " | ".join(_fmt(getattr(scores[n], key)) for n in names) + " |")
    for name, s in scores.items():
        print(f"\n{name}: negatives merged by kind {s.negative_merged_by_kind}")

    agreement: dict[str, object] = {}
    ours = predicted["marsad"]
    peers = [n for n in predicted if n != "marsad"]
    if peers:
        print("\n## Agreement with marsad (duplicate pairs)\n")
        print("| peer | Jaccard | pairs in both | marsad only | peer only |\n|---|---:|---:|---:|---:|")
    for name in peers:
        other = predicted[name]
        both = ours & other
        jac = len(both) / len(ours | other) if ours | other else 1.0
        agreement[name] = {"jaccard": jac, "both": len(both), "marsad_only": len(ours - other), "peer_only": len(other - ours)}
        print(f"| {name} | {jac:.4f} | {len(both)} | {len(ours - other)} | {len(other - ours)} |")

    print(f"\n## Speed (dedup only, records in memory, one core, best of {repeat})\n")
    print("| system | articles | CPU s | articles/s (CPU) | peak RSS MB |\n|---|---:|---:|---:|---:|")
    for name, r in speed.items():
        print(f"| {name} | {r.articles} | {r.cpu_s:.2f} | {r.articles / r.cpu_s:.0f} | {r.peak_rss_mb:.0f} |")
        if r.stage_cpu_s:
            print(f"|   (signature, buckets, cluster CPU s: {', '.join(f'{x:.2f}' for x in r.stage_cpu_s)}) | | | | |")

    print("\n## Memory (marsad, records streamed from disk)\n")
    print("| input | articles | CPU s | RSS before MB | peak RSS MB | dedup's share MB |\n|---|---:|---:|---:|---:|---:|")
    for name, r in memory.items():
        print(f"| {name} | {r.articles} | {r.cpu_s:.2f} | {r.base_rss_mb:.0f} | {r.peak_rss_mb:.0f} | "
              f"{r.peak_rss_mb - r.base_rss_mb:.0f} |")
    small, big = memory["N"], memory[f"{scale}N"]
    grow = (big.peak_rss_mb - big.base_rss_mb) / max(1e-9, small.peak_rss_mb - small.base_rss_mb)
    print(f"\ndedup memory grew {grow:.2f}x for {big.articles / small.articles:.0f}x the articles")
    return agreement


def report_misses(gold: Gold, predicted: dict[str, set[Pair]], limit: int = 40) -> None:
    for name, pred in predicted.items():
        print(f"\n### {name}: missed pairs")
        for label in LABELS:
            missed = sorted(gold.labels[label] - pred)
            print(f"\n{label}: {len(missed)} missed")
            for p in missed[:limit]:
                print(f"- {describe(gold, p)}")
        wrong = sorted(false_pairs(gold, pred))
        print(f"\nfalse pairs: {len(wrong)}")
        for p in wrong[:limit]:
            print(f"- {describe(gold, p)} [{gold.negative_kinds.get(p, 'unlabelled')}]")


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="marsad dedup vs datatrove MinHash on the labelled set")
    ap.add_argument("--set", type=Path, default=REPO / "build" / "dedup_set", help="folder of the set (built if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regenerate", action="store_true", help="build the set again even if the folder has one")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per system; the fastest is reported")
    ap.add_argument("--datatrove-python", default="/tmp/dtvenv/bin/python")
    ap.add_argument("--datatrove-language", default="ara",
                    help="datatrove's language code, which picks its word tokenizer (ara: spaCy's blank Arabic rules)")
    ap.add_argument("--datatrove-bands", default="14x8",
                    help="buckets x hashes per bucket (14x8 is datatrove's default; e.g. 14x8,20x5 runs both)")
    ap.add_argument("--scale", type=int, default=4, help="memory: compare N with this many times N")
    ap.add_argument("--json", type=Path, default=REPO / "build" / "bench_dedup.json")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed and false pairs")
    args = ap.parse_args(list(argv) if argv is not None else None)

    if args.regenerate or not (args.set / "articles.jsonl").exists():
        generator = _load_generator()
        if not Path(generator.DEFAULT_ANT).exists():
            sys.exit(f"{generator.DEFAULT_ANT} not found: the set is built from shared/data")
        print(f"building the set in {args.set} (seed {args.seed})", file=sys.stderr)
        generator.generate(args.set, args.seed)
    gold = Gold.load(args.set)
    articles = args.set / "articles.jsonl"
    summary = json.loads((args.set / "summary.json").read_text(encoding="utf-8"))
    scores: dict[str, Score] = {}
    predicted: dict[str, set[Pair]] = {}
    speed: dict[str, Run] = {}

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        out = tmpdir / "clusters.json"
        speed["marsad"] = min((run_marsad(articles, out) for _ in range(args.repeat)), key=lambda r: r.cpu_s)
        predicted["marsad"] = pairs_of(json.loads(out.read_text()))

        if Path(args.datatrove_python).exists():
            for spec in args.datatrove_bands.split(","):
                b, r = (int(x) for x in spec.lower().split("x"))
                name = f"datatrove {b}x{r}"
                speed[name] = min((run_datatrove(args.datatrove_python, articles, out, args.datatrove_language, (b, r))
                                   for _ in range(args.repeat)), key=lambda x: x.cpu_s)
                predicted[name] = pairs_of(json.loads(out.read_text()))
        else:
            print(f"datatrove skipped: {args.datatrove_python} not found. Install it apart from marsad:\n"
                  "  python -m venv /tmp/dtvenv && /tmp/dtvenv/bin/pip install datatrove spacy regex tokenizers 'xxhash<4'",
                  file=sys.stderr)

        # memory: N, then scale x N articles, streamed
        big = tmpdir / "big.jsonl"
        replicate(articles, big, args.scale)
        memory = {"N": run_marsad(articles, out, "stream"), f"{args.scale}N": run_marsad(big, out, "stream")}

    scores = {name: score(gold, pred) for name, pred in predicted.items()}
    agreement = report(summary, scores, predicted, speed, memory, args.scale, args.repeat)
    if args.verbose:
        report_misses(gold, predicted)
    results = {"set": summary, "scores": {k: asdict(v) for k, v in scores.items()}, "agreement": agreement,
               "speed": {k: asdict(v) for k, v in speed.items()}, "memory": {k: asdict(v) for k, v in memory.items()}}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
