"""Words whose stem a name shares (issue 13): how many of a word's search results hold its stem only
through a name the stemmer cuts to it (بوتين for التين, الكاميرون for الأمير, ويست for الباليستية)?

The stems are those an archive stores as shared with names (``name_stems``), read from ``--judge``
(an archive learned by the marsad under test; by default ``--archive`` itself), so that two
archives, or two marsads on copies of one, are measured on the same words. For each stem, the most
common of its words (not a name's written form) that stands in ``--min-df`` articles or more is
searched in date order (up to ``--limit`` results). A result holds the stem only through a name when
every word of its headline and body with that stem (the stem or the second stem, as the index reads
them) is a written form of one of the names that share it.

    python bench/eval_cut_words.py --archive /tmp/ant.db
    python bench/eval_cut_words.py --archive /tmp/before.db --judge /tmp/ant.db   # the same words, older marsad

ANT is ``../shared/data/ant_multisource``, ingested with ``marsad ingest``. The archives are opened
read-only (a copy is made if one needs migrating: open a copy).
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
from collections import Counter

from marsad import Archive
from marsad.text.analysis import alternative, stem, tokens


def stems_of(word: str) -> set[str]:
    return {s for s in (stem(word), alternative(word)) if s}


def shared(judge: str) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """The judge archive's shared stems: each stem's words, and the written forms of its names."""
    db = sqlite3.connect(f"file:{judge}?mode=ro", uri=True)
    surfaces = {form: set(s.split("|")) for form, s in db.execute("SELECT form, surfaces FROM name_forms")}
    words, names = {}, {}
    for s, forms, ns in db.execute("SELECT stem, forms, names FROM name_stems ORDER BY stem"):
        words[s] = [f for f in forms.split("|") if f]
        names[s] = {w for n in ns.split("|") if n for w in surfaces.get(n, {n})}
    db.close()
    return words, names


def main() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the report quietly
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", default="/tmp/ant.db")
    ap.add_argument("--judge", help="archive whose name_stems define the words (default: --archive)")
    ap.add_argument("--min-df", type=int, default=20)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worst", type=int, default=10)
    args = ap.parse_args()
    words, names = shared(args.judge or args.archive)
    wanted = {w for ws in words.values() for w in ws}
    db = sqlite3.connect(f"file:{args.archive}?mode=ro", uri=True)
    df: Counter[str] = Counter()
    for (text,) in db.execute("SELECT coalesce(title, '') || ' ' || text FROM articles"):
        df.update(set(tokens(text)) & wanted)
    chosen = {}
    for s, ws in words.items():
        best = max(ws, key=lambda w: (df[w], w), default=None)
        if best is not None and df[best] >= args.min_df:
            chosen[s] = best
    total = through = 0
    rows = []
    with Archive(args.archive, create=False) as archive:
        for s, word in sorted(chosen.items()):
            ids = [h.id for h in archive.search(word, sort="date", limit=args.limit).results]
            bad = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for (text,) in db.execute(f"SELECT coalesce(title, '') || ' ' || text FROM articles WHERE id IN"
                                          f" ({', '.join('?' * len(chunk))})", chunk):
                    holding = [w for w in set(tokens(text)) if s in stems_of(w)]
                    if holding and all(w in names[s] for w in holding):
                        bad += 1
            total += len(ids)
            through += bad
            rows.append({"stem": s, "word": word, "results": len(ids), "through_a_name": bad})
    report = {"words": len(rows), "results": total, "through_a_name": through,
              "share": round(through / total, 4) if total else 0.0, "rows": rows}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"{len(rows)} words, {total} results, {through} holding the stem only through a name"
          f" ({100 * report['share']:.1f}%)")
    for r in sorted(rows, key=lambda r: -r["through_a_name"])[:args.worst]:
        print(f"  {r['word']}\t{r['stem']}\t{r['through_a_name']}/{r['results']}")


if __name__ == "__main__":
    main()
