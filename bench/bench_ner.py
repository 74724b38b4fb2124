"""NER on ANERcorp's test split: the committed model against a plain CRF trained in the same run.

    python bench/bench_ner.py [--data ../shared/data] [--model DIR] [--speed-only]

The baseline is the usual starting point for Arabic NER with a CRF: the word, its 1-3 letter
prefixes and suffixes, and the words at ±2, nothing else (no clitic split, clusters or gazetteer).
It is trained here on train.conll with the same CRF settings (about a minute), so both rows are
measured on the same machine in the same run. Scores are exact-span (CoNLL) precision, recall and
F1 per type; speed is tokens per second of feature extraction and decoding on one core, from a
cold cache. The committed model is scored twice: sentence by sentence, and with names propagated
within runs of 30 consecutive sentences (the test file has no document boundaries). Last, the
time per article through ``EntityTagger.tag_many`` on 400 ANT articles (``--speed-only``: only that).
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from marsad.nlp.ner import EntityTagger, NerReport, evaluate_ner, train_ner
from marsad.nlp.ner_features import FeatureSet

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

BASELINE = FeatureSet(affixes=True, context=True, clitics=False, clusters=False, gazetteer=False,
                      bigrams=False, triggers=False, names=False, name_words=False,
                      long_affixes=False)


def row(name: str, report: NerReport) -> str:
    cells = [f"{report.counts[k].f1:.3f}" for k in ("PER", "ORG", "LOC", "MISC")]
    a = report.counts["ALL"]
    return (f"| {name} | {' | '.join(cells)} | {a.precision:.3f} | {a.recall:.3f} | **{a.f1:.3f}** "
            f"| {report.tokens_per_second:,.0f} |")


def article_speed(ant: Path, model: Path | None, n: int = 400) -> str:
    """Milliseconds per ANT article through ``tag_many`` (tokens, features, CRF, propagation),
    from a cold feature cache, and per 250 words (the length of a typical news story)."""
    texts: list[str] = []
    with gzip.open(ant, "rt", encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line).get("text") or "")
            if len(texts) >= n:
                break
    tagger = EntityTagger(model_path=model)
    tagger.tag("")  # load the model outside the timing
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    tagger.tag_many(texts)
    seconds = time.perf_counter() - t0
    return (f"{len(texts)} ANT articles ({words:,} words): {seconds / len(texts) * 1000:.2f} ms per "
            f"article, {seconds / words * 250_000:.2f} ms per 250 words, "
            f"{words / seconds:,.0f} words/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: committed)")
    parser.add_argument("--speed-only", action="store_true", help="only the ANT articles timing")
    args = parser.parse_args(argv)
    ant = args.data / "ant_multisource" / "articles.jsonl.gz"
    if args.speed_only:
        print(article_speed(ant, args.model))
        return
    train = args.data / "anercorp" / "train.conll"
    test = args.data / "anercorp" / "test.conll"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        train_ner([train], Path(tmp), features=BASELINE)
        rows.append(row("plain CRF (affixes, ±2 words)", evaluate_ner(test, model_path=Path(tmp))))
    rows.append(row("marsad, per sentence", evaluate_ner(test, model_path=args.model)))
    best = evaluate_ner(test, model_path=args.model, window=30)
    rows.append(row("marsad, names propagated", best))
    print("| model | PER F1 | ORG F1 | LOC F1 | MISC F1 | P | R | F1 | tokens/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(best.format())
    print(article_speed(ant, args.model))


if __name__ == "__main__":
    main()
