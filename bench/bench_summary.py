"""Extractive summary against ANT's ``abstract`` field: ROUGE-1/2 of marsad and of Lead-1/Lead-3.

    python bench/bench_summary.py [--limit N] [--json OUT]

Only articles whose abstract is present and is not the lead itself count: most sources' abstract is
the first sentence (or its first 200 characters) copied, which would score the lead baseline 1.0
and say nothing. An abstract "is the lead" when its normalised words are a prefix of the body's.

ROUGE is computed here over normalised tokens (:func:`marsad.text.analysis.tokens`: hamza, alef,
diacritics, digits folded; no stemming), with clipped n-gram counts, and reported as mean recall,
precision and F1 over the articles. Lead-k is the first k sentences of the body as
:func:`marsad.nlp.summary.split_sentences` splits it, nothing filtered.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from marsad.nlp.summary import split_sentences, summarize
from marsad.text.analysis import tokens

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def rouge(candidate: str, reference: str, n: int) -> tuple[float, float, float]:
    """ROUGE-n (recall, precision, F1) of ``candidate`` against ``reference``."""
    cand, ref = ngrams(tokens(candidate), n), ngrams(tokens(reference), n)
    overlap = sum((cand & ref).values())
    r = overlap / max(sum(ref.values()), 1)
    p = overlap / max(sum(cand.values()), 1)
    return r, p, (2 * r * p / (r + p) if r + p else 0.0)


def lead(text: str, k: int) -> str:
    return " ".join(text[a:b] for a, b in split_sentences(text)[:k])


def evaluable(row: dict[str, str]) -> bool:
    abstract, text = row.get("abstract") or "", row.get("text") or ""
    if len(tokens(abstract)) < 5 or not text:
        return False
    ab, body = tokens(abstract), tokens(text)
    return body[: len(ab)] != ab


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="at most N evaluable articles (0: all)")
    parser.add_argument("--json", type=Path, help="write the scores here too")
    args = parser.parse_args()

    systems = {
        "marsad": lambda r: summarize(r["text"], title=r.get("title")),
        "marsad (1 sentence)": lambda r: summarize(r["text"], title=r.get("title"), max_sentences=1),
        "lead-1": lambda r: lead(r["text"], 1),
        "lead-3": lambda r: lead(r["text"], 3),
    }
    sums = {name: [0.0] * 6 for name in systems}
    by_source: Counter[str] = Counter()
    n = 0
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if not evaluable(row):
                continue
            n += 1
            by_source[row.get("source", "?")] += 1
            for name, system in systems.items():
                summary = system(row)
                scores = (*rouge(summary, row["abstract"], 1), *rouge(summary, row["abstract"], 2))
                sums[name] = [a + b for a, b in zip(sums[name], scores, strict=True)]
            if args.limit and n >= args.limit:
                break
    result = {name: dict(zip(("r1_recall", "r1_precision", "r1_f1", "r2_recall", "r2_precision", "r2_f1"),
                             (round(v / n, 4) for v in s), strict=True)) for name, s in sums.items()}
    print(f"{n} articles with an abstract that is not the lead ({dict(by_source)})")
    print(f"{'system':22} {'R1-R':>6} {'R1-P':>6} {'R1-F':>6} {'R2-R':>6} {'R2-P':>6} {'R2-F':>6}")
    for name, s in result.items():
        print(f"{name:22} " + " ".join(f"{v:6.3f}" for v in s.values()))
    if args.json:
        args.json.write_text(json.dumps({"articles": n, "scores": result}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
