"""Benchmark: marsad's topic model against the issue's baseline, each publisher held out in turn.

    python bench/bench_topic.py              # shipped configuration and baseline, speed (5.5 min CPU)
    python bench/bench_topic.py --levers     # also one row per lever alone (about 40 min CPU)

Data: ../shared/data/ant_multisource/articles.jsonl.gz (ANT corpus v2.1, five publishers, six
labels). For each publisher, both configurations are trained on the other four and tested on it;
"merged" folds middleEast and internationalNews into one label. Columns marked * count each
distinct text once and accept any section its publisher filed it under (see
marsad.nlp.topic_eval). The baseline is the issue's: TF-IDF over normalised words, raw term
counts, LinearSVC, no class weights, every publisher's articles as negatives for every label.
Speed is the committed model's ``predict_many`` over the first 3,000 articles, on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.nlp.topic import TopicClassifier, TopicOptions, read_articles  # noqa: E402
from marsad.nlp.topic_eval import evaluate_articles  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"

SHIPPED = TopicOptions()
BASELINE = TopicOptions(words="exact", sublinear_tf=False, balanced=False, source_aware=False,
                        calibrate=False, max_features=0)
#: one change at a time from the shipped configuration
LEVERS: dict[str, dict[str, object]] = {
    "exact words instead of stems": {"words": "exact"},
    "words only (no word pairs)": {"ngrams": 1, "max_features": 0},
    "title not counted again": {"title_weight": 0},
    "title counted 3 more times": {"title_weight": 3},
    "raw tf (not sublinear)": {"sublinear_tf": False},
    "no class balancing": {"balanced": False},
    "every publisher as negatives": {"source_aware": False},
    "trained on merged labels": {"labels": "merged"},
    "logistic regression": {"model": "lr", "C": 10.0},
    "complement naive Bayes": {"model": "cnb", "source_aware": False},
    "C = 0.5": {"C": 0.5},
    "no feature pruning": {"max_features": 0},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levers", action="store_true", help="also evaluate each lever alone")
    parser.add_argument("--data", type=Path, default=ANT)
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"{args.data} is absent")
    articles = read_articles(args.data)
    runs = {"shipped": SHIPPED, "baseline (words + LinearSVC)": BASELINE}
    if args.levers:
        fields = {f: getattr(SHIPPED, f) for f in SHIPPED.__slots__}
        runs |= {name: TopicOptions(**(fields | change)) for name, change in LEVERS.items()}  # type: ignore[arg-type]
    rows = []
    for name, opts in runs.items():
        report = evaluate_articles(articles, opts, random_split=name in ("shipped", "baseline (words + LinearSVC)"))
        print(f"\n== {name} ({report.seconds:.0f} s)\n{report.format()}", flush=True)
        rows.append((name, report))
    print(f"\n{'configuration':<32}{'six':>7}{'merged':>8}{'six*':>7}{'merged*':>9}{'random':>8}  per source (merged)")
    for name, r in rows:
        rnd = f"{r.random_split.six:.3f}" if r.random_split else "-"
        per = " ".join(f"{s.source}:{s.merged:.3f}" for s in r.sources)
        print(f"{name:<32}{r.six:>7.3f}{r.merged:>8.3f}{r.mean('six_dedup'):>7.3f}{r.mean('merged_dedup'):>9.3f}{rnd:>8}  {per}")
    speed(articles)


def speed(articles: list) -> None:  # type: ignore[type-arg]
    classifier = TopicClassifier()
    sample = [(a.title, a.text) for a in articles[:3000]]
    started = time.perf_counter()
    classifier.predict_many(sample[:1])  # the model loads on first use: timed apart
    loaded = time.perf_counter()
    classifier.predict_many(sample)
    done = time.perf_counter()
    print(f"\nspeed: load {loaded - started:.2f} s, {len(sample) / (done - loaded):,.0f} articles/s (predict_many)")


if __name__ == "__main__":
    main()
