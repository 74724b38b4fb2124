"""Do the SQLite and the PostgreSQL archives rank alike? The same files ingested into both (a SQLite
file made here, a PostgreSQL database given by its URL, empty), then queries compared: the fixed
table of tests/archive/test_pg.py and N random ones (one or two words of random headlines, ORs,
exclusions, phrases), top 10 of each. Prints how many top-10 lists are identical, how many differ
only inside a run of tied SQLite scores, and the others; and, with --arabic, what PostgreSQL's own
``arabic`` configuration finds for the fixed words against marsad's search.

    python bench/pg_parity.py postgresql://user@/db?host=/tmp FILE_OR_DIR... [--random 200] [--arabic]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from marsad.archive import Archive
from marsad.jobs import ProcessOptions, ingest_files

WORDS = ["القمح", "والقمح", "بالترامواي", "الأردن مدرسة", "الاردن مدرسه", "الأُرْدُن", "الطاقة الشمسية", "ترمب", "ترامب",
         "الكهرباء", "كهربائي", "المدارس", "الاتحاد الاوروبى", "بمصر"]


def queries(archive: Archive, n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    titles = [t for (t,) in archive.db.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY rowid")]
    words = [w for t in titles for w in t.split() if len(w) > 3]
    out = []
    for i in range(n):
        a, b = rng.choice(words), rng.choice(words)
        out.append([a, f"{a} {b}", f"{a} OR {b}", f"{a} -{b}", f'"{" ".join(rng.choice(titles).split()[:2])}"'][i % 5])
    return out


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("paths", nargs="+")
    p.add_argument("--random", type=int, default=200)
    p.add_argument("--arabic", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "a.db"
        for target in (db, args.url):
            ingest_files(args.paths, target, ProcessOptions(progress=False))
        with Archive(db) as a, Archive(args.url) as b:
            same = ties = other = 0
            for q in WORDS + queries(a, args.random):
                try:
                    x, y = a.search(q), b.search(q)
                except Exception as exc:  # noqa: BLE001 - a query both refuse is alike
                    print(f"{q!r}: {type(exc).__name__}", file=sys.stderr)
                    continue
                xi, yi = [h.id for h in x.results], [h.id for h in y.results]
                if xi == yi:
                    same += 1
                elif sorted(xi) == sorted(yi) and all(xs.score == ys.score for xs, ys in zip(x.results, y.results)):
                    ties += 1
                else:
                    other += 1
                    print(f"differs: {q!r}\n  sqlite {[(h.id, h.score) for h in x.results]}\n  pg     {[(h.id, h.score) for h in y.results]}")
            print(f"top 10 identical: {same}; differing only among tied scores: {ties}; otherwise: {other}")
            if args.arabic:
                print(f"{'query':22} marsad arabic both only_marsad only_arabic")
                for q in WORDS:
                    found = {h.id for h in b.search(q, limit=100).results}
                    mine = {i for (i,) in b.db.execute(
                        "SELECT id FROM articles WHERE coalesce(cluster, id) IN (SELECT coalesce(cluster, id) FROM articles"
                        " WHERE id = ANY(?))", (list(found),))} if found else set()
                    theirs = {i for (i,) in b.db.execute(
                        "SELECT id FROM articles WHERE to_tsvector('arabic', coalesce(title, '') || ' ' || text)"
                        " @@ plainto_tsquery('arabic', ?)", (q,))}
                    print(f"{q:22} {len(mine):6} {len(theirs):6} {len(mine & theirs):4} {len(mine - theirs):11} {len(theirs - mine):11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
