"""Quotations: marks, verbs, speakers, false positives, offsets. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import marsad
from marsad.article import Entity
from marsad.nlp.quotes import find_quotes

SEED_QUOTE = "لدى الولايات المتحدة والمغرب تاريخ طويل من التعاون المتين في مكافحة الإرهاب"


def one(text: str, entities: list[Entity] | None = None):  # type: ignore[no-untyped-def]
    quotes = find_quotes(text, entities or [])
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize("text, quoted", [
    ("وقال الوزير: «سنفتح المعبر أمام الشاحنات غدا».", "سنفتح المعبر أمام الشاحنات غدا"),
    ("وقال الوزير: “سنفتح المعبر أمام الشاحنات غدا”.", "سنفتح المعبر أمام الشاحنات غدا"),
    ("وقال الوزير: ”سنفتح المعبر أمام الشاحنات غدا“.", "سنفتح المعبر أمام الشاحنات غدا"),
    ('وقال الوزير: "سنفتح المعبر أمام الشاحنات غدا".', "سنفتح المعبر أمام الشاحنات غدا"),
    ("وقال الوزير: „سنفتح المعبر أمام الشاحنات غدا“.", "سنفتح المعبر أمام الشاحنات غدا"),
    ("وقال الوزير: ''سنفتح المعبر أمام الشاحنات غدا''.", "سنفتح المعبر أمام الشاحنات غدا"),
])
def test_each_mark_type(text: str, quoted: str) -> None:
    quote = one(text)
    assert (quote.text, quote.kind, quote.speaker, quote.verb) == (quoted, "direct", "الوزير", "وقال")


@pytest.mark.parametrize("text, verb, speaker, quoted", [
    ("قال رئيس البلدية إن الأشغال ستنتهي قبل الصيف.", "قال", "رئيس البلدية", "الأشغال ستنتهي قبل الصيف"),
    ("قالت وزيرة الصحة إن اللقاح متوفر في كل المراكز.", "قالت", "وزيرة الصحة", "اللقاح متوفر في كل المراكز"),
    ("وأكد المدرب أن الفريق جاهز للمباراة النهائية.", "وأكد", "المدرب", "الفريق جاهز للمباراة النهائية"),
    ("وأكدت النقابة أنها ستواصل الإضراب حتى الأحد.", "وأكدت", "النقابة", "ستواصل الإضراب حتى الأحد"),
    ("يقول الخبير إن الأسعار سترتفع في الخريف.", "يقول", "الخبير", "الأسعار سترتفع في الخريف"),
    ("تقول الشركة إن أرباحها تضاعفت هذا العام.", "تقول", "الشركة", "أرباحها تضاعفت هذا العام"),
    ("وأوضح المصدر أن الاجتماع تأجل إلى موعد لاحق.", "وأوضح", "المصدر", "الاجتماع تأجل إلى موعد لاحق"),
    ("وأشار التقرير إلى أن البطالة تراجعت بشكل طفيف.", "وأشار", "التقرير", "البطالة تراجعت بشكل طفيف"),
    ("وشدد الرئيس على أن الحوار هو الطريق الوحيد.", "وشدد", "الرئيس", "الحوار هو الطريق الوحيد"),
    ("ونفى الناطق باسم الجيش أن تكون القوات قد انسحبت.", "ونفى", "الناطق باسم الجيش",
     "تكون القوات قد انسحبت"),
    ("واعتبر المحلل أن القرار جاء متأخرا جدا.", "واعتبر", "المحلل", "القرار جاء متأخرا جدا"),
    ("وصرح مدير المستشفى بأن الحالات المصابة مستقرة.", "وصرح", "مدير المستشفى", "الحالات المصابة مستقرة"),
    ("وذكرت الوكالة أن الطائرة هبطت بسلام في المطار.", "وذكرت", "الوكالة", "الطائرة هبطت بسلام في المطار"),
])
def test_reported_speech_verb_forms(text: str, verb: str, speaker: str, quoted: str) -> None:
    quote = one(text)
    assert (quote.kind, quote.verb, quote.speaker, quote.text) == ("reported", verb, speaker, quoted)


@pytest.mark.parametrize("text, speaker", [
    # speaker after the verb, cut before the setting of the statement
    ("وقال وزير الخارجية ناصر بوريطة في مؤتمر صحفي إن الحوار مستمر.", "وزير الخارجية ناصر بوريطة"),
    ("وقال المتحدث باسم الوزارة، الثلاثاء، إن الوفد سيصل مساء.", "المتحدث باسم الوزارة"),
    ("قالت الكاتبة، سلمى الحسن، لصحيفة محلية إن روايتها الجديدة جاهزة.", "الكاتبة سلمى الحسن"),
    # speaker before the verb
    ("وزير المالية، كريم العلوي، قال إن الميزانية ستعرض على البرلمان.", "وزير المالية كريم العلوي"),
    ("رئيس الاتحاد قال إن البطولة ستقام في موعدها.", "رئيس الاتحاد"),
    # a role with no name is a speaker
    ("وقال مسؤول في الوزارة إن الملف أحيل إلى القضاء.", "مسؤول في الوزارة"),
])
def test_speaker_position(text: str, speaker: str) -> None:
    assert one(text).speaker == speaker


def test_verb_after_the_quote() -> None:
    quote = one("«لن نتراجع عن هذا القرار مهما حدث»، قال رئيس الحكومة للصحفيين.")
    assert (quote.kind, quote.speaker) == ("direct", "رئيس الحكومة")


def test_speaker_links_to_entity_and_uses_its_canonical_form() -> None:
    text = "وقال وزير الخارجية ناصر بوريطة إن المغرب ملتزم بالحوار."
    start = text.index("ناصر")
    entity = Entity("ناصر بوريطة", "PER", start, start + len("ناصر بوريطة"), "ناصر بوريطة")
    quote = one(text, [entity])
    assert quote.speaker_entity == entity and quote.speaker == "ناصر بوريطة"


def test_pronoun_speaker_resolves_to_the_last_speaker() -> None:
    text = ("وقالت وزيرة البيئة إن الغابات تضررت كثيرا هذا الصيف.\n"
            "وأضافت: «سنزرع مليون شجرة قبل نهاية العام المقبل».")
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["وزيرة البيئة", "وزيرة البيئة"]
    assert quotes[1].kind == "direct" and quotes[1].verb == "وأضافت"


def test_participle_speaks_for_the_sentence_subject() -> None:
    quotes = find_quotes("وقال المدير إن المصنع سيفتح قريبا، مضيفا أن العمال سيعودون تدريجيا.")
    assert [(q.verb, q.speaker) for q in quotes] == [("وقال", "المدير"), ("مضيفا", "المدير")]


def test_pronoun_without_earlier_speaker_is_none() -> None:
    assert one("وأضاف: «سنعمل على حل المشكلة في أقرب وقت ممكن».").speaker is None


@pytest.mark.parametrize("text", [
    "",
    "ارتفعت درجات الحرارة في العاصمة إلى أربعين درجة يوم الأحد.",
    "وعرض فيلم «الطريق إلى البحر» في افتتاح المهرجان أمس.",  # a film title, not a quotation
    "وحقق مسلسل \"الحارة\" نسبة مشاهدة عالية هذا الموسم.",
    "وأطلقت الشركة تطبيق «سفر» في الأسواق العربية.",
    "وصل الفريق \"الأحمر\" إلى الدور النهائي.",  # one word in quote marks: a scare quote
    "وشارك في مؤتمر «المدن الذكية» عدد كبير من الخبراء.",
    "وأعلن الفريق انسحابه قبل أن يبدأ السباق بساعة.",  # قبل أن: a time clause, not speech
])
def test_no_quotation(text: str) -> None:
    assert find_quotes(text) == []


def test_short_quote_with_a_verb_is_a_quotation() -> None:
    quote = one("ووصف الوزير الاتفاق، قائلا: «خطوة تاريخية».")
    assert quote.text == "خطوة تاريخية" and quote.kind == "direct"


def test_nested_marks_make_one_quotation() -> None:
    text = "وقال النائب: «لقد وصفوا القانون بأنه \"قانون الظل\" ونحن نرفض ذلك»."
    quote = one(text)
    assert quote.text == "لقد وصفوا القانون بأنه \"قانون الظل\" ونحن نرفض ذلك"


def test_unbalanced_mark_does_not_swallow_the_article() -> None:
    text = ('وقال المحافظ: "سنعيد فتح الطريق الساحلي خلال أيام.\n'
            "وشهدت المدينة أمطارا غزيرة طوال الأسبوع الماضي.\n"
            "وأغلقت المدارس أبوابها يومين متتاليين.")
    for quote in find_quotes(text):
        assert "\n" not in quote.text


def test_quote_spanning_a_newline() -> None:
    text = "وقال الطبيب: «ننصح الجميع بشرب الماء\nوتجنب الشمس في منتصف النهار»."
    quote = one(text)
    assert quote.text == "ننصح الجميع بشرب الماء\nوتجنب الشمس في منتصف النهار"


def test_dots_inside_a_quote_keep_it_whole() -> None:
    text = "وقالت المديرة: «العام كان صعبا. لكننا صمدنا. وسننجح». ثم غادرت القاعة."
    assert one(text).text == "العام كان صعبا. لكننا صمدنا. وسننجح"


def test_reported_clause_ends_at_the_sentence_end() -> None:
    text = "وقال الحارس إن الباب كان مغلقا. ثم وصلت الشرطة بعد ساعة."
    assert one(text).text == "الباب كان مغلقا"


def test_attribution_at_sentence_start() -> None:
    quote = one("وبحسب الوزارة، فإن عدد الزوار تضاعف خلال الصيف.")
    assert (quote.speaker, quote.text) == ("الوزارة", "عدد الزوار تضاعف خلال الصيف")


def test_quotations_never_overlap_and_round_trip() -> None:
    text = ("وقال الرئيس إن \"الاقتصاد يتعافى\" رغم الصعوبات الكبيرة التي تواجه البلاد.\n"
            "وأضاف: «نحن على الطريق الصحيح، والأرقام تثبت ذلك».\n"
            "«الصبر مفتاح النجاح في هذه المرحلة»، يقول وزير التخطيط.")
    quotes = find_quotes(text)
    assert len(quotes) == 3
    for q in quotes:
        assert text[q.start:q.end] == q.text
    for a, b in zip(quotes, quotes[1:]):
        assert a.end <= b.start


def _seed_texts(seed_path: Path) -> list[str]:
    raw = seed_path.read_text(encoding="utf-8")
    return [raw, marsad.process_text(raw).text]


def test_seed_quote_found_with_its_speaker(seed_path: Path) -> None:
    for text in _seed_texts(seed_path):
        quotes = [q for q in find_quotes(text) if q.text == SEED_QUOTE]
        assert len(quotes) == 1
        assert quotes[0].kind == "direct"
        assert quotes[0].speaker == "وزارة الخارجية الأمريكية"
        assert text[quotes[0].start:quotes[0].end] == SEED_QUOTE


def test_seed_speaker_links_to_an_org_entity(seed_path: Path) -> None:
    text = marsad.process_text(seed_path.read_text(encoding="utf-8")).text
    start = text.index("وزارة الخارجية الأمريكية")
    org = Entity("وزارة الخارجية الأمريكية", "ORG", start, start + 24, "وزارة الخارجية الأمريكية")
    quote = next(q for q in find_quotes(text, [org]) if q.text == SEED_QUOTE)
    assert quote.speaker_entity == org


_ARABIC_BITS = st.sampled_from(["قال", "وقال", "إن", "أن", ":", "«", "»", "\"", "“", "”", "''", "،", ".", "\n",
                                "الوزير", "مضيفا", "بحسب", "فيلم", " ", "؟", "3.5", "ـ", "َ"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_ARABIC_BITS, max_size=40).map(" ".join),
                 st.lists(_ARABIC_BITS, max_size=40).map("".join)))
def test_never_raises_and_offsets_round_trip(text: str) -> None:
    for quote in find_quotes(text):
        assert text[quote.start:quote.end] == quote.text
        assert quote.kind in ("direct", "reported")
