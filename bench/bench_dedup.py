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
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
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
    labels: dict[str, set[Pair]]
    negative_kinds: dict[Pair, str]
    unscored: set[Pair]
    clusters: dict[str, str]
    edits: dict[str, dict[str, object]]

    @classmethod
    def load(cls, folder: Path) -> Gold:
        pairs = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
        labels = {k: {_pair(*p) for p in pairs[k]} for k in (*LABELS, "negative")}
        kinds = {_pair(*p): k for p, k in zip(pairs["negative"], pairs.get("negative_kinds", []))}
        edits_path = folder / "edits.json"
        edits = json.loads(edits_path.read_text(encoding="utf-8")) if edits_path.exists() else {}
        return cls(
            labels=labels, negative_kinds=kinds, unscored={_pair(*p) for p in pairs.get("unscored", [])},
            clusters=json.loads((folder / "clusters.json").read_text(encoding="utf-8")), edits=edits,
        )


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def pairs_of(assignment: Mapping[str, Hashable]) -> set[Pair]:
    """Every pair of ids that share a cluster."""
    members: dict[Hashable, list[str]] = defaultdict(list)
    for article_id, cluster in assignment.items():
        members[cluster].append(article_id)
    return {_pair(a, b) for ids in members.values() for a, b in combinations(sorted(ids), 2)}


def score(gold: Gold, predicted: set[Pair]) -> dict[str, object]:
    """Recall per label, hard negatives merged, and pair precision (overall and around near copies)."""
    out: dict[str, object] = {}
    for label in LABELS:
        wanted = gold.labels[label]
        out[f"{label}_recall"] = len(wanted & predicted) / len(wanted) if wanted else 1.0
        out[f"{label}_pairs"] = len(wanted)
    negatives = gold.labels["negative"]
    merged = negatives & predicted
    out["negative_pairs"] = len(negatives)
    out["negative_merged"] = len(merged)
    out["negative_merged_rate"] = len(merged) / len(negatives) if negatives else 0.0
    out["negative_merged_by_kind"] = dict(Counter(gold.negative_kinds.get(p, "?") for p in merged))
    scored = predicted - gold.unscored
    wrong = {p for p in scored if gold.clusters[p[0]] != gold.clusters[p[1]]}
    out["predicted_pairs"] = len(predicted)
    out["false_pairs"] = len(wrong)
    out["precision"] = 1 - len(wrong) / len(scored) if scored else 1.0
    # precision around the wire copies: predicted pairs that touch an article of a near cluster
    near_ids = {x for p in gold.labels["near"] for x in p}
    touching = {p for p in scored if p[0] in near_ids or p[1] in near_ids}
    out["near_precision"] = 1 - len(wrong & touching) / len(touching) if touching else 1.0
    out["unscored_merged"] = len(gold.unscored & predicted)
    return out


def describe(gold: Gold, pair: Pair) -> str:
    """What was done to the copies in a pair, for a reader hunting a miss."""
    parts = []
    for x in pair:
        e = gold.edits.get(x)
        if e:
            parts.append(f"{x} ({e['kind']} of {e['of']}, J={e['jaccard']}: {', '.join(map(str, e['edits']))})")  # type: ignore[arg-type]
        else:
            parts.append(x)
    return " ~ ".join(parts)


# -- running the systems ---------------------------------------------------------------------


def _one_core(cmd: list[str]) -> list[str]:
    # taskset pins the run to one core where it exists, so the figure is a one-core figure
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def run_marsad(articles: Path, out: Path, mode: str = "loaded") -> dict[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = _one_core([sys.executable, "-c", MARSAD_CHILD, str(articles), str(out), mode])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_datatrove(python: str, articles: Path, out: Path, language: str, bands: tuple[int, int] = (14, 8)) -> dict[str, object]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    cmd = _one_core([python, "-c", DATATROVE_CHILD, str(articles), str(out), language, *map(str, bands)])
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"datatrove failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


_LETTERS = re.compile(r"[^\W\d_]+")


def replicate(src: Path, dst: Path, copies: int) -> int:
    """Write ``src`` plus ``copies - 1`` renamed copies in which every word carries a replica mark.

    A marked copy shares no shingle, text hash or URL with the original set, so it is new stories
    with the same duplicate structure: the dedup index grows as it would on that many more articles.
    """
    marks = ["ز", "ظ", "غ", "ض", "ث", "ذ", "ص", "ش"]
    n = 0
    with open(src, encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
        lines = fh.readlines()
        for r in range(copies):
            for line in lines:
                rec = json.loads(line)
                if r:
                    mark = marks[r - 1]
                    rec["id"] = f"{rec['id']}#{r}"
                    parts = urlsplit(rec["url"])  # another host: the path and query keep their variants
                    rec["url"] = urlunsplit(parts._replace(netloc=f"r{r}-{parts.netloc}"))
                    rec["text"] = _LETTERS.sub(lambda m: m.group() + mark, rec["text"])
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    return n


def _load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dedup_set_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# -- report ----------------------------------------------------------------------------------


def _fmt(x: object) -> str:
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def quality_table(scores: Mapping[str, Mapping[str, object]]) -> list[str]:
    rows = [
        ("exact recall", "exact_recall"), ("recrawl recall", "recrawl_recall"), ("near recall", "near_recall"),
        ("near precision", "near_precision"), ("pair precision (all)", "precision"),
        ("hard negatives merged", "negative_merged"), ("predicted pairs", "predicted_pairs"),
        ("false pairs", "false_pairs"), ("unscored ANT look-alikes merged", "unscored_merged"),
    ]
    names = list(scores)
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for title, key in rows:
        lines.append(f"| {title} | " + " | ".join(_fmt(scores[n][key]) for n in names) + " |")
    return lines


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
                    help="buckets x hashes per bucket (14x8 is datatrove's default; add e.g. 14x8,20x5 to run several)")
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
    results: dict[str, object] = {"set": summary}
    scores: dict[str, dict[str, object]] = {}
    predicted: dict[str, set[Pair]] = {}
    speed: dict[str, dict[str, object]] = {}

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        speed["marsad"] = min((run_marsad(articles, tmpdir / "marsad.json") for _ in range(args.repeat)),
                              key=lambda r: r["cpu_s"])
        predicted["marsad"] = pairs_of(json.loads((tmpdir / "marsad.json").read_text()))
        scores["marsad"] = score(gold, predicted["marsad"])

        if Path(args.datatrove_python).exists():
            for spec in args.datatrove_bands.split(","):
                b, r = (int(x) for x in spec.lower().split("x"))
                name = f"datatrove {b}x{r}"
                speed[name] = min(
                    (run_datatrove(args.datatrove_python, articles, tmpdir / "dt.json", args.datatrove_language, (b, r))
                     for _ in range(args.repeat)), key=lambda x: x["cpu_s"])  # type: ignore[arg-type,return-value]
                predicted[name] = pairs_of(json.loads((tmpdir / "dt.json").read_text()))
                scores[name] = score(gold, predicted[name])
        else:
            print(f"datatrove skipped: {args.datatrove_python} not found. Install it apart from marsad:\n"
                  "  python -m venv /tmp/dtvenv && /tmp/dtvenv/bin/pip install datatrove spacy regex tokenizers 'xxhash<4'",
                  file=sys.stderr)

        # memory: N, then scale x N articles, streamed
        big = tmpdir / "big.jsonl"
        n_big = replicate(articles, big, args.scale)
        memory = {
            "N": run_marsad(articles, tmpdir / "m1.json", "stream"),
            f"{args.scale}N": run_marsad(big, tmpdir / "m4.json", "stream"),
        }
        memory[f"{args.scale}N"]["articles"] = n_big
        big_pairs = pairs_of(json.loads((tmpdir / "m4.json").read_text()))
        # the replicas keep the set's structure: each replica finds the same number of pairs
        memory["replica_pairs_ratio"] = len(big_pairs) / max(1, len(predicted["marsad"]))  # type: ignore[assignment]

    n = summary["articles"]
    print(f"## Set: {n} articles ({summary['ant_articles']} from ANT, {summary['generated']} generated), "
          f"{summary['clusters']} gold clusters, seed {summary['seed']}\n")
    print("| label | pairs |\n|---|---:|")
    for k, v in summary["pairs"].items():
        print(f"| {k} | {v} |")
    print(f"\nnegatives by kind: {summary['negative_kinds']}\n")
    print("## Quality (pairs)\n")
    print("\n".join(quality_table(scores)))
    for name, s in scores.items():
        print(f"\n{name}: negatives merged by kind {s['negative_merged_by_kind'] or '{}'}")
    agreement = {}
    for name, other in predicted.items():
        if name == "marsad":
            continue
        a = predicted["marsad"]
        both = a & other
        agreement[name] = {"jaccard": len(both) / len(a | other), "both": len(both), "marsad_only": len(a - other),
                           "other_only": len(other - a)}
    if agreement:
        print("\n## Agreement with marsad (duplicate pairs)\n")
        print("| peer | Jaccard | pairs in both | marsad only | peer only |\n|---|---:|---:|---:|---:|")
        for name, g in agreement.items():
            print(f"| {name} | {g['jaccard']:.4f} | {g['both']} | {g['marsad_only']} | {g['other_only']} |")
        results["agreement"] = agreement
    print(f"\n## Speed (dedup only, records in memory, one core, best of {args.repeat})\n")
    print("| system | articles | CPU s | articles/s (CPU) | peak RSS MB |\n|---|---:|---:|---:|---:|")
    for name, r in speed.items():
        print(f"| {name} | {r['articles']} | {r['cpu_s']:.2f} | {r['articles'] / r['cpu_s']:.0f} | {r['peak_rss_mb']:.0f} |")
        if "stage_cpu_s" in r:
            stages = ", ".join(f"{x:.2f}" for x in r["stage_cpu_s"])  # type: ignore[union-attr]
            print(f"|   (signature, buckets, cluster CPU s: {stages}) | | | | |")
    print("\n## Memory (marsad, records streamed from disk)\n")
    print("| input | articles | CPU s | baseline RSS MB | peak RSS MB | dedup's share MB |\n|---|---:|---:|---:|---:|---:|")
    for name in ("N", f"{args.scale}N"):
        r = memory[name]
        print(f"| {name} | {r['articles']} | {r['cpu_s']:.2f} | {r['base_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | "
              f"{r['peak_rss_mb'] - r['base_rss_mb']:.0f} |")
    grow = (memory[f"{args.scale}N"]["peak_rss_mb"] - memory[f"{args.scale}N"]["base_rss_mb"]) / max(
        1e-9, memory["N"]["peak_rss_mb"] - memory["N"]["base_rss_mb"])
    print(f"\ndedup memory grew {grow:.2f}x for {args.scale}x the articles "
          f"(pairs found grew {memory['replica_pairs_ratio']:.2f}x)")

    if args.verbose:
        for name, pred in predicted.items():
            print(f"\n### {name}: missed pairs")
            for label in LABELS:
                missed = sorted(gold.labels[label] - pred)
                print(f"\n{label}: {len(missed)} missed")
                for p in missed[:40]:
                    print(f"- {describe(gold, p)}")
            wrong = sorted(p for p in pred - gold.unscored if gold.clusters[p[0]] != gold.clusters[p[1]])
            print(f"\nfalse pairs: {len(wrong)}")
            for p in wrong[:40]:
                print(f"- {describe(gold, p)} [{gold.negative_kinds.get(p, 'unlabelled')}]")

    results.update({"scores": scores, "speed": speed, "memory": memory})
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
