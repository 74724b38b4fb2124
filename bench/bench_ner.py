"""NER on ANERcorp's test split: the committed model against a plain CRF trained in the same run.

    python bench/bench_ner.py [--data ../shared/data] [--model DIR]

The baseline is the usual starting point for Arabic NER with a CRF: the word, its 1-3 letter
prefixes and suffixes, and the words at ±2, nothing else (no clitic split, clusters or gazetteer).
It is trained here on train.conll with the same CRF settings (about a minute), so both rows are
measured on the same machine in the same run. Scores are exact-span (CoNLL) precision, recall and
F1 per type; speed is tokens per second of feature extraction and decoding on one core, from a
cold cache. The committed model is scored twice: sentence by sentence, and with names propagated
within runs of 30 consecutive sentences (the test file has no document boundaries).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from marsad.nlp.ner import NerReport, evaluate_ner, train_ner
from marsad.nlp.ner_features import FeatureSet

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

BASELINE = FeatureSet(affixes=True, context=True, clitics=False, clusters=False, gazetteer=False,
                      bigrams=False)


def row(name: str, report: NerReport) -> str:
    cells = [f"{report.counts[k].f1:.3f}" for k in ("PER", "ORG", "LOC", "MISC")]
    a = report.counts["ALL"]
    return (f"| {name} | {' | '.join(cells)} | {a.precision:.3f} | {a.recall:.3f} | **{a.f1:.3f}** "
            f"| {report.tokens_per_second:,.0f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: committed)")
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    main()
