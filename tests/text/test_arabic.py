import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.arabic import (
    ARABIC_LETTERS,
    arabic_letter_share,
    is_arabic_letter,
    normalize,
    normalize_alef,
    normalize_digits,
    strip_diacritics,
    strip_tatweel,
)

FLAGS = [
    {},
    {"teh_marbuta": True},
    {"keep_digits_as_is": True},
    {"teh_marbuta": True, "keep_digits_as_is": True},
]

# What normalize must never let through.
DIACRITICS = {chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x0610, 0x061B), *range(0x06D6, 0x06EE)]}
INVISIBLE = {chr(c) for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x061C, 0xFEFF]}
FOLDED_AWAY = set("أإآٱؤئىیکـ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟«»“”") | DIACRITICS | INVISIBLE


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ""),
        # hamza and madda on alef, wasla
        ("الأوروبي", "الاوروبي"),
        ("إفريقيا", "افريقيا"),
        ("آسيا الوسطى", "اسيا الوسطي"),
        ("ٱلرَّحْمَٰنِ", "الرحمن"),
        # hamza on waw and yeh folds to the carrier; standalone hamza stays
        ("مسؤول", "مسوول"),
        ("رئيس الوزراء", "رييس الوزراء"),
        ("أبناء السماء", "ابناء السماء"),
        # diacritics, tanwin, shadda, tatweel
        ("مُسْتَشْفَى", "مستشفي"),
        ("شكراً جزيلاً", "شكرا جزيلا"),
        ("الـــــعربية", "العربية"),
        ("محمّد", "محمد"),
        # presentation forms and ligatures
        ("ﻻ", "لا"),
        ("ﻷ", "لا"),
        ("ﻹ", "لا"),
        ("ﻵ", "لا"),
        ("ﻼ", "لا"),
        ("ﺍﻟﻌﺮﺑﻴﺔ", "العربية"),
        ("ﷲ", "الله"),
        ("ﷺ", "صلي الله عليه وسلم"),
        ("ﷻ", "جل جلاله"),
        ("﷼", "ريال"),
        ("بﹰ", "ب"),  # spacing tanwin form: a diacritic, not a space
        ("قال ﷺ:", "قال صلي الله عليه وسلم:"),
        # digits and numeric punctuation
        ("٢٠٢٣", "2023"),
        ("۱۴۰۲", "1402"),
        ("١٥٫٥٪", "15.5%"),
        ("١٬٢٠٠ دولار", "1,200 دولار"),
        # punctuation
        ("“مرحبا”", '"مرحبا"'),
        ("«عاجل»", '"عاجل"'),
        ("‘نعم’", "'نعم'"),
        ("ماذا حدث؟", "ماذا حدث?"),
        ("أولاً، ثانياً؛ ثالثاً", "اولا, ثانيا; ثالثا"),
        # invisible marks
        ("\u200fالقدس\u200f", "القدس"),
        ("\ufeffبيروت", "بيروت"),
        ("می\u200cخواهم", "ميخواهم"),
        ("ال\u200dعربية", "العربية"),
        ("\u202bقالت \u202aCNN\u202c\u202c", "قالت CNN"),
        ("\u061c٣\u061c", "3"),
        ("\u2067دمشق\u2069", "دمشق"),
        # Persian and Urdu letter shapes
        ("کتاب", "كتاب"),
        ("یک", "يك"),
        ("ہندوستان", "هندوستان"),
        ("بھارت", "بهارت"),
        # whitespace collapses and is stripped
        ("  غزة \n\t  رفح\u00a0 ", "غزة رفح"),
        ("كلمة \u200b كلمة", "كلمة كلمة"),
        # outside the Arabic presentation blocks, nothing is NFKC-folded; Latin case is kept
        ("Reuters x² ﬁ Ａ", "Reuters x² ﬁ Ａ"),
        # teh marbuta is kept by default
        ("مدرسة", "مدرسة"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw, flags, expected",
    [
        ("مدرسة", {"teh_marbuta": True}, "مدرسه"),
        ("الجامعة العربية", {"teh_marbuta": True}, "الجامعه العربيه"),
        ("ﺓ", {}, "ة"),
        ("ﺓ", {"teh_marbuta": True}, "ه"),
        ("عام ٢٠٢٣", {"keep_digits_as_is": True}, "عام ٢٠٢٣"),
        ("۱۴۰۲", {"keep_digits_as_is": True}, "۱۴۰۲"),
        ("١٥٫٥", {"keep_digits_as_is": True}, "١٥.٥"),  # the separator is punctuation, still folded
        ("سنة ٢٠٢٤", {"teh_marbuta": True, "keep_digits_as_is": True}, "سنه ٢٠٢٤"),
    ],
)
def test_normalize_flags(raw: str, flags: dict[str, bool], expected: str) -> None:
    assert normalize(raw, **flags) == expected


@pytest.mark.parametrize("flags", FLAGS)
def test_normalize_is_idempotent_on_every_bmp_character(flags: dict[str, bool]) -> None:
    # normalize is one per-character table then whitespace collapse, so a fixed point for every
    # single character (and for what it expands to) is a fixed point for every string.
    for cp in range(0x10000):
        once = normalize(chr(cp), **flags)
        assert normalize(once, **flags) == once, hex(cp)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("مُسْتَشْفَى", "مستشفى"),
        ("شكراً", "شكرا"),
        ("ٱلرَّحْمَٰنِ", "ٱلرحمن"),
        ("سُئِلَ", "سئل"),
        ("الـــعربية", "الـــعربية"),
        ("Café", "Café"),
    ],
)
def test_strip_diacritics(raw: str, expected: str) -> None:
    assert strip_diacritics(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("الـــــعربية", "العربية"), ("جـمـيـل", "جميل"), ("بدون", "بدون")],
)
def test_strip_tatweel(raw: str, expected: str) -> None:
    assert strip_tatweel(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("الأوروبي", "الاوروبي"),
        ("إفريقيا", "افريقيا"),
        ("آسيا", "اسيا"),
        ("ٱلله", "الله"),
        ("مسؤول رئيس", "مسؤول رئيس"),  # only alef: hamza on waw and yeh is normalize's business
        ("إِنَّ", "اِنَّ"),
    ],
)
def test_normalize_alef(raw: str, expected: str) -> None:
    assert normalize_alef(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("٢٠٢٣", "2023"),
        ("۱۴۰۲", "1402"),
        ("١٤ آذار ٢٠٢٣م", "14 آذار 2023م"),
        ("١٥٫٥٪", "15٫5٪"),  # digits only: separators and signs are left alone
        ("2023", "2023"),
    ],
)
def test_normalize_digits(raw: str, expected: str) -> None:
    assert normalize_digits(raw) == expected


@pytest.mark.parametrize(
    "ch, expected",
    [
        ("ب", True),
        ("ء", True),
        ("ی", True),
        ("ﻻ", True),
        ("ݐ", True),  # Arabic Supplement
        ("ـ", False),  # tatweel only stretches
        ("َ", False),
        ("٣", False),
        ("،", False),
        ("a", False),
        ("א", False),
        ("", False),
        ("با", False),
    ],
)
def test_is_arabic_letter(ch: str, expected: bool) -> None:
    assert is_arabic_letter(ch) is expected


@pytest.mark.parametrize(
    "text, share",
    [
        ("", 0.0),
        ("123 !؟", 0.0),
        ("Reuters", 0.0),
        ("مرحبا", 1.0),
        ("مَرْحَبًا ٢٠٢٣", 1.0),
        ("مـــرحبا", 1.0),
        ("ﺍﻟﻌﺮﺑﻴﺔ", 1.0),
        ("قال BBC", 0.5),
        ("abc مرحبا", 5 / 8),
    ],
)
def test_arabic_letter_share(text: str, share: float) -> None:
    assert arabic_letter_share(text) == pytest.approx(share)


def test_arabic_letters_class_matches_is_arabic_letter() -> None:
    pattern = re.compile(ARABIC_LETTERS)
    for cp in range(0x10000):
        ch = chr(cp)
        assert bool(pattern.fullmatch(ch)) is is_arabic_letter(ch), hex(cp)
    assert re.fullmatch(ARABIC_LETTERS + "+", "الاوروبي")


ARABIC_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    st.sampled_from(sorted(INVISIBLE) + [" ", "\n", "\t", "\u00a0", "\u202f", "ـ", "a", "1"]),
)
ARABIC_TEXT = st.text(alphabet=ARABIC_ALPHABET)
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()))  # surrogates included
FLAG_SETS = st.sampled_from(FLAGS)


@settings(deadline=None)
@given(st.text(), FLAG_SETS)
def test_normalize_idempotent_any_text(text: str, flags: dict[str, bool]) -> None:
    once = normalize(text, **flags)
    assert normalize(once, **flags) == once


@settings(deadline=None)
@given(ARABIC_TEXT, FLAG_SETS)
def test_normalize_idempotent_arabic_text(text: str, flags: dict[str, bool]) -> None:
    once = normalize(text, **flags)
    assert normalize(once, **flags) == once


@settings(deadline=None)
@given(st.one_of(ARABIC_TEXT, ANY_TEXT), FLAG_SETS)
def test_normalize_output_is_clean(text: str, flags: dict[str, bool]) -> None:
    out = normalize(text, **flags)
    left = FOLDED_AWAY
    if flags.get("keep_digits_as_is"):
        left = left - set("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
    assert not left & set(out)
    if flags.get("teh_marbuta"):
        assert "ة" not in out
    assert out == out.strip()
    assert "  " not in out
    assert not any(ch.isspace() and ch != " " for ch in out)
    # no Arabic presentation form that has a decomposition survives (other blocks, such as the
    # vertical forms at U+FE30, are not Arabic and are left as they are: see text/arabic.py)
    assert all(unicodedata.normalize("NFKC", ch) == ch for ch in out if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF)


@settings(deadline=None)
@given(ANY_TEXT)
def test_helpers_never_raise_and_keep_what_they_promise(text: str) -> None:
    assert len(normalize_alef(text)) == len(text)
    assert len(normalize_digits(text)) == len(text)
    assert not DIACRITICS & set(strip_diacritics(text))
    assert "ـ" not in strip_tatweel(text)
    assert 0.0 <= arabic_letter_share(text) <= 1.0
    for flags in FLAGS:
        normalize(text, **flags)


@settings(deadline=None)
@given(ARABIC_TEXT)
def test_helpers_agree_with_normalize(text: str) -> None:
    expected = normalize(text)
    for helper in (strip_diacritics, strip_tatweel, normalize_alef, normalize_digits):
        assert normalize(helper(text)) == expected, helper.__name__
