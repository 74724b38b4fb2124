"""Blind evaluation of marsad.parse_date against dateparser.

The set (bench/dates_blind.tsv: text, gold, category) was written without looking at the parser,
its tests or its benchmark. Gold is `none`, a day `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` with an
optional `+HH:MM` offset when the text states a zone (relative hours/minutes: reference minus delta,
in UTC).

A result is right when
  - gold is none and the parser returns None;
  - the day matches (a datetime's local date);
  - and, when the gold has a time, the hh:mm matches (a bare date is not enough);
  - and, when the gold states an offset, the result is aware with that offset
    (an aware result denoting the same instant in another offset is also accepted).
"wrong" counts results that gave a date which is not the gold (false dates on `none` lines included);
it is split into wrong day and right day but wrong/missing time or offset. "lenient" ignores offsets.

    python bench/eval_dates_blind.py [path/to/dates_blind.tsv]
"""

from __future__ import annotations

import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

warnings.filterwarnings("ignore")

import dateparser  # noqa: E402

import marsad  # noqa: E402

REF = datetime(2024, 5, 7, 15, 0, tzinfo=timezone.utc)
DP_SETTINGS = {"RELATIVE_BASE": datetime(2024, 5, 7, 15, 0), "DATE_ORDER": "DMY"}
TSV = Path(__file__).with_name("dates_blind.tsv")
ORDER = ["byline", "variants", "maghrebi", "levantine", "hijri", "time", "numeric", "relative", "none"]


@dataclass
class Gold:
    day: date | None
    hm: tuple[int, int] | None = None
    offset: timedelta | None = None

    @classmethod
    def parse(cls, s: str) -> "Gold":
        if s == "none":
            return cls(None)
        if "T" not in s:
            return cls(date.fromisoformat(s))
        d, t = s.split("T")
        off = None
        if len(t) > 5:
            sign = 1 if t[5] == "+" else -1
            oh, om = int(t[6:8]), int(t[9:11])
            off = sign * timedelta(hours=oh, minutes=om)
        return cls(date.fromisoformat(d), (int(t[0:2]), int(t[3:5])), off)

    def instant(self) -> datetime | None:
        if self.offset is None:
            return None
        return datetime(self.day.year, self.day.month, self.day.day, *self.hm, tzinfo=timezone(self.offset))


def show(r) -> str:
    if r is None:
        return "None"
    if isinstance(r, datetime):
        return r.isoformat(timespec="minutes")
    if isinstance(r, date):
        return r.isoformat()
    return repr(r)


def score(gold: Gold, r, lenient: bool = False) -> str:
    """'right', 'missed' (None for a date), 'wrong_day' (a date, wrong day or none expected),
    'wrong_time' (right day, time or offset wrong or missing)."""
    if r is None:
        return "right" if gold.day is None else "missed"
    if not isinstance(r, date):
        return "wrong_day"
    if gold.day is None:
        return "wrong_day"
    # an aware datetime denoting the gold instant is right whatever offset it is shown in
    if not lenient and gold.offset is not None and isinstance(r, datetime) and r.tzinfo is not None:
        if r.utcoffset() is not None and r == gold.instant():
            return "right"
    rday = r.date() if isinstance(r, datetime) else r
    if rday != gold.day:
        return "wrong_day"
    if gold.hm is None:
        return "right"
    if not isinstance(r, datetime) or (r.hour, r.minute) != gold.hm:
        return "wrong_time"
    if gold.offset is None or lenient:
        return "right"
    if r.tzinfo is None or r.utcoffset() != gold.offset:
        return "wrong_time"
    return "right"


def run_marsad(text: str):
    try:
        return marsad.parse_date(text, reference=REF)
    except Exception as e:  # a crash counts as no answer, and is listed
        return e


def run_dateparser(text: str):
    try:
        return dateparser.parse(text, languages=["ar"], settings=DP_SETTINGS)
    except Exception as e:
        return e


def main(path: Path = TSV) -> None:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, gold, cat = line.split("\t")
        rows.append((n, text, gold, cat))

    stats = {name: defaultdict(lambda: defaultdict(int)) for name in ("marsad", "dateparser")}
    misses = []
    crashes = []
    for n, text, gold_s, cat in rows:
        gold = Gold.parse(gold_s)
        for name, fn in (("marsad", run_marsad), ("dateparser", run_dateparser)):
            r = fn(text)
            if isinstance(r, Exception):
                if name == "marsad":
                    crashes.append((n, text, repr(r)))
                r = None
            s = score(gold, r)
            sl = score(gold, r, lenient=True)
            for key in (cat, "ALL"):
                st = stats[name][key]
                st["n"] += 1
                st[s] += 1
                st["lenient"] += s == "right" or sl == "right"
            if name == "marsad" and s != "right":
                misses.append((n, cat, text, gold_s, show(r), s))

    cats = [c for c in ORDER if c in stats["marsad"]] + sorted(set(stats["marsad"]) - set(ORDER) - {"ALL"})
    cats.append("ALL")

    def pct(a, b):
        return f"{100 * a / b:5.1f}%" if b else "   - "

    print(f"Blind Arabic date set: {len(rows)} strings, reference {REF.isoformat()}\n")
    hdr = (f"{'category':<10} {'n':>4} | {'marsad':>7} {'dateparser':>10} | "
           f"{'m wrong':>7} {'dp wrong':>8} | {'m missed':>8} {'dp missed':>9} | {'m lenient':>9} {'dp lenient':>10}")
    print(hdr)
    print("-" * len(hdr))
    for c in cats:
        m, d = stats["marsad"][c], stats["dateparser"][c]
        mw = m["wrong_day"] + m["wrong_time"]
        dw = d["wrong_day"] + d["wrong_time"]
        if c == "ALL":
            print("-" * len(hdr))
        print(f"{c:<10} {m['n']:>4} | {pct(m['right'], m['n']):>7} {pct(d['right'], d['n']):>10} | "
              f"{mw:>7} {dw:>8} | {m['missed']:>8} {d['missed']:>9} | "
              f"{pct(m['lenient'], m['n']):>9} {pct(d['lenient'], d['n']):>10}")
    print()
    for name in ("marsad", "dateparser"):
        a = stats[name]["ALL"]
        print(f"{name:<10}: right {a['right']}/{a['n']}, wrong {a['wrong_day'] + a['wrong_time']} "
              f"(wrong day or false date {a['wrong_day']}, right day but time/offset off {a['wrong_time']}), "
              f"missed {a['missed']}")
    print("\n(wrong = returned a date that is not the gold; missed = returned None for a dated string;"
          " lenient = offsets ignored)")

    print(f"\nmarsad misses ({len(misses)}):")
    for n, cat, text, gold_s, got, s in misses:
        print(f"  L{n:<3} [{cat}] {s:<10} {text}  ->  gold {gold_s}, got {got}")
    if crashes:
        print(f"\nmarsad raised on {len(crashes)} strings:")
        for n, text, err in crashes:
            print(f"  L{n:<3} {text}  ->  {err}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TSV)
