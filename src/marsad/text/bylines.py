"""Bylines: who wrote an article and when, from the lines crawlers leave above or below the body.

Forms seen on Arabic news sites: ``بقلم: سعاد بنعلي``, ``كتب: محمد سعيد | الأحد 5 مايو 2024 - 10:30 ص``,
``بواسطة هدى في 12 يناير، 2024``, ``نشر في: 2024/05/05 | آخر تحديث: 2024/05/06`` and the glued dump
``مدير الموقع3 مارس 2023آخر تحديث :`` (author, published date, empty "last update").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .dates import find_dates


def _tolerant(word: str) -> str:
    """A regex for an Arabic keyword that accepts the spelling variants writers use."""
    variants = {"ا": "[اأإآٱ]", "ي": "[يىئ]", "ة": "[ةه]", "ه": "[هة]", "و": "[وؤ]"}
    return "".join(variants.get(ch, re.escape(ch)) for ch in word).replace(r"\ ", r"\s+")


def _keywords(*words: str) -> re.Pattern[str]:
    body = "|".join(_tolerant(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


_AUTHOR_PREFIX = _keywords(
    "بقلم", "كتب", "كتبت", "كتبه", "كتبها", "بواسطة", "اعداد", "إعداد", "تحرير", "المحرر", "الكاتب", "الكاتبة",
    "متابعة", "by", "author", "الصحفي", "الصحفية", "المراسل", "مراسل",
)
_PUBLISHED = _keywords(
    "نشر في", "نشر بتاريخ", "تاريخ النشر", "تم النشر", "نشر يوم", "نشر", "منشور في", "بتاريخ",
    "published", "posted on",
)
_UPDATED = _keywords(
    "آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "تحديث", "محدث", "آخر تعديل", "updated",
    "last update",
)
# A relative date ("منذ ساعتين") ends the author's name even when no reference lets it be resolved.
_RELATIVE = _keywords("منذ", "قبل", "أمس", "البارحة", "اليوم", "الآن")
_WEEKDAY = _keywords("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يوم")
_SEPARATORS = " \t-–—|:،,/·•()[]«»\"'*_"
_TRAILING_GLUE = re.compile(r"(?:\s+(?:في|فى|on|يوم))+$")
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")

MAX_AUTHOR_WORDS = 6
MAX_BYLINE_WORDS = 16


@dataclass(frozen=True, slots=True)
class Byline:
    author: str | None
    published: date | datetime | None
    updated: date | datetime | None


# Desk credits name no one: "agencies", "follow-ups", "the editor". An article credited so has no author.
GENERIC_CREDITS = frozenset(
    "وكالات متابعات متابعة المحرر التحرير هيئة التحرير فريق التحرير خاص مصادر المصدر وكالات الانباء "
    "المحرر الاخباري قسم الاخبار الموقع".split(" ")
) | {"هيئة التحرير", "فريق التحرير", "وكالات الانباء", "المحرر الاخباري", "قسم الاخبار"}
# Numbers in a name are rare (فرانس 24, عربي 21); a year, a time or a date means the text is no name.
_DATE_LIKE = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]{3,}|[0-9\u0660-\u0669\u06f0-\u06f9][:/.]|[:/.][0-9\u0660-\u0669\u06f0-\u06f9]")
_DASHES = re.compile(r"\s+[-–—]\s+")


def _generic(name: str) -> bool:
    key = name.strip("()[] ").replace("أ", "ا").replace("إ", "ا")
    return key in GENERIC_CREDITS


def clean_author(segment: str) -> str | None:
    """The name in a byline fragment: label words, weekday and a wire dateline taken off
    (``القاهرة - أحمد الريدي`` → ``أحمد الريدي``, ``منى الشريف - وكالات`` → ``منى الشريف``);
    ``None`` for a desk credit (وكالات، متابعات) or anything that is not a name."""
    segment = _AUTHOR_PREFIX.sub(" ", segment)
    segment = _WEEKDAY.sub(" ", segment)
    segment = " ".join(segment.split()).strip(_SEPARATORS)
    segment = _TRAILING_GLUE.sub("", segment).strip(_SEPARATORS)
    parts = [p.strip(_SEPARATORS) for p in _DASHES.split(segment)]
    parts = [p for p in parts if p and not _generic(p)]
    if len(parts) >= 2 and len(parts[0].split()) <= 2:
        parts = parts[1:]  # "CITY - NAME", the wire dateline
    segment = " - ".join(parts[:1])
    if not segment or _DATE_LIKE.search(segment) or len(segment.split()) > MAX_AUTHOR_WORDS:
        return None
    return segment


def parse_byline(line: str, reference: datetime | None = None) -> Byline | None:
    """The author and dates of a byline line, or ``None`` when the line is not a byline."""
    if len(line.split()) > MAX_BYLINE_WORDS + 6:
        return None
    dates = find_dates(line, reference)
    prefix = _AUTHOR_PREFIX.search(line)
    pub_kw = _PUBLISHED.search(line)
    upd_kw = _UPDATED.search(line)
    if not dates and not prefix and not pub_kw and not upd_kw:
        return None
    # Words left once dates are taken out: a byline is short, a body sentence with a date is not.
    rest = line
    for m in reversed(dates):
        rest = rest[: m.start] + " " + rest[m.end :]
    if len(rest.split()) > MAX_BYLINE_WORDS:
        return None
    if prefix is None and pub_kw is None and upd_kw is None and len(rest.split()) > MAX_AUTHOR_WORDS + 2:
        return None  # a sentence that mentions a date ("ولد في 11 فبراير 1974 في دالاس …")
    if not dates and prefix is None and (pub_kw or upd_kw) and len(rest.split()) > 4:
        return None  # "نشر" or "تحديث" inside an ordinary sentence
    if not dates and prefix is not None and prefix.start() > 0:
        return None  # "كتب" mid-sentence is a verb, not a byline

    split_at = upd_kw.start() if upd_kw else len(line)
    published = next((m.value for m in dates if m.start < split_at), None)
    updated = next((m.value for m in dates if m.start >= split_at), None)

    relative = _RELATIVE.search(line)
    markers = sorted([m.start for m in dates] + [m.start() for m in (pub_kw, upd_kw, relative) if m is not None])
    if prefix is not None:
        end = next((s for s in markers if s > prefix.start()), len(line))
        author = clean_author(line[prefix.start() : end])
    else:
        author = clean_author(line[: markers[0]]) if markers else None
    if author is None and published is None and updated is None and not (pub_kw or upd_kw):
        return None
    return Byline(author=author, published=published, updated=updated)

