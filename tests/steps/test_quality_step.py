import json
import pickle

import pytest

from marsad.article import Article
from marsad.errors import ConfigError
from marsad.pipeline import chain
from marsad.steps.quality import FlagFilter, QualityAnnotator, load_thresholds, thresholds_from
from marsad.text.quality import FINEWEB2_ARB, SIGNALS

# Written for these tests.
GOOD = "\n\n".join(
    [
        "أعلنت بلدية المدينة، صباح اليوم، عن افتتاح حديقة عامة جديدة في الحي الشرقي بعد أشهر من أعمال التهيئة والتشجير.",
        "وقال رئيس البلدية في كلمة ألقاها خلال حفل الافتتاح إن المشروع يهدف إلى توفير فضاء أخضر للعائلات والأطفال، مشيرا إلى أن الحديقة تضم ملاعب صغيرة ومسارا للمشي.",
        "وأضاف أن البلدية تعمل على إنجاز ثلاث حدائق أخرى قبل نهاية العام، في إطار خطة لتحسين جودة الحياة في الأحياء الشعبية.",
        "من جهتهم، عبر عدد من السكان عن ارتياحهم لهذا المشروع، مطالبين بالحفاظ على نظافة المكان وصيانته بشكل دوري.",
    ]
)
SHORT = "أعلنت البلدية عن افتتاح حديقة جديدة."


def article(id_, text, **kw):
    return Article(id=id_, raw=text, text=text, **kw)


def test_annotator_sets_quality_and_counts_flags():
    step = QualityAnnotator()
    out = list(step([article("a", GOOD), article("b", SHORT), article("c", "")]))
    assert [a.id for a in out] == ["a", "b", "c"]  # annotating never drops
    good, short, empty = out
    assert tuple(good.quality) == SIGNALS
    assert good.quality_flags == []
    assert "too_few_words" in short.quality_flags
    assert "too_few_words" in empty.quality_flags
    assert step.stats["seen"] == 3
    assert step.stats["flagged"] == 2
    assert step.stats["flag:too_few_words"] == 2


def test_annotator_thresholds_from_mapping_and_file(tmp_path):
    lenient = {"min_words": 3, "min_stop_words": False}
    (a,) = QualityAnnotator(thresholds=lenient)([article("b", SHORT)])
    assert "too_few_words" not in a.quality_flags
    path = tmp_path / "quality.toml"
    path.write_text("min_words = 3\nmin_stop_words = false\n", encoding="utf-8")
    (b,) = QualityAnnotator(thresholds=path)([article("b", SHORT)])
    assert b.quality_flags == a.quality_flags


def test_annotator_pickles():
    step = QualityAnnotator(thresholds={"min_words": 10})
    clone = pickle.loads(pickle.dumps(step))
    assert clone.thresholds == step.thresholds


def test_load_thresholds_toml_json_and_table(tmp_path):
    (tmp_path / "a.toml").write_text("[quality]\nmax_dup_line_frac = 0.5\nmin_alpha_word_frac = false\n")
    t = load_thresholds(tmp_path / "a.toml")
    assert (t.max_dup_line_frac, t.min_alpha_word_frac) == (0.5, None)
    assert t.min_words == FINEWEB2_ARB.min_words
    (tmp_path / "b.json").write_text(json.dumps({"min_words": 20, "max_short_line_frac": 0.67}))
    t = load_thresholds(str(tmp_path / "b.json"))
    assert (t.min_words, t.max_short_line_frac) == (20, 0.67)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.toml", "min_wrds = 3\n", "unknown quality threshold"),
        ("bad.json", '{"min_words": "many"}', "min_words"),
        ("bad.json", "[1, 2]", "table"),
        ("bad.toml", "min_words = \n", "not valid TOML"),
        ("bad.yaml", "min_words: 3\n", ".toml or .json"),
    ],
)
def test_load_thresholds_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_thresholds(path)


def test_threshold_errors_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown quality threshold"):
        QualityAnnotator(thresholds={"max_words_": 10})
    with pytest.raises(ConfigError, match="cannot read"):
        load_thresholds(tmp_path / "missing.toml")
    with pytest.raises(ConfigError):
        thresholds_from(42)  # type: ignore[arg-type]
    assert thresholds_from(None) is FINEWEB2_ARB
    assert QualityAnnotator(thresholds=None).thresholds is FINEWEB2_ARB


def corpus():
    return [
        article("ok", GOOD, lang="ar"),
        article("short", SHORT, lang="ar"),
        article("en", GOOD, lang="en"),
        article("unknown", GOOD),
        article("copy", GOOD, lang="ar", duplicate_of="near_duplicate"),
        article("same", GOOD, lang="ar", duplicate_of="same_text"),
    ]


@pytest.mark.parametrize(
    "rules, kept, dropped",
    [
        (["low_quality"], ["ok", "en", "unknown", "copy", "same"], {"low_quality": 1}),
        (["too_few_words"], ["ok", "en", "unknown", "copy", "same"], {"too_few_words": 1}),
        (["lang!=ar"], ["ok", "short", "copy", "same"], {"not_ar": 2}),
        (["lang=en"], ["ok", "short", "unknown", "copy", "same"], {"lang_en": 1}),
        (["duplicate"], ["ok", "short", "en", "unknown"], {"duplicate": 2}),
        (["near_duplicate"], ["ok", "short", "en", "unknown", "same"], {"near_duplicate": 1}),
        (
            ["low_quality", "lang!=ar", "near_duplicate", "too_few_words"],
            ["ok", "same"],
            {"low_quality": 1, "not_ar": 2, "near_duplicate": 1},
        ),
        ("lang != AR, duplicate", ["ok", "short"], {"not_ar": 2, "duplicate": 2}),
    ],
)
def test_flag_filter_drops_with_reasons(rules, kept, dropped):
    drop = FlagFilter(rules)
    out = list(chain(corpus(), [QualityAnnotator(), drop]))
    assert [a.id for a in out] == kept
    assert {k.removeprefix("dropped:"): v for k, v in drop.stats.items() if k.startswith("dropped:")} == dropped


def test_flag_filter_reason_is_the_first_matching_rule():
    a = article("x", SHORT, lang="fr", duplicate_of="same_url")
    QualityAnnotator().process(a)
    assert FlagFilter(["duplicate", "lang!=ar", "low_quality"]).reject(a) == "duplicate"
    assert FlagFilter(["lang!=ar", "duplicate"]).reject(a) == "not_ar"
    assert FlagFilter(["too_few_words", "low_quality"]).reject(a) == "too_few_words"
    assert FlagFilter(["lang=ar", "dup_lines"]).reject(a) is None


def test_flag_filter_normalises_rules():
    assert FlagFilter(["lang != AR", "lang!=ar", " low_quality "]).rules == ("lang!=ar", "low_quality")


@pytest.mark.parametrize(
    "rules, message",
    [
        ([], "at least one rule"),
        ([""], "empty"),
        (["low-quality"], "unknown drop rule"),
        (["too_few_word"], "unknown drop rule"),
        (["lang==ar"], "not a 2- or 3-letter"),
        (["lang!="], "not a 2- or 3-letter"),
        (["lang=arabic"], "not a 2- or 3-letter"),
        (["lang<ar"], "lang=xx or lang!=xx"),
        (["lang"], "lang=xx or lang!=xx"),
        ([3], "must be a string"),
        ("low_quality,,duplicate", "empty"),
    ],
)
def test_flag_filter_bad_rules(rules, message):
    with pytest.raises(ConfigError, match=message):
        FlagFilter(rules)
