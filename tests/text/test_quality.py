import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.arabic import normalize
from marsad.text.quality import (
    FINEWEB2_ARB,
    QUALITY_FLAGS,
    SIGNALS,
    QualityThresholds,
    arabic_stop_words,
    quality_flags,
    quality_signals,
    tokenize,
)

# Texts written for these tests.
NEWS = """أعلنت وزارة الزراعة التونسية، صباح اليوم الثلاثاء، عن خطة وطنية جديدة لدعم صغار الفلاحين في ولايات الشمال الغربي، بعد موسم جاف أضر بمحاصيل الحبوب في المنطقة.

وقال الوزير في مؤتمر صحفي عقده بالعاصمة إن الخطة تشمل قروضا ميسرة بفائدة منخفضة، إلى جانب توزيع البذور المحسنة على المزارعين الذين تضرروا من قلة الأمطار خلال الأشهر الماضية.

وأضاف أن الحكومة رصدت لهذا الغرض مبلغا يقدر بنحو مئة وعشرين مليون دينار، على أن تبدأ عملية التوزيع مطلع الشهر المقبل بالتنسيق مع الاتحادات الجهوية للفلاحة.

من جهته، رحب الاتحاد التونسي للفلاحة والصيد البحري بالقرار، لكنه دعا إلى مراجعة أسعار الأعلاف التي ارتفعت بشكل كبير منذ بداية العام، مؤكدا أن "الفلاح الصغير لا يستطيع الصمود وحده".

ويمثل القطاع الفلاحي نحو عشرة في المئة من الناتج المحلي الإجمالي في تونس، ويشغل عددا كبيرا من سكان الأرياف."""

MENU = "\n".join(
    [
        "الرئيسية",
        "أخبار محلية",
        "أخبار عالمية",
        "رياضة",
        "اقتصاد",
        "ثقافة وفنون",
        "تكنولوجيا",
        "صحة",
        "منوعات",
        "فيديو",
        "صور",
        "كتاب الرأي",
        "اتصل بنا",
        "من نحن",
        "سياسة الخصوصية",
        "شروط الاستخدام",
        "أعلن معنا",
        "الأرشيف",
        "النشرة البريدية",
        "تطبيق الهاتف",
    ]
    * 3
)

REPEATED = "\n\n".join(["تابعونا على صفحتنا الرسمية في فيسبوك وتويتر لمعرفة آخر الأخبار العاجلة."] * 12 + [NEWS])

ENGLISH = """The ministry of agriculture announced on Tuesday a national plan to support small farmers in the north west of the country, after a dry season that damaged the grain harvest in the region.

The minister told a news conference in the capital that the plan includes soft loans at a low interest rate, along with the distribution of improved seeds to farmers who suffered from the lack of rain during the past months."""

TEN_WORDS = "أعلنت الحكومة اليوم عن خطة جديدة لدعم صغار الفلاحين بالمنطقة."


def flags(text: str, thresholds: QualityThresholds = FINEWEB2_ARB) -> list[str]:
    return quality_flags(quality_signals(text), thresholds)


@pytest.mark.parametrize(
    "text, must, must_not",
    [
        (NEWS, [], QUALITY_FLAGS),
        (MENU, ["low_punct_lines", "list_like", "dup_lines", "dup_chars"], ["non_arabic_words"]),
        (REPEATED, ["dup_lines", "dup_chars", "dup_ngrams"], ["non_arabic_words", "too_few_words"]),
        (ENGLISH, ["non_arabic_words", "too_few_stop_words"], ["too_few_words", "low_punct_lines"]),
        (TEN_WORDS, ["too_few_words"], ["non_arabic_words", "low_punct_lines", "top_ngram"]),
        ("", ["too_few_words"], ["dup_lines", "non_arabic_words"]),
    ],
    ids=["news", "menu", "repeated_line", "english", "ten_words", "empty"],
)
def test_flags_table(text, must, must_not):
    got = flags(text)
    assert set(must) <= set(got), got
    assert not set(must_not) & set(got), got


def test_news_signals_are_plausible():
    s = quality_signals(NEWS)
    assert s["words"] > 100
    assert s["lines"] == 5
    assert s["lines_end_punct"] == 1.0
    assert s["non_arabic_word_frac"] == 0.0
    assert 0.2 < s["stopword_ratio"] < 0.5
    assert 4 < s["mean_word_length"] < 6
    assert s["dup_line_frac"] == 0.0
    assert all(s[f"dup_{n}gram_frac"] == 0.0 for n in range(5, 11))


def test_repeated_line_counts_every_repeat_after_the_first():
    s = quality_signals(REPEATED)
    assert s["lines"] == 12 + 5
    assert s["dup_line_frac"] == pytest.approx(11 / 17)
    line = REPEATED.split("\n\n")[0]
    news_chars = sum(len(p) for p in NEWS.split("\n\n"))
    assert s["char_dup_ratio"] == pytest.approx(11 * len(line) / (12 * len(line) + news_chars))
    assert s["top_4gram_frac"] > FINEWEB2_ARB.max_top_4gram_frac


def test_blank_lines_and_single_newlines_measure_the_same():
    # trafilatura (what FineWeb-2 measured) puts one newline between paragraphs, marsad a blank line.
    assert quality_signals(NEWS) == quality_signals(NEWS.replace("\n\n", "\n"))


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("قَالَ الرَّئِيسُ: «نَعَم».", ["قال", "الرييس", ":", '"', "نعم", '"', "."]),
        ("بلغت النسبة ١٥٫٥٪ في 2023...", ["بلغت", "النسبة", "15.5", "%", "في", "2023", "..."]),
        ("#عاصي_الحلاني ----", ["#", "عاصي_الحلاني", "----"]),
        ("الـــعربية؟!", ["العربية", "?", "!"]),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_diacritics_do_not_change_words():
    plain = quality_signals("ذهب الولد إلى المدرسة صباحا.")
    voweled = quality_signals("ذَهَبَ الوَلَدُ إِلَى المَدْرَسَةِ صَبَاحًا.")
    assert voweled["words"] == plain["words"] == 5
    assert voweled["stop_words"] == plain["stop_words"] == 3  # ذهب، إلى، صباحا are all listed
    assert voweled["mean_word_length"] == plain["mean_word_length"]


def test_numbers_are_neither_arabic_nor_foreign():
    s = quality_signals("فاز الفريق 3 - 1 في المباراة التي أقيمت عام 2024 بحضور 45000 متفرج.")
    assert s["non_arabic_word_frac"] == 0.0
    s = quality_signals("أعلنت شركة Apple عن هاتف iPhone الجديد.")
    assert s["non_arabic_word_frac"] == pytest.approx(2 / 7)


@pytest.mark.parametrize(
    "line, ends",
    [
        ("انتهى الاجتماع.", True),
        ("هل انتهى الاجتماع؟", True),
        ("وقال الوزير: «سنواصل العمل»", True),
        ('وقال الوزير: "سنواصل العمل"', True),
        ("وأضاف المتحدث:", True),
        ("وتابع قائلا…", True),
        ("انتهى الاجتماع.\u200f", True),  # a trailing RLM is invisible
        ("اقرأ أيضا", False),
        ("انتهى الاجتماع،", False),
    ],
)
def test_lines_end_punct(line, ends):
    assert quality_signals(line)["lines_end_punct"] == (1.0 if ends else 0.0)


def test_symbol_and_bullet_lines():
    bullets = "\n".join(f"• البند رقم {i} من القائمة الطويلة" for i in range(10))
    s = quality_signals(bullets)
    assert s["bullet_lines_frac"] == 1.0
    assert "bullet_lines" in quality_flags(s)
    tags = " ".join(f"#وسم{i}" for i in range(20))
    assert quality_signals(tags)["symbol_word_ratio"] == pytest.approx(0.5)  # 20 '#' in 40 tokens


def _dup_chars_naive(tokens, n):
    """datatrove's find_all_duplicate, written out plainly: the reference for the fast version."""
    seen, chars, i = set(), 0, 0
    while i < len(tokens) - n + 1:
        gram = tuple(tokens[i : i + n])
        if gram in seen:
            chars += sum(map(len, gram))
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


def _top_chars_naive(tokens, n):
    grams = Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return len(" ".join(gram)) * count if count > 1 else 0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["في", "من", "الحكومة", "قال", "،", ".", "2024", "x"]), max_size=80))
def test_ngram_signals_match_the_plain_definition(words):
    text = " ".join(words)
    s = quality_signals(text)
    tokens = tokenize(text)
    n_chars = len(normalize(text))
    for n in (2, 3, 4):
        assert s[f"top_{n}gram_frac"] == pytest.approx(_top_chars_naive(tokens, n) / n_chars if n_chars else 0.0)
    for n in range(5, 11):
        assert s[f"dup_{n}gram_frac"] == pytest.approx(_dup_chars_naive(tokens, n) / n_chars if n_chars else 0.0)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_signals_never_raise_and_are_finite(text):
    s = quality_signals(text)
    assert tuple(s) == SIGNALS
    assert all(isinstance(v, float) and math.isfinite(v) and v >= 0 for v in s.values())
    assert set(quality_flags(s)) <= set(QUALITY_FLAGS)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["في", "خبر", "\n", "\n\n", ".", "#", "•", "...", "A", "٣", "ـ", "\u200f", " "])))
def test_signals_never_raise_on_arabic_like_noise(parts):
    s = quality_signals("".join(parts))
    assert all(math.isfinite(v) for v in s.values())
    assert 0.0 <= s["dup_line_frac"] < 1.0
    assert 0.0 <= s["alpha_word_frac"] <= 1.0


def test_fineweb2_arb_values_are_the_published_ones():
    # huggingface/fineweb-2 configs/arb_Arab.yml (paper revision) and fineweb-2-pipeline.py;
    # datatrove defaults where FineWeb-2 kept them. Changing one of these changes the preset's meaning.
    t = FINEWEB2_ARB
    assert (t.max_dup_line_frac, t.min_lines_end_punct, t.max_new_line_ratio) == (0.304, 0.143, 0.189)
    assert (t.min_mean_word_length, t.max_mean_word_length, t.min_alpha_word_frac) == (2, 9, 0.787)
    assert (t.max_top_2gram_frac, t.max_top_3gram_frac, t.max_top_4gram_frac) == (0.197, 0.172, 0.146)
    assert [getattr(t, f"max_dup_{n}gram_frac") for n in range(5, 11)] == [0.165, 0.153, 0.142, 0.131, 0.12, 0.109]
    assert (t.max_char_dup_ratio, t.min_stop_words, t.max_short_line_frac, t.max_dup_line_char_frac) == (0.1, 2, None, None)
    assert (t.min_words, t.max_words, t.max_symbol_word_ratio) == (50, 100_000, 0.1)
    assert (t.max_bullet_lines_frac, t.max_ellipsis_lines_frac) == (0.9, 0.3)
    assert QualityThresholds() == FINEWEB2_ARB


def test_thresholds_from_mapping():
    t = QualityThresholds.from_mapping({"min_words": 5, "min_alpha_word_frac": None, "max_short_line_frac": 0.67})
    assert (t.min_words, t.min_alpha_word_frac, t.max_short_line_frac) == (5, None, 0.67)
    assert t.max_dup_line_frac == FINEWEB2_ARB.max_dup_line_frac  # the rest from the preset
    assert QualityThresholds.from_mapping({"min_stop_words": False}).min_stop_words is None
    assert "too_few_words" not in flags(TEN_WORDS, QualityThresholds.from_mapping({"min_words": 5}))
    assert flags(TEN_WORDS, QualityThresholds.from_mapping({name: None for name in FINEWEB2_ARB.to_dict()})) == []


@pytest.mark.parametrize(
    "mapping",
    [{"min_word": 5}, {"min_words": "5"}, {"min_words": -1}, {"min_words": float("nan")}, {"min_words": True}],
)
def test_thresholds_from_mapping_rejects(mapping):
    with pytest.raises(ValueError, match="min_word"):
        QualityThresholds.from_mapping(mapping)


@pytest.mark.parametrize(
    "signals, expected",
    [
        ({"words": 49}, ["too_few_words"]),
        ({"words": 50}, []),  # datatrove compares strictly
        ({"mean_word_length": 9.5}, ["avg_word_length"]),
        ({"mean_word_length": 1.5}, ["avg_word_length"]),
        ({"alpha_word_frac": 0.7}, ["non_alpha_words"]),
        ({"stop_words": 1}, ["too_few_stop_words"]),
        ({"lines_end_punct": 0.1}, ["low_punct_lines"]),
        ({"lines_end_punct": 0.143}, []),
        ({"short_line_frac": 1.0}, []),  # off in FineWeb-2
        ({"new_line_ratio": 0.2}, ["list_like"]),
        ({"top_2gram_frac": 0.2, "top_4gram_frac": 0.2}, ["top_ngram"]),
        ({"dup_5gram_frac": 0.1, "dup_10gram_frac": 0.11}, ["dup_ngrams"]),
        ({"dup_line_frac": 0.31, "char_dup_ratio": 0.11}, ["dup_chars", "dup_lines"]),
        ({"non_arabic_word_frac": 0.6}, ["non_arabic_words"]),
        ({}, []),
    ],
)
def test_quality_flags(signals, expected):
    assert quality_flags(signals) == expected


def test_packaged_stop_words():
    words = arabic_stop_words()
    assert len(words) > 500
    assert {"في", "من", "الي", "علي", "التي", "كان"} <= words  # folded: إلى -> الي, على -> علي
    assert all(w == normalize(w) and " " not in w and len(w) > 1 for w in words)
    # FineWeb-2's own arb_Arab list: all but the Arabic comma and المتحدة are in ours.
    fineweb2 = "في من على إلى عام أن مع أو هو عن التي كان بين ما كانت هي بعد".split()
    assert {normalize(w) for w in fineweb2} <= words
