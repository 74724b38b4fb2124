"""Benchmark: marsad.text.dates.parse_date against dateparser on Arabic datelines, in one run.

    python bench/bench_dates.py

Each string has a gold value written by hand: an ISO day, an ISO date-time (the time counts), or
None (the string gives no single date, and a parser should say so). A result is right when it
gives the gold day (and the gold wall-clock time and, if the gold states one, the UTC offset), or
None for None. "wrong" counts dates given that are not the gold one, the costly kind of error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.text.dates import parse_date  # noqa: E402

REFERENCE = datetime(2024, 5, 7, 15, 0)  # Tuesday 7 May 2024, naive: times read as UTC

GOLD: list[tuple[str, str, str | None]] = [
    # (category, text, gold)
    ("byline", "مدير الموقع3 مارس 2023آخر تحديث :", "2023-03-03"),
    ("byline", "بقلم: سارة محمود | الأربعاء 15 مايو 2024", "2024-05-15"),
    ("byline", "نشر في: الخميس، 18 أبريل 2024 - 08:45 ص", "2024-04-18T08:45"),
    ("byline", "آخر تحديث: 02 مايو 2024 - 16:20", "2024-05-02T16:20"),
    ("byline", "الرباط - 24 أبريل 2024", "2024-04-24"),
    ("byline", "هسبريس - الثلاثاء 23 أبريل 2024 - 11:30", "2024-04-23T11:30"),
    ("byline", "تونس - الجمعة 26 أفريل 2024", "2024-04-26"),
    ("byline", "الجزائر - الأحد 28 أفريل 2024 على الساعة 14:10", "2024-04-28T14:10"),
    ("byline", "بيروت – الاثنين 29 نيسان 2024", "2024-04-29"),
    ("byline", "دمشق - سانا - 30 نيسان 2024", "2024-04-30"),
    ("byline", "بغداد / 1 أيار 2024", "2024-05-01"),
    ("byline", "عمّان – الخميس 2 أيار 2024 – بترا", "2024-05-02"),
    ("byline", "القاهرة - أ ش أ - 3 مايو 2024 | 10:15 م", "2024-05-03T22:15"),
    ("byline", "الدوحة - قنا - السبت 04 مايو 2024", "2024-05-04"),
    ("byline", "الرياض - واس - الأحد 26 شوال 1445 هـ الموافق 05 مايو 2024 م", "2024-05-05"),
    ("byline", "الكويت - كونا - 6 مايو 2024 - 09:00 ص بتوقيت الكويت", "2024-05-06T09:00+03:00"),
    ("byline", "الخرطوم: الإثنين 6 مايو 2024م", "2024-05-06"),
    ("byline", "نواكشوط، 5 ماي 2024", "2024-05-05"),
    ("byline", "الدار البيضاء – 30 أبريل 2024 – 18:05", "2024-04-30T18:05"),
    ("byline", "نشر بتاريخ 2024/04/20 الساعة 9:05 مساءً", "2024-04-20T21:05"),
    ("byline", "تاريخ النشر: 20-04-2024", "2024-04-20"),
    ("byline", "حرر في: 12.03.2024", "2024-03-12"),
    ("byline", "السبت 16 آذار/مارس 2024 - 07:30 بتوقيت القدس", "2024-03-16T07:30+02:00"),
    ("byline", "كتب: علي حسن في 11 شباط/فبراير 2024", "2024-02-11"),
    ("byline", "كتب: أحمد - 3 مايو", "2024-05-03"),
    ("byline", "الأحد 5 مايو - 10:00 ص", "2024-05-05T10:00"),
    ("byline", "نشر منذ 6 ساعات", "2024-05-07T09:00"),
    ("byline", "تم النشر قبل 4 أيام", "2024-05-03"),
    # Levantine and combined month names
    ("levant", "الأحد 10 كانون الأول/ديسمبر 2023", "2023-12-10"),
    ("levant", "الثلاثاء 7 تشرين الثاني 2023 - 15:40", "2023-11-07T15:40"),
    ("levant", "12 تشرين أول 2023", "2023-10-12"),
    ("levant", "الجمعة، 19 كانون 2 2024", "2024-01-19"),
    ("levant", "حلب - 14 تموز 2023", "2023-07-14"),
    ("levant", "16 آب 2023 - 13:00 بتوقيت دمشق", "2023-08-16T13:00+03:00"),
    ("levant", "4 أيلول 2023", "2023-09-04"),
    ("levant", "22 حزيران 2023", "2023-06-22"),
    ("levant", "3 شباط 2024", "2024-02-03"),
    ("levant", "8 آذار 2024", "2024-03-08"),
    ("levant", "25 كانون الأول 2023", "2023-12-25"),
    ("levant", "20 أيار (مايو) 2024", "2024-05-20"),
    # Maghrebi month names
    ("maghreb", "9 جوان 2023", "2023-06-09"),
    ("maghreb", "18 جويلية 2023", "2023-07-18"),
    ("maghreb", "25 أوت 2023", "2023-08-25"),
    ("maghreb", "1 فيفري 2024", "2024-02-01"),
    ("maghreb", "17 جانفي 2024", "2024-01-17"),
    ("maghreb", "الرباط – 9 يوليوز 2023", "2023-07-09"),
    ("maghreb", "20 غشت 2023", "2023-08-20"),
    ("maghreb", "5 شتنبر 2023", "2023-09-05"),
    ("maghreb", "11 نونبر 2023", "2023-11-11"),
    ("maghreb", "31 دجنبر 2023", "2023-12-31"),
    ("maghreb", "12 أفريل 2024", "2024-04-12"),
    # Egyptian/Gulf spelling variants and digit systems
    ("variant", "14 إبريل 2024", "2024-04-14"),
    ("variant", "7 يونيه 2023", "2023-06-07"),
    ("variant", "23 يوليه 2023", "2023-07-23"),
    ("variant", "8 اغسطس 2023", "2023-08-08"),
    ("variant", "٢٠ أكتوبر ٢٠٢٣", "2023-10-20"),
    ("variant", "۱۲ نوفمبر ۲۰۲۳", "2023-11-12"),
    ("variant", "الأحد ٥ مايو ٢٠٢٤ - ٠٩:١٥ ص", "2024-05-05T09:15"),
    ("variant", "3 سبتمبر 2023", "2023-09-03"),
    ("variant", "1 يناير 2024", "2024-01-01"),
    ("variant", "29 فبراير 2024", "2024-02-29"),
    ("variant", "مايو 6, 2024", "2024-05-06"),
    # numeric and ISO forms
    ("numeric", "١٥/٠٤/٢٠٢٤", "2024-04-15"),
    ("numeric", "15-04-2024 10:00", "2024-04-15T10:00"),
    ("numeric", "2024-04-15T10:00:00+03:00", "2024-04-15T10:00+03:00"),
    ("numeric", "2024-04-15 08:30:00", "2024-04-15T08:30"),
    ("numeric", "05/04/2024", "2024-04-05"),
    ("numeric", "2024/05/01", "2024-05-01"),
    # Hijri, alone and with the Gregorian day
    ("hijri", "15 رمضان 1445 هـ", "2024-03-25"),
    ("hijri", "1 ذو الحجة 1445 هـ", "2024-06-07"),
    ("hijri", "9 ذي الحجة 1445هـ", "2024-06-15"),
    ("hijri", "27 رجب 1445 هجري", "2024-02-08"),
    ("hijri", "10 محرم 1446 هـ", "2024-07-16"),
    ("hijri", "14 شعبان 1445 ه", "2024-02-24"),
    ("hijri", "1 شوال 1445 هـ", "2024-04-10"),
    ("hijri", "الاثنين 5 جمادى الآخرة 1445 هـ", "2023-12-18"),
    ("hijri", "20/10/1445 هـ", "2024-04-29"),
    ("hijri", "14-09-1432 هـ, 09:40 صباحاً", "2011-08-14T09:40"),
    ("hijri", "الثلاثاء 28 شوال 1445 هـ - 7 مايو 2024 م", "2024-05-07"),
    ("hijri", "الأربعاء 24 رمضان 1445 هـ الموافق 3 أبريل 2024 م", "2024-04-03"),
    # times and zones
    ("time", "6 مايو 2024 الساعة 11:45 صباحاً بتوقيت مكة المكرمة", "2024-05-06T11:45+03:00"),
    ("time", "6 مايو 2024 - 17:30 GMT", "2024-05-06T17:30+00:00"),
    ("time", "6 مايو 2024 الساعة 8 مساءً بتوقيت القاهرة", "2024-05-06T20:00+03:00"),
    ("time", "6 مايو 2024 10:30 صباحا", "2024-05-06T10:30"),
    ("time", "6 مايو 2024، 12:05 م", "2024-05-06T12:05"),
    ("time", "6 مايو 2024، 12:05 ص", "2024-05-06T00:05"),
    ("time", "6 مايو 2024 - 3:15 عصراً", "2024-05-06T15:15"),
    ("time", "6 مايو 2024 14:00 (GMT+4)", "2024-05-06T14:00+04:00"),
    ("time", "6 مايو 2024 الساعة 09:00 بتوقيت غرينتش", "2024-05-06T09:00+00:00"),
    ("time", "2 يناير، 2024، الساعة 06:10 مساءً", "2024-01-02T18:10"),
    ("time", "7 يناير، 2015، الساعة 11:00 صباحاً", "2015-01-07T11:00"),
    # relative to the reference
    ("relative", "منذ ساعتين", "2024-05-07T13:00"),
    ("relative", "منذ 4 ساعات", "2024-05-07T11:00"),
    ("relative", "منذ ساعة", "2024-05-07T14:00"),
    ("relative", "منذ 10 دقائق", "2024-05-07T14:50"),
    ("relative", "منذ دقيقتين", "2024-05-07T14:58"),
    ("relative", "منذ 2 ساعات", "2024-05-07T13:00"),
    ("relative", "منذ يومين", "2024-05-05"),
    ("relative", "منذ 5 أيام", "2024-05-02"),
    ("relative", "منذ ثلاثة أيام", "2024-05-04"),
    ("relative", "منذ أسبوع", "2024-04-30"),
    ("relative", "منذ أسبوعين", "2024-04-23"),
    ("relative", "أمس", "2024-05-06"),
    ("relative", "يوم أمس", "2024-05-06"),
    ("relative", "أول أمس", "2024-05-05"),
    ("relative", "اليوم", "2024-05-07"),
    ("relative", "أمس الساعة 9:30 مساءً", "2024-05-06T21:30"),
    # no single date: a parser must say None
    ("none", "مارس 2024", None),
    ("none", "في ربيع 2024", None),
    ("none", "جميع الحقوق محفوظة © 2024", None),
    ("none", "اتصل بنا: 0096550012345", None),
    ("none", "سعر الغرام 3.250 دينار", None),
    ("none", "31/04/2024", None),
    ("none", "كتب: محمد | 5 مايو 2024 | آخر تحديث: 6 مايو 2024", None),
    ("none", "منذ شهر", None),
    ("none", "الساعة 10:30", None),
    ("none", "قبل يومين من الانتخابات", None),
    ("none", "صدر العدد رقم 2024", None),
    ("none", "النتيجة 2-1", None),
    ("none", "بين 1990 و2000", None),
    ("none", "منذ أيام", None),
    ("none", "في اليوم التالي", None),
    ("none", "12 رمضان", None),
    ("none", "الصفحة 12 من 40", None),
    ("none", "سجل 29 هدفا في 2023", None),
]


def correct(result: date | datetime | None, gold: str | None) -> bool:
    """Right day; where the gold has a time, the same wall-clock time (and offset, if stated)."""
    if gold is None or result is None:
        return gold is None and result is None
    if "T" not in gold:
        day = result.date() if isinstance(result, datetime) else result
        return day.isoformat() == gold
    if not isinstance(result, datetime):
        return False
    want = datetime.fromisoformat(gold)
    if result.replace(tzinfo=None, second=0, microsecond=0) != want.replace(tzinfo=None):
        return False
    return want.tzinfo is None or result.utcoffset() == want.utcoffset()


def run(parse: Callable[[str], date | datetime | None], loops: int) -> tuple[list[date | datetime | None], float]:
    """Results, and the best of 5 timings (each over ``loops`` passes) per string, in seconds."""
    results = [parse(text) for _, text, _ in GOLD]  # also warms caches and lazy loading
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(loops):
            for _, text, _ in GOLD:
                parse(text)
        best = min(best, (time.perf_counter() - start) / (loops * len(GOLD)))
    return results, best


def main() -> None:
    import dateparser

    settings = {"RELATIVE_BASE": REFERENCE, "DATE_ORDER": "DMY"}
    parsers = {
        "marsad": (lambda s: parse_date(s, REFERENCE), 40),
        "dateparser": (lambda s: dateparser.parse(s, languages=["ar"], settings=settings), 1),
    }
    print(f"{len(GOLD)} strings, reference {REFERENCE.isoformat()}; dateparser {dateparser.__version__}")
    print(f"{'parser':<11} {'right':>7} {'accuracy':>9} {'wrong':>6} {'missed':>7} {'per string':>11}")
    timings, answers = {}, {}
    for name, (parse, loops) in parsers.items():
        results, per_string = run(parse, loops)
        timings[name], answers[name] = per_string, results
        right = sum(correct(r, g[2]) for r, g in zip(results, GOLD, strict=True))
        wrong = sum(r is not None and not correct(r, g[2]) for r, g in zip(results, GOLD, strict=True))
        missed = sum(r is None and g[2] is not None for r, g in zip(results, GOLD, strict=True))
        print(
            f"{name:<11} {right:>3}/{len(GOLD):<3} {right / len(GOLD):>8.1%} {wrong:>6} {missed:>7}"
            f" {per_string * 1e6:>8.1f} µs"
        )
        if "-v" in sys.argv:
            for r, (category, text, gold) in zip(results, GOLD, strict=True):
                if not correct(r, gold):
                    print(f"    {category:<9} {text!r}: got {r!r}, gold {gold}")
    print(f"speed: marsad is {timings['dateparser'] / timings['marsad']:.0f}x faster than dateparser")
    categories = sorted({g[0] for g in GOLD})
    print("right by category (marsad / dateparser):")
    for category in categories:
        idx = [i for i, g in enumerate(GOLD) if g[0] == category]
        cells = " / ".join(str(sum(correct(answers[name][i], GOLD[i][2]) for i in idx)) for name in parsers)
        print(f"    {category:<9} {cells} of {len(idx)}")


if __name__ == "__main__":
    main()
