import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.script import (
    SAMPLE_CHARS,
    ScriptStats,
    arabic_script_guess,
    guess_from_stats,
    keep_script,
    script_stats,
)


@pytest.mark.parametrize(
    "text, letters, arabic, latin, other",
    [
        ("", 0, 0, 0, 0),
        ("123 - ٤٥٦ ۷۸۹ !؟،", 0, 0, 0, 0),
        ("مرحبا", 5, 5, 0, 0),
        ("hello", 5, 0, 5, 0),
        ("café naïve", 9, 0, 9, 0),
        ("Привет", 6, 0, 0, 6),
        ("قال Trump", 8, 3, 5, 0),
        # vowel marks and tatweel are not letters; neither is a ZWNJ
        ("مُحَمَّد", 4, 4, 0, 0),
        ("الـــعربية", 7, 7, 0, 0),
        ("می\u200cشود", 5, 5, 0, 0),
        # presentation forms count as the letters they stand for: ﻻ is lam-alef, two letters
        ("ﻻ ﺓ", 3, 3, 0, 0),
        ("שלום world", 9, 0, 5, 4),
    ],
)
def test_script_stats_counts_letters_by_script(text, letters, arabic, latin, other):
    stats = script_stats(text)
    assert (stats.letters, stats.arabic, stats.latin, stats.other) == (letters, arabic, latin, other)


@pytest.mark.parametrize(
    "letters, field",
    [
        ("ة ى", "arabic_only"),
        ("ي ك", "arabic_shapes"),
        ("پ چ ژ گ ۀ", "persian"),
        ("ی ک", "persian_shapes"),
        ("ٹ ڈ ڑ ں ے ۓ ہ ۃ", "urdu"),
        ("ټ ډ ړ ږ ښ ګ ڼ ۍ ې ځ څ", "pashto"),
        ("ڕ ڵ ێ ۆ ە", "kurdish"),
        ("ڠ ڽ ۏ ݢ ڬ", "jawi"),
        ("ڤ", "veh"),
    ],
)
def test_script_stats_counts_each_distinctive_letter_once_in_its_group(letters, field):
    stats = script_stats(letters)
    groups = ["arabic_only", "arabic_shapes", "persian", "persian_shapes", "urdu", "pashto", "kurdish", "jawi", "veh"]
    counts = {name: getattr(stats, name) for name in groups}
    assert counts[field] == len(letters.split())
    assert sum(counts.values()) == counts[field]
    assert stats.arabic == len(letters.split())


def test_presentation_forms_count_in_their_group():
    # ﺓ is teh marbuta, ﮎ keheh: old PDFs and some CMSs write these glyphs instead of the letters
    assert script_stats("ﺓ").arabic_only == 1
    assert script_stats("ﮎ").persian_shapes == 1


@pytest.mark.parametrize(
    "text, article, arabic_words, persian_words",
    [
        ("وقال الرئيس في المؤتمر إن البلاد لن تتراجع", 3, 4, 0),
        ("والحكومة بالإجماع للشعب فالقرار", 4, 0, 0),
        ("وزیر گفت که این طرح را در مجلس ارائه می\u200cکند", 0, 0, 5),
        # the same Persian words typed on an Arabic keyboard
        ("وزير گفت كه اين طرح را در مجلس ارائه مي\u200cكند", 0, 0, 5),
        # على is Arabic; علی (with Farsi yeh) is a Persian first name, not the preposition
        ("على علی", 0, 1, 0),
    ],
)
def test_script_stats_counts_article_and_function_words(text, article, arabic_words, persian_words):
    stats = script_stats(text)
    assert (stats.article, stats.arabic_words, stats.persian_words) == (article, arabic_words, persian_words)


def test_script_stats_reads_only_a_sample():
    stats = script_stats("ب" * (3 * SAMPLE_CHARS))
    assert stats.arabic == SAMPLE_CHARS
    assert script_stats("ب" * 100, limit=10).arabic == 10


def test_zwnj_and_words():
    stats = script_stats("کتاب\u200cها را خواندم")
    assert stats.zwnj == 1
    assert stats.words == 4  # the half-space ends a word


@pytest.mark.parametrize(
    "text, lang",
    [
        # Arabic: teh marbuta, the article, Arabic function words
        ("أكدت وزارة الداخلية أن الانتخابات ستجري في موعدها المحدد رغم الظروف الأمنية الصعبة.", "ar"),
        ("الجماهير احتفلت بالفوز في شوارع المدينة حتى الفجر", "ar"),
        # Arabic typed on a Persian keyboard (ی ک for ي ك ى): the article and ة still say Arabic
        ("أکدت وزارة الداخلیة أن الانتخابات ستجری فی موعدها المحدد رغم الظروف الأمنیة الصعبة.", "ar"),
        # Persian: پ چ ژ گ, Farsi yeh and keheh, است/را/که/می
        ("پلیس پایتخت از دستگیری چند نفر در ارتباط با این پرونده خبر داد و گفت تحقیقات ادامه دارد.", "fa"),
        # Persian typed on an Arabic keyboard: its words and letters still say Persian
        ("پليس پايتخت از دستگيري چند نفر در ارتباط با اين پرونده خبر داد و گفت تحقيقات ادامه دارد.", "fa"),
        ("حکومت نے پٹرولیم مصنوعات کی قیمتوں میں کمی کا اعلان کر دیا ہے۔", "ur"),
        ("د هېواد په ډېرو سیمو کې د واورې اورېدو له امله لارې تړل شوې دي.", "ps"),
        ("سەرۆک کۆماری عێراق ئەمڕۆ سەردانی شاری سلێمانی کرد.", "ku"),
        ("منتري کسيهتن ممبريتاهو بهاوا ڤرخدمتن کسيهتن اکن دڤرلواسکن ک سلوروه نݢري.", "ms"),
    ],
)
def test_arabic_script_guess_names_the_language(text, lang):
    guess = arabic_script_guess(text)
    assert guess is not None
    assert guess[0] == lang
    assert 0.5 < guess[1] <= 0.99


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The minister said the talks would resume.",
        "123 456",
        # letters every language here shares: nothing to tell them apart
        "سلام",
        "محمد",
    ],
)
def test_arabic_script_guess_says_nothing_without_marks(text):
    assert arabic_script_guess(text) is None


def test_a_persian_name_in_an_arabic_paragraph_does_not_make_it_persian():
    text = (
        "استقبل الرئيس الإيراني مسعود پزشکیان وفدا من الجامعة العربية، وجرى خلال اللقاء بحث "
        "العلاقات الثنائية والأوضاع في المنطقة، وأكد الجانبان أهمية الحوار."
    )
    guess = arabic_script_guess(text)
    assert guess is not None and guess[0] == "ar" and guess[1] > 0.8


def test_confidence_grows_with_evidence():
    sentence = "وأكد الوزير أن الحكومة ستواصل دعم الفلاحين خلال الموسم الزراعي المقبل."
    short, long = arabic_script_guess(sentence[:30]), arabic_script_guess(sentence * 3)
    assert short is not None and long is not None
    assert short[0] == long[0] == "ar"
    assert short[1] < long[1]


def test_guess_from_stats_of_empty_stats():
    assert guess_from_stats(ScriptStats()) is None


def test_keep_script():
    text = 'وقال المدرب: "We will win" بعد الفوز على l’équipe می\u200cشود'
    assert keep_script(text, "arabic") == "وقال المدرب بعد الفوز على می\u200cشود"
    assert keep_script(text, "latin") == "We will win l’équipe"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_script_stats_is_consistent_on_any_text(text):
    stats = script_stats(text)
    assert 0 <= stats.arabic + stats.latin <= stats.letters <= len(text) * 2
    groups = stats.arabic_only + stats.arabic_shapes + stats.persian + stats.persian_shapes
    groups += stats.urdu + stats.pashto + stats.kurdish + stats.jawi + stats.veh
    assert groups <= stats.arabic
    guess = arabic_script_guess(text)
    if guess is not None:
        assert guess[0] in {"ar", "fa", "ur", "ps", "ku", "ms"}
        assert 0.0 <= guess[1] <= 0.99


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقلمنهويةىأإآءپچژگکیٹڈڑںےہټډړښګۍېڕڵێۆەڠڽݢڤ \u200c", max_size=200))
def test_guess_on_arabic_script_soup_is_bounded(text):
    guess = arabic_script_guess(text)
    assert guess is None or 0.0 <= guess[1] <= 0.99
