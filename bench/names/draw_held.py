"""Draw of a held-apart set of name groups (bench/names/README.md, the ninth set): the one-word names
the tagger gives each of PER, LOC and ORG in most ANT articles (the ``entities`` table of an ANT
archive, read-only), the top 400 per type, without any spelling of the earlier sets or of
``false_folds.tsv``, each type's list shuffled in turn by one ``random.Random(SEED)``; prints the
first names of each shuffled list (the walk that keeps the first foreign names of one referent is
done by reading them, as the README says).

    python bench/names/draw_held.py 35035 8 name 40   # seed, last held set excluded, tie order, names shown

(the ninth set: seed 35035, sets up to groups_held8.tsv excluded). The archive is /tmp/ant.db.
"""
import csv, random, sqlite3, sys
from collections import Counter, defaultdict
from marsad.text.analysis import tokens
B = "/work/main/bench/names/"
seed = int(sys.argv[1]); upto = int(sys.argv[2]); order = sys.argv[3] if len(sys.argv) > 3 else "name"
files = ["groups.tsv"] + [f"groups_held{i}.tsv" for i in range(2, upto + 1)]
excl = set(); refs = set()
for f in files:
    for r in csv.DictReader(open(B + f, encoding="utf-8"), delimiter="\t"):
        excl.add(" ".join(tokens(r["spelling"]))); refs.add(r["referent"])
for r in csv.DictReader(open(B + "false_folds.tsv", encoding="utf-8"), delimiter="\t"):
    excl.add(" ".join(tokens(r["a"]))); excl.add(" ".join(tokens(r["b"])))
db = sqlite3.connect("file:/tmp/ant.db?mode=ro", uri=True)
n = Counter()
for name, label, c in db.execute("SELECT name, label, count(DISTINCT article) FROM entities GROUP BY name, label"):
    n[(name, label)] = c
by = defaultdict(dict)
for (name, label), c in n.items():
    by[name][label] = c
lists = {}
for t in ("PER", "LOC", "ORG"):
    cand = []
    for name, d in by.items():
        if " " in name.strip(): continue
        best = max(d.items(), key=lambda kv: (kv[1], kv[0] == t))  # ties go to this type? (rare)
        if best[0] != t: continue
        cand.append((name, d[t]))
    if order == "name":
        cand.sort(key=lambda x: (-x[1], x[0]))
    top = cand[:400]
    cut = top[-1][1]
    ties = sum(1 for c in cand if c[1] == cut)
    pool = [(nm, c) for nm, c in top if " ".join(tokens(nm)) not in excl]
    print(f"# {t}: top400 cutoff={cut} (names at cutoff: {ties}, in top: {sum(1 for c in top if c[1]==cut)}); pool after exclusion {len(pool)}", file=sys.stderr)
    lists[t] = pool
rng = random.Random(seed)
for t in ("PER", "LOC", "ORG"):
    L = lists[t][:]
    rng.shuffle(L)
    print(t, " ".join(f"{nm}:{c}" for nm, c in L[:int(sys.argv[4]) if len(sys.argv) > 4 else 40]))
