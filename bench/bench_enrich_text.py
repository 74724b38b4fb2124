"""Cost per article of the text enrichments: key phrases, quotations and summary, on ANT.

    taskset -c 0 python bench/bench_enrich_text.py [--limit N] [--repeat 3]

Runs :func:`marsad.nlp.keyphrases.keyphrases`, :func:`marsad.nlp.quotes.find_quotes` and
:func:`marsad.nlp.summary.summarize` over ANT's ``text`` (with its title), each alone and then the
three in a row on each article (as the pipeline calls them: the sentence split is shared). Times are
CPU time of this process (``time.process_time``), best of ``--repeat`` passes after a warm-up pass
(lazy loads and word caches filled), so a busy shared machine inflates them less than wall time.
Also reported per 400 words, the size of an average news article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

from marsad.nlp.keyphrases import keyphrases
from marsad.nlp.quotes import find_quotes
from marsad.nlp.summary import summarize

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


def best_of(repeat: int, run: Callable[[], object]) -> float:
    run()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            rows.append((row.get("text") or "", row.get("title") or ""))
            if len(rows) >= args.limit:
                break
    words = sum(len(t.split()) for t, _ in rows) / len(rows)

    def all_three() -> None:
        for text, title in rows:
            keyphrases(text, title=title)
            find_quotes(text)
            summarize(text, title=title)

    runs: dict[str, Callable[[], object]] = {
        "keyphrases": lambda: [keyphrases(t, title=h) for t, h in rows],
        "find_quotes": lambda: [find_quotes(t) for t, _ in rows],
        "summarize": lambda: [summarize(t, title=h) for t, h in rows],
        "all three": all_three,
    }
    print(f"{len(rows)} ANT articles, {words:.0f} words on average")
    print(f"{'':12} {'ms/article':>10} {'ms/400 words':>12} {'articles/s':>10}")
    for name, run in runs.items():
        per = best_of(args.repeat, run) / len(rows) * 1000
        print(f"{name:12} {per:10.3f} {per * 400 / words:12.3f} {1000 / per:10.0f}")


if __name__ == "__main__":
    main()
