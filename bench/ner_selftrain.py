"""Self-training data for the NER model: ANT sentences the committed model tags confidently.

    python bench/ner_selftrain.py [--model DIR] [--articles 3000] [--min-prob 0.9] --out FILE.conll

Tags the first ``--articles`` distinct ANT texts sentence by sentence and keeps the sentences
that have at least one entity and whose whole label sequence the CRF gives a probability of at
least ``--min-prob``; writes them as CoNLL (``token label``) to train on with ``--extra``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from marsad.nlp.ner import EntityTagger, _sentences
from marsad.nlp.tokens import token_spans

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ant", type=Path, default=ANT)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--skip", type=int, default=0, help="texts to skip first")
    parser.add_argument("--min-prob", type=float, default=0.9)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    tagger = EntityTagger(model_path=args.model)
    crf, featurizer = tagger._load()
    seen: set[int] = set()
    kept = total = 0
    with gzip.open(args.ant, "rt", encoding="utf-8") as fh, open(args.out, "w", encoding="utf-8") as out:
        for line in fh:
            text = json.loads(line).get("text") or ""
            if hash(text) in seen:
                continue
            seen.add(hash(text))
            if len(seen) <= args.skip:
                continue
            if len(seen) > args.skip + args.articles:
                break
            tokens = token_spans(text)
            for lo, hi in _sentences(text, tokens):
                words = [t for t, _, _ in tokens[lo:hi]]
                if len(words) < 5:
                    continue
                total += 1
                feats = featurizer.sentence(words)
                labels = crf.tag(feats)  # type: ignore[attr-defined]
                if all(y == "O" for y in labels) or crf.probability(labels) < args.min_prob:  # type: ignore[attr-defined]
                    continue
                kept += 1
                out.write("".join(f"{w} {y}\n" for w, y in zip(words, labels)) + "\n")
    print(f"kept {kept} of {total} sentences")


if __name__ == "__main__":
    main()
