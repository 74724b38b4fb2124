"""Name-spelling evaluation of search (issue 13): does a search for one spelling of a name find the
articles that use its other spellings, and only articles that name it?

Data: ``bench/names/groups.tsv``, one row per spelling of a name group (a person, place,
organisation or brand): ``group referent type domain held spelling kind ant_articles``. ``held=1``
marks the ten held-apart groups (chosen at random before any folding existed, see
``bench/names/README.md``): they are reported on their own and must stay out of every choice made
while building the folding.

Gold (which articles name a group). The articles and their duplicate clusters are read from the
archive under test (its stored title and text, which is what search indexes; on ANT the archive's
ids are ANT's own ``id`` strings). Each article's title + text is cut into words exactly as search
cuts them (:func:`marsad.text.analysis.tokens`: :func:`marsad.normalize`, then runs of letters and
digits, so ``#دونالد_ترامب`` gives two words). An article names a group when one of its words is
one of the group's spellings, either bare or behind attached proclitics: a conjunction (و ف), a
preposition (ب ك ل) or both (وب، فل ...). The article ال is accepted in front of brand names only
(الآيفون، بالفيسبوك): a person or place with ال is another word (كاميرون Cameron, الكاميرون
Cameroon). A spelling that starts with ال (الناتو) takes the proclitics in front of it, and ل + ال
is written لل (للناتو). A spelling of several words (فيس بوك، دونالد ترامب) matches those words
consecutively, proclitics allowed on the first. No suffixes are taken off (فيسبوكي is not
فيسبوك). This matching is deliberately independent of marsad's stemmer and of any folding.

A spelling is evaluated when the archive holds at least one article using it. Its search is
``Archive.search(spelling, sort="date", ...)``, paged 1,000 at a time until exhausted, so that every
match is collected (a relevance search ranks only the newest 3,000 matches plus older headline
matches; date order reads them all). Search gives one result per duplicate cluster, so everything
is compared at the cluster level:

- recall: share of the group's clusters (the clusters holding at least one article that names the
  group) that the search returns;
- precision: share of the returned results whose article (the one search shows for its cluster)
  names the group in some spelling.

Each spelling's query is also timed as a user runs it (relevance order, ``--limit`` 10, after one
warm-up run) and the p50/p95 of those times reported.

    python bench/eval_names.py --compare                 # plain search and name folding, same run (/tmp/ant.db)
    python bench/eval_names.py                           # marsad's search as it is (names folded)
    python bench/eval_names.py --plain                   # search as before issue 13 (no name lexicon)
    python bench/eval_names.py --search-option exact_names=true --json
    python bench/eval_names.py count                     # ANT article counts per spelling (TSV)

The archive must be of schema v7 or later (an older one is migrated when opened, which learns its
names); the held-apart groups are evaluated with the rest and reported apart (``--held dev`` runs
only the others).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad import Archive, normalize
from marsad.text.analysis import tokens

HERE = Path(__file__).resolve().parent
GROUPS = HERE / "names" / "groups.tsv"
FALSE_FOLDS = HERE / "names" / "false_folds.tsv"
ANT = Path("/work/shared/data/ant_multisource/articles.jsonl.gz")

CONJ = ("", "و", "ف")
PREP = ("", "ب", "ك", "ل")


@dataclass
class Group:
    id: str
    referent: str
    type: str
    domain: str
    held: bool
    spellings: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    listed: dict[str, int] = field(default_factory=dict)  # ant_articles column as written
    written: dict[str, str] = field(default_factory=dict)  # normalised spelling -> as written in the TSV


def read_groups(path: Path = GROUPS) -> list[Group]:
    groups: dict[str, Group] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            g = groups.setdefault(row["group"], Group(row["group"], row["referent"], row["type"], row["domain"],
                                                     row["held"] == "1"))
            spelling = " ".join(tokens(row["spelling"]))
            if spelling in g.kinds:
                raise SystemExit(f"{path}: {row['group']}: {row['spelling']} listed twice (after normalisation)")
            g.spellings.append(spelling)
            g.kinds[spelling] = row["kind"]
            g.listed[spelling] = int(row["ant_articles"] or 0)
            g.written[spelling] = row["spelling"]
    return list(groups.values())


def surface_forms(word: str, *, article: bool) -> set[str]:
    """The written forms of one word of a name with proclitics attached (see the module docstring)."""
    forms = set()
    for c in CONJ:
        for p in PREP:
            if word.startswith("ال"):
                forms.add(c + ("ل" + word[1:] if p == "ل" else p + word))
            else:
                forms.add(c + p + word)
                if article:  # الفيسبوك، بالفيسبوك، للفيسبوك
                    forms.add(c + ("لل" if p == "ل" else p + "ال") + word)
    return forms


class Matcher:
    """Finds which spellings of which groups an article's words hold."""

    def __init__(self, groups: list[Group]) -> None:
        # first word's written form -> [(rest of the spelling's words, group id, spelling)]
        self.index: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for g in groups:
            for s in g.spellings:
                first, *rest = s.split(" ")
                for form in surface_forms(first, article=g.type == "BRAND"):
                    self.index[form].append((tuple(rest), g.id, s))

    def find(self, text: str) -> set[tuple[str, str]]:
        words = tokens(text)
        found = set()
        for i, w in enumerate(words):
            for rest, gid, s in self.index.get(w, ()):
                if not rest or tuple(words[i + 1 : i + 1 + len(rest)]) == rest:
                    found.add((gid, s))
        return found


def read_false_folds(path: Path = FALSE_FOLDS) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def fold_key(word: str, kind: str) -> str:
    return kind + ":" + " ".join(tokens(word))


def fold_groups(pairs: list[dict[str, str]]) -> list[Group]:
    """One pseudo-group per side of the false-fold pairs, matched as the groups are; an ordinary
    word also with the article (الكتاب), a name without it."""
    out: dict[str, Group] = {}
    for p in pairs:
        for word, kind in ((p["a"], p["a_is"]), (p["b"], p["b_is"])):
            key = fold_key(word, kind)
            if key not in out:
                s = " ".join(tokens(word))
                out[key] = Group(key, "", "BRAND" if kind == "word" else "PER", "", False, [s], {s: "variant"}, {},
                                 {s: word})
    return list(out.values())


def ant_articles(path: Path = ANT) -> Iterator[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            yield a["id"], (a.get("title") or "") + "\n" + (a.get("text") or "")


def count(groups: list[Group], corpus: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    matcher = Matcher(groups)
    n: dict[tuple[str, str], int] = defaultdict(int)
    for _, text in corpus:
        for key in matcher.find(text):
            n[key] += 1
    return n


# ---------------------------------------------------------------------------------------- evaluation


def gold(archive: Archive, groups: list[Group]) -> tuple[dict[str, str], dict[tuple[str, str], set[str]]]:
    """The archive's article -> cluster map, and (group, spelling) -> ids of the articles using it."""
    matcher = Matcher(groups)
    cluster: dict[str, str] = {}
    uses: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = archive.db.execute("SELECT id, coalesce(cluster, id), coalesce(title, ''), coalesce(text, '') FROM articles")
    for article_id, cl, title, text in rows:
        cluster[article_id] = cl
        for key in matcher.find(title + "\n" + text):
            uses[key].add(article_id)
    return cluster, uses


def collect(archive: Archive, query: str, options: dict[str, Any]) -> list[tuple[str, str]]:
    """Every result of ``query`` (article id, cluster), paged in date order."""
    out: list[tuple[str, str]] = []
    offset = 0
    while True:
        res = archive.search(query, sort="date", limit=1000, offset=offset, **options)
        out += [(h.id, h.cluster or h.id) for h in res.results]
        if len(res.results) < 1000:
            return out
        offset += 1000


def timed(archive: Archive, query: str, options: dict[str, Any], repeat: int) -> float:
    archive.search(query, limit=10, **options)  # warm-up: pages in cache, stems memoised
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        archive.search(query, limit=10, **options)
        best.append((time.perf_counter() - t) * 1000)
    return statistics.median(best)


def false_folds(archive: Archive, pairs: list[dict[str, str]], uses: dict[tuple[str, str], set[str]],
                options: dict[str, Any]) -> list[dict[str, Any]]:
    """For each pair, both ways: how many results of a search for one word are articles that hold the
    other and not it (as a word with proclitics: see the module docstring). Plain search leaks
    some through its stemmer; a name folding must add none."""
    out = []
    for p in pairs:
        for (x, xk), (y, yk) in ((("a", "a_is"), ("b", "b_is")), (("b", "b_is"), ("a", "a_is"))):
            kx, ky = fold_key(p[x], p[xk]), fold_key(p[y], p[yk])
            has_x = uses.get((kx, kx.split(":", 1)[1]), set())
            has_y = uses.get((ky, ky.split(":", 1)[1]), set())
            if not has_x:
                continue
            hits = collect(archive, p[x], options)
            leaked = [a for a, _ in hits if a in has_y and a not in has_x]
            out.append({"query": p[x], "other": p[y], "results": len(hits), "leaked": len(leaked),
                        "examples": leaked[:3]})
    return out


def evaluate(archive_path: str, groups: list[Group], options: dict[str, Any], repeat: int,
             pairs: list[dict[str, str]] | None = None) -> dict[str, Any]:
    archive = Archive(archive_path, create=False)
    try:
        t0 = time.perf_counter()
        cluster, uses = gold(archive, groups + fold_groups(pairs or []))
        gold_s = time.perf_counter() - t0
        rows = []
        absent = []
        for g in groups:
            named = set().union(*(uses.get((g.id, s), set()) for s in g.spellings))
            want = {cluster[a] for a in named}
            for s in g.spellings:
                if not uses.get((g.id, s)):
                    absent.append({"group": g.id, "spelling": s})
                    continue
                t = time.perf_counter()
                hits = collect(archive, s, options)
                collect_ms = (time.perf_counter() - t) * 1000
                got = {c for _, c in hits}
                good = sum(1 for a, _ in hits if a in named)
                own = {cluster[a] for a in uses[(g.id, s)]}
                rows.append({
                    "group": g.id, "referent": g.referent, "type": g.type, "held": g.held, "spelling": s,
                    "kind": g.kinds[s], "articles": len(uses[(g.id, s)]), "group_articles": len(named),
                    "group_clusters": len(want), "results": len(hits), "found": len(got & want),
                    "recall": len(got & want) / len(want), "precision": good / len(hits) if hits else 0.0,
                    "own_recall": len(got & own) / len(own),
                    "ms": round(timed(archive, s, options, repeat), 2), "collect_ms": round(collect_ms, 1),
                })
        folds = false_folds(archive, pairs, uses, options) if pairs else []
    finally:
        archive.close()
    summary = summarise(rows)
    if pairs:
        summary["false_folds"] = {"pairs": len(pairs), "searches": len(folds),
                                  "searches_leaking": sum(f["leaked"] > 0 for f in folds),
                                  "leaked_results": sum(f["leaked"] for f in folds)}
    return {"archive": archive_path, "options": options, "gold_seconds": round(gold_s, 1), "rows": rows,
            "absent": absent, "false_folds": folds, "summary": summary}


def _stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"groups": 0, "spellings": 0}
    return {
        "groups": len({r["group"] for r in rows}),
        "spellings": len(rows),
        "mean_recall": round(statistics.fmean(r["recall"] for r in rows), 4),
        "min_recall": round(min(r["recall"] for r in rows), 4),
        "mean_precision": round(statistics.fmean(r["precision"] for r in rows), 4),
        "min_precision": round(min(r["precision"] for r in rows), 4),
        "below_0.85": sum(r["recall"] < 0.85 for r in rows),
    }


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2) if values else 0.0


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part, held in (("dev", False), ("held", True)):
        mine = [r for r in rows if r["held"] == held]
        out[part] = _stats(mine)
        out[part + " (variants, no full names)"] = _stats([r for r in mine if r["kind"] == "variant"])
    for t in sorted({r["type"] for r in rows}):
        out["type " + t] = _stats([r for r in rows if r["type"] == t])
    out["all"] = _stats(rows)
    ms = [r["ms"] for r in rows]
    out["query_ms"] = {"p50": _pct(ms, 0.5), "p95": _pct(ms, 0.95), "max": max(ms) if ms else 0.0}
    return out


def markdown(report: dict[str, Any], worst: int) -> str:
    s = report["summary"]
    lines = [f"archive `{report['archive']}`, search options {report['options'] or '(none)'}", "",
             "| part | groups | spellings | mean recall | min recall | spellings < 0.85 | mean precision | min precision |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for part, st in s.items():
        if part in ("query_ms", "false_folds") or not st.get("spellings"):
            continue
        lines.append(f"| {part} | {st['groups']} | {st['spellings']} | {st['mean_recall']:.3f} | {st['min_recall']:.3f} |"
                     f" {st['below_0.85']} | {st['mean_precision']:.3f} | {st['min_precision']:.3f} |")
    q = s["query_ms"]
    lines += ["", f"query time (relevance, limit 10, median of repeats per spelling): p50 {q['p50']} ms,"
              f" p95 {q['p95']} ms, max {q['max']} ms", ""]
    if "false_folds" in s:
        f = s["false_folds"]
        lines += [f"false folds ({f['pairs']} pairs, {f['searches']} searches): {f['searches_leaking']} searches return"
                  f" articles holding the other word and not the query word, {f['leaked_results']} such results in all", ""]
        leaks = sorted((x for x in report["false_folds"] if x["leaked"]), key=lambda x: -x["leaked"])
        if leaks:
            lines += ["| query | other | results | leaked |", "|---|---|---:|---:|"]
            lines += [f"| {x['query']} | {x['other']} | {x['results']} | {x['leaked']} |" for x in leaks[:worst]]
            lines.append("")
    rows = sorted(report["rows"], key=lambda r: (r["recall"], r["precision"]))
    lines += [f"worst {worst} spellings by recall:", "",
              "| group | held | spelling | articles | group clusters | results | recall | precision |",
              "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in rows[:worst]:
        lines.append(f"| {r['group']} | {int(r['held'])} | {r['spelling']} | {r['articles']} | {r['group_clusters']} |"
                     f" {r['results']} | {r['recall']:.3f} | {r['precision']:.3f} |")
    low = sorted(report["rows"], key=lambda r: r["precision"])[:worst]
    lines += ["", f"worst {worst} spellings by precision:", "",
              "| group | held | spelling | articles | results | recall | precision |", "|---|---|---|---:|---:|---:|---:|"]
    for r in low:
        lines.append(f"| {r['group']} | {int(r['held'])} | {r['spelling']} | {r['articles']} | {r['results']} |"
                     f" {r['recall']:.3f} | {r['precision']:.3f} |")
    return "\n".join(lines)


def plain_search(on: bool = True) -> None:
    """Search as marsad did before issue 13 (``on``), or as it does now: with the archive's name
    lexicon unused, every query word matches its stem and no spelling is added (the lexicon is the
    only thing search reads from it)."""
    from marsad.archive import search as search_module

    if not hasattr(search_module, "_fold_names"):
        search_module._fold_names = search_module.fold_names  # type: ignore[attr-defined]
    search_module.fold_names = (  # type: ignore[assignment]
        (lambda db, query, fold=True: {}) if on else search_module._fold_names)  # type: ignore[attr-defined]


def compared(plain: dict[str, Any], folded: dict[str, Any]) -> str:
    """Both runs side by side: the headline figures of plain search and of name folding."""
    lines = ["| part | search | mean recall | min recall | spellings < 0.85 | mean precision | min precision |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for part in ("dev (variants, no full names)", "held (variants, no full names)", "dev", "held", "all"):
        for name, report in (("plain (before)", plain), ("names folded", folded)):
            st = report["summary"].get(part) or {}
            if st.get("spellings"):
                lines.append(f"| {part} | {name} | {st['mean_recall']:.3f} | {st['min_recall']:.3f} | {st['below_0.85']}"
                             f" / {st['spellings']} | {st['mean_precision']:.3f} | {st['min_precision']:.3f} |")
    for name, report in (("plain (before)", plain), ("names folded", folded)):
        q = report["summary"]["query_ms"]
        f = report["summary"].get("false_folds")
        lines.append(f"\n{name}: query p50 {q['p50']} ms, p95 {q['p95']} ms"
                     + (f"; false folds: {f['searches_leaking']} of {f['searches']} searches leak, {f['leaked_results']}"
                        " results" if f else ""))
    if plain["false_folds"] and folded["false_folds"]:
        before = {(x["query"], x["other"]): x["leaked"] for x in plain["false_folds"]}
        more = [x for x in folded["false_folds"] if x["leaked"] > before.get((x["query"], x["other"]), 0)]
        lines.append("\nfalse-fold searches leaking more with folding than plain search: "
                     + (", ".join(f"{x['query']}→{x['other']} {before.get((x['query'], x['other']), 0)}→{x['leaked']}"
                                  for x in more) or "none"))
    return "\n".join(lines)


def _option(text: str) -> tuple[str, Any]:
    key, _, value = text.partition("=")
    if not key:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE")
    try:
        parsed = json.loads(value) if value else True
    except json.JSONDecodeError:
        parsed = value
    return key.replace("-", "_"), parsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="eval", choices=("eval", "count"),
                    help="eval (default): search recall/precision; count: ANT article counts per spelling as TSV")
    ap.add_argument("--archive", default="/tmp/ant.db", help="archive to search (opened, never written)")
    ap.add_argument("--groups", type=Path, default=GROUPS)
    ap.add_argument("--corpus", type=Path, default=ANT, help="ANT jsonl.gz, for `count`")
    ap.add_argument("--search-option", "-o", action="append", type=_option, default=[], metavar="NAME=VALUE",
                    help="extra keyword for Archive.search, repeatable (value parsed as JSON when it can be: "
                         "exact_names=true)")
    ap.add_argument("--held", choices=("all", "dev", "held"), default="all", help="which groups to run")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per spelling (the median is kept)")
    ap.add_argument("--worst", type=int, default=12)
    ap.add_argument("--false-folds", type=Path, default=FALSE_FOLDS, help="pairs that must never fold")
    ap.add_argument("--no-false-folds", action="store_true", help="skip the false-fold searches")
    ap.add_argument("--json", action="store_true", help="the whole report as JSON")
    ap.add_argument("--plain", action="store_true",
                    help="plain search as before names were folded: no name lexicon (every word stemmed)")
    ap.add_argument("--compare", action="store_true",
                    help="plain search and name folding in the same run, side by side (then the folded run's report)")
    args = ap.parse_args(argv)
    if args.plain:
        plain_search()
    groups = read_groups(args.groups)
    if args.command == "count":
        n = count(groups, ant_articles(args.corpus))
        w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        w.writerow(["group", "referent", "type", "domain", "held", "spelling", "kind", "ant_articles"])
        for g in groups:
            for s in g.spellings:
                w.writerow([g.id, g.referent, g.type, g.domain, int(g.held), g.written[s], g.kinds[s], n.get((g.id, s), 0)])
        return 0
    if args.held != "all":
        groups = [g for g in groups if g.held == (args.held == "held")]
    pairs = [] if args.no_false_folds else read_false_folds(args.false_folds)
    if args.compare:
        plain_search(True)
        before = evaluate(args.archive, groups, dict(args.search_option), args.repeat, pairs)
        plain_search(False)
        report = evaluate(args.archive, groups, dict(args.search_option), args.repeat, pairs)
        if args.json:
            print(json.dumps({"plain": before, "folded": report}, ensure_ascii=False, indent=1))
        else:
            print(compared(before, report) + "\n\n" + markdown(report, args.worst))
        return 0
    report = evaluate(args.archive, groups, dict(args.search_option), args.repeat, pairs)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(markdown(report, args.worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
