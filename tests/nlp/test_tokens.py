from __future__ import annotations

import pytest

from marsad.nlp.tokens import split_clitics, tokenize


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("زار الوزير الرباط.", ["زار", "الوزير", "الرباط", "."]),
        ("قال: «سنعود»", ["قال", ":", "«", "سنعود", "»"]),
        ("بلغت 1.3 مليار دولار، أمس", ["بلغت", "1.3", "مليار", "دولار", "،", "أمس"]),
        ("في عام ٢٠٢١م", ["في", "عام", "٢٠٢١", "م"]),
        ("وَالمَغْرِب", ["وَالمَغْرِب"]),  # diacritics stay inside the word
        ("الـــعربية", ["الـــعربية"]),  # tatweel too
        ("\u200eواشنطن\u200e و\u200fالرباط", ["واشنطن", "و", "الرباط"]),  # direction marks split, belong to none
        ("شركة IBM وDell", ["شركة", "IBM", "وDell"]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    found = tokenize(text)
    assert [t.text for t in found] == tokens
    assert all(text[t.start : t.end] == t.text for t in found)


def test_offsets_are_into_the_original_text() -> None:
    text = "أكدت وزارة الخارجية\u200e، في بيانها، أن لبنان…"
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
    assert [t.start for t in tokenize(text)][:3] == [0, 5, 11]


@pytest.mark.parametrize(
    "word, conj, prep, article, stem, with_article",
    [
        ("وبالمغرب", "و", "ب", True, "مغرب", "المغرب"),
        ("للمغرب", "", "ل", True, "مغرب", "المغرب"),  # ل ate the article's alef
        ("وللمغرب", "و", "ل", True, "مغرب", "المغرب"),
        ("والرباط", "و", "", True, "رباط", "الرباط"),
        ("بواشنطن", "", "ب", False, "واشنطن", "واشنطن"),
        ("لوزارة", "", "ل", False, "وزارة", "وزارة"),
        ("فالمغرب", "ف", "", True, "مغرب", "المغرب"),
        ("كالعادة", "", "ك", True, "عادة", "العادة"),
        ("المغرب", "", "", True, "مغرب", "المغرب"),
        ("وَالمغرب", "و", "", True, "مغرب", "المغرب"),  # a vowel mark after the clitic
        # too short a rest: the first letters are the word's own
        ("ولد", "", "", False, "ولد", "ولد"),
        ("الله", "", "", False, "الله", "الله"),
        ("لها", "", "", False, "لها", "لها"),
        ("بين", "", "", False, "بين", "بين"),
        ("ب", "", "", False, "ب", "ب"),
        ("", "", "", False, "", ""),
    ],
)
def test_split_clitics(word: str, conj: str, prep: str, article: bool, stem: str, with_article: str) -> None:
    split = split_clitics(word)
    assert (split.conj, split.prep, split.article, split.stem) == (conj, prep, article, stem)
    assert split.with_article == with_article
    assert word[split.offset :] == stem
