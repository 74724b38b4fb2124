"""Accuracy floor on the blind date set (bench/dates_blind.tsv), written without looking at the parser.

The full comparison with dateparser is ``python bench/eval_dates_blind.py``; this pins marsad's floor.
"""

from datetime import datetime, timezone
from pathlib import Path

from marsad import parse_date

TSV = Path(__file__).resolve().parents[2] / "bench" / "dates_blind.tsv"
REF = datetime(2024, 5, 7, 15, 0, tzinfo=timezone.utc)


def verdict(got, gold: str) -> str:
    if gold == "none":
        return "right" if got is None else "wrong"
    if got is None:
        return "missed"
    day, _, clock = gold.partition("T")
    if got.isoformat()[:10] != day:
        return "wrong"
    if not clock:
        return "right"
    if not isinstance(got, datetime) or got.strftime("%H:%M") != clock[:5]:
        return "wrong"
    if len(clock) > 5 and got.isoformat()[-6:] != clock[5:]:
        return "wrong"
    return "right"


def test_blind_date_set_floor():
    rows = [line.split("\t") for line in TSV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    verdicts = [verdict(parse_date(text, reference=REF), gold) for text, gold, _ in rows]
    misses = [(text, gold, v) for (text, gold, _), v in zip(rows, verdicts) if v != "right"]
    assert verdicts.count("right") / len(rows) >= 0.97, misses
    assert verdicts.count("wrong") == 0, misses  # a false date is worse than none
