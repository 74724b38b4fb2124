"""Train one NER variant and score it on ANERcorp's test split (one lever at a time).

    python bench/ner_levers.py NAME [--features '{"names": true}'] [--option key=value ...]

Trains on train.conll into /tmp/ner_NAME with the given feature groups and options (the rest as
:class:`marsad.nlp.ner.NerOptions` defaults), then prints per-sentence and window-30 scores as a
row of the model card's levers table. About two minutes per variant on one core.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from marsad.nlp.ner import evaluate_ner, train_ner
from marsad.nlp.ner_features import FeatureSet

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--features", default="{}", help="FeatureSet fields as JSON")
    parser.add_argument("--option", action="append", default=[], help="NerOptions key=value")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="extra CoNLL data")
    parser.add_argument("--eval-only", action="store_true")
    args = parser.parse_args(argv)
    out = Path("/tmp") / f"ner_{args.name}"
    options: dict[str, object] = {k: json.loads(v) for k, v in (o.split("=", 1) for o in args.option)}
    if not args.eval_only:
        summary = train_ner([args.data / "anercorp" / "train.conll"], out, extra=args.extra,
                            features=FeatureSet(**json.loads(args.features)), **options)
        print(f"trained in {summary['seconds']}s")
    test = args.data / "anercorp" / "test.conll"
    for window in (0, 30):
        r = evaluate_ner(test, model_path=out, window=window)
        cells = " ".join(f"{k} {r.counts[k].f1:.3f}" for k in ("PER", "ORG", "LOC", "MISC"))
        a = r.counts["ALL"]
        print(f"{args.name} w={window}: {cells} | P {a.precision:.3f} R {a.recall:.3f} "
              f"F1 {a.f1:.3f} | {r.tokens_per_second:,.0f} tok/s")


if __name__ == "__main__":
    main()
