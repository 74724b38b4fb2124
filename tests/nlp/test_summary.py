"""Sentence splitting and the extractive summary. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import marsad
from marsad.nlp.summary import sentences, split_sentences, summarize


@pytest.mark.parametrize("text, expected", [
    ("ارتفع المؤشر بنسبة 3.5 بالمئة. وتراجع الدولار.", ["ارتفع المؤشر بنسبة 3.5 بالمئة.", "وتراجع الدولار."]),
    ("وقع الاتفاق في 3.3.2023 بالعاصمة. وبدأ تنفيذه لاحقا.", ["وقع الاتفاق في 3.3.2023 بالعاصمة.", "وبدأ تنفيذه لاحقا."]),
    ("وقال د. سامي الخطيب إن العلاج فعال. وأيده زملاؤه.", ["وقال د. سامي الخطيب إن العلاج فعال.", "وأيده زملاؤه."]),
    ("حاضر أ.د. نبيل حداد في الجامعة. ثم غادر.", ["حاضر أ.د. نبيل حداد في الجامعة.", "ثم غادر."]),
    ("التقى الوزير بالسيد J. Smith أمس. وناقشا التجارة.", ["التقى الوزير بالسيد J. Smith أمس.", "وناقشا التجارة."]),
    ("هل انتهت الأزمة؟ لا أحد يعرف! لكن الأمل باق؛ والعمل مستمر",
     ["هل انتهت الأزمة؟", "لا أحد يعرف!", "لكن الأمل باق؛", "والعمل مستمر"]),
    ("السطر الأول بلا نقطة\nالسطر الثاني", ["السطر الأول بلا نقطة", "السطر الثاني"]),
    ("وقالت: «انتهى الأمر. وسنبدأ من جديد». ثم صمتت.", ["وقالت: «انتهى الأمر. وسنبدأ من جديد».", "ثم صمتت."]),
    ("بلغت النسبة ٣٫٥ بالمئة. وهذا رقم قياسي.", ["بلغت النسبة ٣٫٥ بالمئة.", "وهذا رقم قياسي."]),
    ("زار الموقع www.example.com مليون شخص. وهذا كثير.", ["زار الموقع www.example.com مليون شخص.", "وهذا كثير."]),
    ("", []),
    ("   \n\n  ", []),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


ARTICLE = """الرباط - أعلنت وزارة النقل عن افتتاح خط جديد للقطار السريع يربط بين مدينتي الرباط ومراكش ابتداء من الشهر المقبل.
وقال وزير النقل في مؤتمر صحفي إن الخط الجديد سيختصر مدة الرحلة إلى ساعتين ونصف بدل أربع ساعات.
اقرأ أيضا: القطار السريع يحقق أرقاما قياسية
وأضاف الوزير أن كلفة المشروع بلغت نحو ثلاثة مليارات درهم مولت بشراكة مع مؤسسات دولية.
صورة: محطة القطار في الرباط
ويتوقع أن ينقل القطار أكثر من مليوني مسافر سنويا بحسب تقديرات الوزارة.
وتراهن الحكومة على تطوير شبكة السكك الحديدية لتخفيف الضغط على الطرق السريعة."""


def test_summary_is_verbatim_sentences_in_order() -> None:
    summary = summarize(ARTICLE, title="افتتاح خط جديد للقطار السريع بين الرباط ومراكش")
    assert summary.startswith("أعلنت وزارة النقل")  # the dateline "الرباط - " is left out
    parts = sentences(summary)
    assert 1 <= len(parts) <= 3
    positions = [ARTICLE.index(p) for p in parts]
    assert positions == sorted(positions)
    assert "اقرأ أيضا" not in summary and "صورة:" not in summary


@pytest.mark.parametrize("max_sentences", [1, 2, 3])
def test_summary_sentence_count(max_sentences: int) -> None:
    assert len(sentences(summarize(ARTICLE, max_sentences=max_sentences))) == max_sentences


def test_summary_respects_max_chars() -> None:
    summary = summarize(ARTICLE, max_chars=250)
    assert 0 < len(summary) <= 250


def test_one_long_sentence_is_cut_at_a_word_boundary() -> None:
    text = " ".join(["وتشمل الخطة بناء مدارس ومستشفيات وطرقا جديدة في المناطق الريفية"] * 20) + "."
    summary = summarize(text, max_chars=100)
    assert summary.endswith("…") and len(summary) <= 100
    cut = summary[:-1]
    assert text.startswith(cut) and text[len(cut)] == " "


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "2023", "..."])
def test_empty_or_wordless_text_gives_empty_summary(text: str) -> None:
    assert summarize(text) == ""


def test_short_text_gives_its_first_line() -> None:
    assert summarize("خبر عاجل") == "خبر عاجل"


def test_seed_summary_starts_with_the_lead(seed_path: Path) -> None:
    article = marsad.process_text(seed_path.read_text(encoding="utf-8"))
    summary = summarize(article.text, title=article.title)
    assert summary.startswith("في تقريرها عن الإرهاب")
    assert summary in article.text or all(s in article.text for s in sentences(summary))


_BITS = st.sampled_from(["قال", "الوزير", ".", "؟", "!", "؛", "\n", " ", "3.5", "د.", "«", "»", "\"", "…",
                         "اقرأ أيضا:", "صورة", "-", "(CNN)", "كلمة", "طويلة", "جدا"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_BITS, max_size=60).map(" ".join), st.lists(_BITS, max_size=60).map("".join)),
       st.integers(min_value=1, max_value=3), st.integers(min_value=0, max_value=200))
def test_never_raises_and_spans_round_trip(text: str, max_sentences: int, max_chars: int) -> None:
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    summary = summarize(text, max_sentences=max_sentences, max_chars=max_chars)
    assert len(summary) <= max(max_chars, 0)
    if summary and not summary.endswith("…"):
        for part in sentences(summary):
            assert part in text
