"""Snippets of search results: the densest run of query words, marked, escaped; and the fold that
lets most words of a body be ruled out before they are analysed (it must never rule out a word the
full analysis would mark). Texts are written for these tests."""

from __future__ import annotations

import pytest

from marsad.archive.search import make_snippet, parse_query
from marsad.text.analysis import alternative, core_fold, stem, stem_core, tokens

# a written word, as it may stand in a text: its stem's core (and its alternative's) is in its fold
WORDS = [
    "ويستعد",        # Snowball writes the verb prefix يست as است
    "تستقبل", "نستطيع", "سينستيا",
    "والمؤتمرات",    # hamza seat, article, conjunction
    "لِلْمُفَاوَضَات",  # diacritics
    "مدرســة",        # tatweel, teh marbuta
    "بمصر",          # a clitic the stem keeps, and its alternative
    "ﻻعبون",         # a presentation form (lam-alef)
    "Google's", "GOOGLE", "İstanbul",
    "٢٠١٩م", "مستشفى",
]


@pytest.mark.parametrize("raw", WORDS)
def test_every_form_of_a_word_holds_its_core(raw):
    folded = core_fold(raw)
    for token in tokens(raw):
        assert core_fold(token) in folded
        assert stem_core(stem(token)) in folded, (token, stem(token))
        other = alternative(token)
        assert other is None or stem_core(other) in folded


BODY = ("بدأت الحكومة أمس مشاورات مع النقابات حول الأجور . " * 3
        + "وقال وزير المالية إن الميزانية الجديدة تستعد لزيادة الأجور في القطاع العام . "
        + "وأضاف أن الوزارة ستعلن التفاصيل لاحقا . " * 6)

SNIPPETS = [
    # query, text, what the snippet must hold, and must not
    ("الأجور", BODY, ["<mark>الأجور</mark>"], []),
    ("يستعد", BODY, ["<mark>تستعد</mark>"], []),              # the same stem, another verb prefix
    ("الميزانية الأجور", BODY, ["<mark>الميزانية</mark>", "… "], []),  # the densest run, not the first
    ("برلمان", BODY, ["بدأت الحكومة", " …"], ["<mark>", "… "]),  # no match: the first words
    ("الحكومة", "<b>الحكومة</b> & الشعب", ["&lt;b&gt;الحكومة&lt;/b&gt;", "&amp;"], ["<b>"]),
    ("حكوم*", "قالت الحكومات إن الحكم", ["<mark>الحكومات</mark>"], ["<mark>الحكم</mark>"]),
]


@pytest.mark.parametrize("query,text,holds,lacks", SNIPPETS, ids=[row[0] for row in SNIPPETS])
def test_snippet(query, text, holds, lacks):
    snippet = make_snippet(text, parse_query(query))
    for part in holds:
        assert part in snippet, snippet
    for part in lacks:
        assert part not in snippet, snippet


def test_first_of_equally_dense_runs_and_width():
    words = [f"كلمة{i}" for i in range(100)]
    words[10] = words[60] = "الأجور"
    snippet = make_snippet(" ".join(words), parse_query("الأجور"), width=20)
    assert snippet.startswith("كلمة0 ") and snippet.count("<mark>") == 1 and snippet.endswith(" …")
    words[62] = "الأجور"
    snippet = make_snippet(" ".join(words), parse_query("الأجور"), width=20)
    assert snippet.startswith("… كلمة43 ") and snippet.count("<mark>") == 2
    assert len(snippet.replace("… ", "").replace(" …", "").split()) == 20
