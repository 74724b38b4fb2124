from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import marsad
from marsad.nlp.ner import (
    EntityTagger,
    canonical_name,
    entities,
    evaluate_ner,
    name_lexicon,
    read_conll,
    score_spans,
    spans,
    train_ner,
)
from marsad.nlp.ner_features import FeatureSet, Featurizer, Lexicon, stacked

# Measured on ../shared/data/anercorp/test.conll with the committed model (see models/ner/CARD.md);
# the floor sits a little below so that a regression fails, not noise.
F1_FLOOR = 0.70


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger()


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["O", "B-PER", "I-PER", "O"], [("PER", 1, 3)]),
        (["B-LOC", "B-LOC"], [("LOC", 0, 1), ("LOC", 1, 2)]),
        (["I-ORG", "I-ORG", "O"], [("ORG", 0, 2)]),  # I- without B- starts an entity (conlleval)
        (["B-PER", "I-LOC"], [("PER", 0, 1), ("LOC", 1, 2)]),  # a type change starts a new one
        (["O", "O"], []),
        ([], []),
        (["B-MISC"], [("MISC", 0, 1)]),
    ],
)
def test_spans(labels: list[str], expected: list[tuple[str, int, int]]) -> None:
    assert spans(labels) == expected


@pytest.mark.parametrize(
    "gold, predicted, tp, fp, fn",
    [
        (["B-PER", "I-PER"], ["B-PER", "I-PER"], 1, 0, 0),
        (["B-PER", "I-PER"], ["B-PER", "O"], 0, 1, 1),  # a partial span is wrong twice
        (["B-PER", "I-PER"], ["B-ORG", "I-ORG"], 0, 1, 1),  # right span, wrong type
        (["O", "B-LOC"], ["B-LOC", "B-LOC"], 1, 1, 0),
        (["B-LOC", "O", "B-ORG"], ["O", "O", "O"], 0, 0, 2),
        (["O"], ["O"], 0, 0, 0),
    ],
)
def test_score_spans(gold: list[str], predicted: list[str], tp: int, fp: int, fn: int) -> None:
    c = score_spans([gold], [predicted])["ALL"]
    assert (c.tp, c.fp, c.fn) == (tp, fp, fn)


def test_score_spans_per_type() -> None:
    counts = score_spans([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "B-ORG"]])
    assert (counts["PER"].f1, counts["LOC"].recall, counts["ORG"].precision) == (1.0, 0.0, 0.0)
    assert counts["ALL"].precision == counts["ALL"].recall == 0.5


@pytest.mark.parametrize(
    "name, counts, canonical",
    [
        ("وبالمغرب", {"المغرب": 900, "بالمغرب": 80}, "المغرب"),
        ("لوزارة الخارجية الأمريكية", {"وزارة": 4000, "لوزارة": 300}, "وزارة الخارجية الأمريكية"),
        ("والرباط", {"الرباط": 130}, "الرباط"),
        ("بواشنطن", {"واشنطن": 4000, "بواشنطن": 50}, "واشنطن"),
        ("للمغرب", {"المغرب": 900, "للمغرب": 40}, "المغرب"),
        # a first letter that only looks like a clitic stays: the whole word is the known one
        ("لبنان", {"لبنان": 5000, "بنان": 3}, "لبنان"),
        ("وزارة الدفاع", {"وزارة": 4000}, "وزارة الدفاع"),
        ("فلسطين", {"فلسطين": 3000}, "فلسطين"),
        # without counts only a split that leaves the article is safe
        ("والرباط", None, "الرباط"),
        ("بواشنطن", None, "بواشنطن"),
        ("المغرب", None, "المغرب"),
    ],
)
def test_canonical_name(name: str, counts: dict[str, int] | None, canonical: str) -> None:
    assert canonical_name(name, counts) == canonical


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وصل وزير الخارجية إلى الرباط قادما من واشنطن.", {("الرباط", "LOC"), ("واشنطن", "LOC")}),
        ("واستقبل الملك محمد السادس في الرباط رئيس الحكومة.", {("محمد السادس", "PER"), ("الرباط", "LOC")}),
        ("وأعلنت وزارة الخارجية الأمريكية أن بلادها تدعم المغرب.",
         {("وزارة الخارجية الأمريكية", "ORG"), ("المغرب", "LOC")}),
    ],
)
def test_tag_own_sentences(tagger: EntityTagger, text: str, expected: set[tuple[str, str]]) -> None:
    found = tagger.tag(text)
    assert expected <= {(e.canonical, e.label) for e in found}
    assert all(text[e.start : e.end] == e.text for e in found)


def test_canonical_forms_in_context(tagger: EntityTagger) -> None:
    text = "وقال مسؤول بواشنطن إن التعاون مع الرباط وثيق، وبالمغرب ترحيب بذلك."
    found = {e.text: e for e in tagger.tag(text)}
    assert found["بواشنطن"].canonical == "واشنطن"
    assert found["وبالمغرب"].canonical == "المغرب"
    assert found["بواشنطن"].label == found["وبالمغرب"].label == "LOC"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "The quick brown fox, 2021.", "1 2 3 4 5 ...", "؟؟؟ ،،، «»", "كلمة " * 20_000],
)
def test_odd_text_never_raises(tagger: EntityTagger, text: str) -> None:
    found = tagger.tag(text)
    assert all(text[e.start : e.end] == e.text and e.label in {"PER", "ORG", "LOC", "MISC"} for e in found)


def test_offsets_survive_marks_and_diacritics(tagger: EntityTagger) -> None:
    text = "\ufeffزار الرئيسُ \u200eالمغربَ\u200e ثم توجه إلى واشنطن"
    for e in tagger.tag(text):
        assert text[e.start : e.end] == e.text
        assert "\u200e" not in e.text


def test_tag_many_matches_tag(tagger: EntityTagger) -> None:
    texts = ["زار الوزير الرباط.", "", "قالت وزارة الخارجية الأمريكية إن كندا شريك."]
    assert tagger.tag_many(texts) == [tagger.tag(t) for t in texts]


def test_tagger_pickles_without_its_model() -> None:
    fresh = EntityTagger()
    assert fresh._tagger is None  # nothing loaded in __init__
    fresh.tag("المغرب")
    copy = pickle.loads(pickle.dumps(fresh))
    assert copy._tagger is None
    assert copy.tag("زار الوزير الرباط.") == fresh.tag("زار الوزير الرباط.")
    assert len(pickle.dumps(fresh)) < 1000


def test_module_level_entities() -> None:
    assert ("الرباط", "LOC") in {(e.canonical, e.label) for e in entities("زار الوزير الرباط أمس.")}


SEED_LOC = {"الولايات المتحدة", "المغرب", "واشنطن", "الرباط", "كندا"}


@pytest.mark.parametrize("clean", [False, True])
def test_seed_article(tagger: EntityTagger, seed_path: Path, clean: bool) -> None:
    text = seed_path.read_text(encoding="utf-8")
    if clean:
        text = marsad.process_text(text).text
    found = tagger.tag(text)
    assert all(text[e.start : e.end] == e.text for e in found)
    pairs = {(e.canonical, e.label) for e in found}
    assert {(name, "LOC") for name in SEED_LOC} <= pairs
    assert ("وزارة الخارجية الأمريكية", "ORG") in pairs


def test_read_conll_maps_types_and_wikifane_quirks(tmp_path: Path) -> None:
    anercorp = tmp_path / "a.conll"
    anercorp.write_text("زار O\nجورج B-PERS\nبوش I-PERS\nالرباط B-LOC\n\nأمس O\n", encoding="utf-8")
    assert read_conll(anercorp) == [
        [("زار", "O"), ("جورج", "B-PER"), ("بوش", "I-PER"), ("الرباط", "B-LOC")],
        [("أمس", "O")],
    ]
    wikifane = tmp_path / "w.txt"
    wikifane.write_bytes("\ufeff\u200eزار\tO\r\n\u200eو\tO\r\n\u200eالرباط\tB-Population-Center\r\n"
                         "\u200eكتاب\tB-Book\r\n".encode())
    assert read_conll(wikifane) == [[("زار", "O"), ("والرباط", "B-LOC"), ("كتاب", "O")]]


def test_f1_floor_on_anercorp_test(shared_data: Path) -> None:
    report = evaluate_ner(shared_data / "anercorp" / "test.conll")
    assert report.f1 >= F1_FLOOR, report.format()
    assert set(report.counts) >= {"PER", "ORG", "LOC", "MISC", "ALL"}
    assert report.tokens > 20_000


def test_stacked_features_read_the_other_mentions() -> None:
    # دالي is tagged once in the document; its untagged mention learns that from the document
    keys = [["سلفادور", "دالي", "رسام"], ["رسم", "دالي", "لوحة"]]
    labels = [["B-PER", "I-PER", "O"], ["O", "O", "O"]]
    feats = stacked(keys, labels, labels)
    assert {"d=PER", "dr=all", "pp=O"} <= set(feats[1][1])
    assert not [f for f in feats[0][2] if f.startswith(("d=", "dr="))]  # mentioned once
    assert {"pp=I-PER", "d=O"} <= set(feats[0][1])  # the other دالي was not tagged


def test_name_lexicon_keys_drop_clitics() -> None:
    keyer = Featurizer(Lexicon(), FeatureSet(clusters=False, gazetteer=False))
    sentences = [[("وجورج", "B-PER"), ("بوش", "I-PER"), ("في", "O"), ("روما", "B-LOC")],
                 [("روما", "B-ORG")], [("بروما", "B-LOC")]]  # the most frequent type wins
    assert name_lexicon(sentences, keyer) == {("جورج", "بوش"): "PER", ("روما",): "LOC"}


def test_train_without_wikifane_and_with_two_stages(tmp_path: Path) -> None:
    data = tmp_path / "anercorp"
    data.mkdir()
    text = "زار جورج بوش بغداد أمس .\nوصل الرئيس إلى باريس .\n"
    tags = ["O B-PERS I-PERS B-LOC O O", "O O O B-LOC O"]
    sentences = [list(zip(line.split(), t.split())) for line, t in zip(text.splitlines(), tags)]
    (data / "train.conll").write_text(
        "\n".join("".join(f"{w} {y}\n" for w, y in s) for s in sentences * 4), encoding="utf-8")
    out = tmp_path / "model"
    summary = train_ner([data / "train.conll"], out, max_iterations=10, clusters=None,
                        features=FeatureSet(names=True), stack_folds=2)
    assert summary["names"] == {"t": 3}  # no ../wikifane here: trained without it
    assert (out / "model2.crfsuite").is_file() and (out / "attributes.txt.gz").is_file()
    found = EntityTagger(model_path=out).tag("زار جورج بوش بغداد أمس .")
    assert all(e.label in {"PER", "ORG", "LOC", "MISC"} for e in found)
