"""Key phrases: variant merging, stop-word edges, numbers, entities. Texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import marsad
from marsad.article import Entity
from marsad.nlp.keyphrases import keyphrases
from marsad.text.arabic import normalize
from marsad.text.quality import arabic_stop_words

ARTICLE = """أعلنت الحكومة المغربية عن خطة جديدة لدعم الفلاحين المتضررين من الجفاف في المناطق الجنوبية.
وقالت الحكومة إن الخطة تشمل قروضا بدون فوائد وتوزيع الأعلاف على مربي الماشية.
وأكد وزير الفلاحة أن الجفاف أثر على محصول القمح هذا العام بشكل كبير.
وطالبت جمعيات الفلاحين الحكومة بتسريع صرف المساعدات قبل بداية الموسم الزراعي.
ويعد الجفاف أكبر تحد يواجه القطاع الفلاحي في المغرب منذ سنوات، حسب خبراء.
وتعهدت الحكومة بمراجعة سياسة المياه، بينما دعا خبراء إلى بناء سدود جديدة لمواجهة الجفاف.
وللحكومة خطة ثانية لتحلية مياه البحر في المدن الساحلية، والحكومة تدرسها الآن."""


def test_variants_merge_into_one_phrase() -> None:
    phrases = keyphrases(ARTICLE, title="خطة حكومية لمواجهة الجفاف")
    normalized = [normalize(p) for p in phrases]
    # الحكومة، والحكومة، للحكومة، وللحكومة are one phrase, shown without the clitic
    assert "الحكومة" in phrases
    assert not any(n in ("والحكومة", "للحكومة", "وللحكومة") for n in normalized)
    assert "الجفاف" in phrases
    assert len(phrases) == len({normalize(p) for p in phrases})


def test_between_five_and_ten_for_a_news_article() -> None:
    assert 5 <= len(keyphrases(ARTICLE)) <= 10


def test_limit() -> None:
    assert len(keyphrases(ARTICLE, limit=3)) == 3


def test_no_stop_word_at_either_edge_and_no_numbers_only_phrase() -> None:
    stops = arabic_stop_words()
    text = ARTICLE + "\nوبلغت الخسائر 2023 نحو 1500 مليون درهم في 2023 و2022 حسب تقديرات 2023."
    for phrase in keyphrases(text, limit=10):
        words = normalize(phrase).split()
        assert 1 <= len(words) <= 3
        assert words[0] not in stops and words[-1] not in stops
        assert not all(w.isdigit() for w in words)


@pytest.mark.parametrize("text, phrase", [
    ("وبحث الاتحاد الأوروبي ملف الهجرة. وقرر الاتحاد الأوروبي زيادة التمويل. ورحبت الدول بقرار الاتحاد الأوروبي.",
     "الاتحاد الأوروبي"),
    ("أعلنت الشركة عن هاتف ذكي جديد. ويأتي الهاتف الذكي بكاميرا متطورة. وينافس الهاتف الذكي الأجهزة الأخرى.",
     "الهاتف الذكي"),
])
def test_repeated_two_word_term(text: str, phrase: str) -> None:
    assert normalize(phrase) in [normalize(p) for p in keyphrases(text)]


def test_entity_is_a_candidate_in_canonical_form() -> None:
    text = "وزار وفد من منظمة الصحة العالمية المستشفى. وقدمت المنظمة معدات طبية. وشكر المدير الوفد الزائر."
    start = text.index("منظمة الصحة العالمية")
    org = Entity("منظمة الصحة العالمية", "ORG", start, start + 20, "منظمة الصحة العالمية")
    assert "منظمة الصحة العالمية" in keyphrases(text, entities=[org])


def test_title_lifts_its_phrases() -> None:
    assert "مياه البحر" not in " ".join(keyphrases(ARTICLE))
    assert "مياه البحر" in " ".join(keyphrases(ARTICLE, title="تحلية مياه البحر في المدن الساحلية"))


@pytest.mark.parametrize("text", ["", "   ", "\n", "2023 2024", "في من على إلى", "...!!!"])
def test_empty_for_text_without_content_words(text: str) -> None:
    assert keyphrases(text) == []


def test_short_text_gives_fewer() -> None:
    phrases = keyphrases("وصل وزير الخارجية إلى الرباط")
    assert 0 < len(phrases) < 5


def test_seed_keyphrases(seed_path: Path) -> None:
    article = marsad.process_text(seed_path.read_text(encoding="utf-8"))
    phrases = keyphrases(article.text, title=article.title)
    assert "مكافحة الإرهاب" in phrases[:3]
    assert "المغرب" in phrases


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()), st.integers(min_value=-1, max_value=12))
def test_never_raises(text: str, title: str | None, limit: int) -> None:
    phrases = keyphrases(text, title=title, limit=limit)
    assert len(phrases) <= max(limit, 0)
    assert all(p and p == p.strip() for p in phrases)
