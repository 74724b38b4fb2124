"""Enrichment as users get it: from ``marsad.process_text``, ``marsad process`` and ``marsad ingest``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import marsad
from marsad.article import Article
from marsad.steps.enrich import ArticleEnricher, EnrichOptions

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_0fa0585ff18cc73d.txt"

# written for these tests, in the style of a wire story
STORY = """استقبل الرئيس التونسي قيس سعيد في قصر قرطاج يوم الثلاثاء وفدا من البنك الدولي برئاسة نائب رئيسه لمنطقة الشرق الأوسط.

وقال بيان للرئاسة إن اللقاء تناول سبل دعم مشاريع الطاقة الشمسية في الجنوب التونسي وتمويل شبكات المياه في ولايات الوسط.

وأكد وزير الاقتصاد التونسي أن "الحكومة ستطلق خلال الأشهر المقبلة برنامجا لتحديث محطات تحلية المياه في صفاقس وقابس".

من جهته أوضح ممثل البنك الدولي أن المؤسسة مستعدة لمرافقة تونس في إصلاح منظومة الدعم وتحسين مناخ الاستثمار.
"""

TOPICS = {"internationalNews", "middleEast", "sport", "economy", "technology", "culture"}


def test_process_text_enriches_an_article():
    article = marsad.process_text(STORY)
    names = {(e.canonical, e.label) for e in article.entities}
    assert ("البنك الدولي", "ORG") in names
    assert any(label == "LOC" and name in ("تونس", "صفاقس", "قابس", "قرطاج") for name, label in names)
    for e in article.entities:
        assert article.text[e.start:e.end] == e.text
    assert article.topic in TOPICS and 0 < article.topic_score <= 1
    assert 3 <= len(article.keyphrases) <= 10
    quote = next(q for q in article.quotes if q.kind == "direct")
    assert quote.text.startswith("الحكومة ستطلق") and article.text[quote.start:quote.end] == quote.text
    assert quote.speaker and "وزير الاقتصاد" in quote.speaker
    assert article.summary and article.summary.split()[0] in article.text
    # whole sentences of the article, in its order
    parts = re.split(r"(?<=[.؟!])\s+", article.summary)
    assert all(p in article.text for p in parts)
    assert [article.text.index(p) for p in parts] == sorted(article.text.index(p) for p in parts)


def test_entities_tags_text_exactly_as_given():
    text = "  وصل وفد من وزارة الخارجية الأمريكية إلى الرباط،   قادما من واشنطن"
    found = marsad.entities(text)
    assert [(e.canonical, e.label) for e in found][-2:] == [("الرباط", "LOC"), ("واشنطن", "LOC")]
    assert all(text[e.start:e.end] == e.text for e in found)
    assert all(isinstance(e, marsad.Entity) for e in found)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article lives in ../shared")
def test_seed_entities_and_quote():
    article = marsad.process_text(SEED.read_text(encoding="utf-8"))
    names = {(e.canonical, e.label) for e in article.entities}
    for loc in ("الولايات المتحدة", "المغرب", "واشنطن", "الرباط", "كندا"):
        assert (loc, "LOC") in names, loc
    assert ("وزارة الخارجية الأمريكية", "ORG") in names
    wanted = "لدى الولايات المتحدة والمغرب تاريخ طويل من التعاون المتين في مكافحة الإرهاب"
    quote = next(q for q in article.quotes if q.text == wanted)
    assert quote.speaker == "وزارة الخارجية الأمريكية"


def test_non_arabic_bodies_are_left_alone_and_failures_keep_the_article(monkeypatch):
    step = ArticleEnricher(EnrichOptions(topic=False))
    english = Article(id="en", raw="x", text="The minister visited Rabat on Tuesday.", lang="en")
    arabic = Article(id="ar", raw="x", text=STORY, lang="ar")

    def broken(text: str):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(step.tagger, "tag", broken)  # the process's shared tagger: restored after the test
    errors = []
    step.on_error = lambda article, name, exc: errors.append((article.id, str(exc)))
    out = list(step([english, arabic]))
    assert [a.id for a in out] == ["en", "ar"]
    assert english.entities == [] and english.summary is None
    assert errors == [("ar", "model exploded")] and step.stats["error"] == 1
    assert step.stats["skipped:not_arabic_or_empty"] == 1


def marsad_cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def test_process_ingest_search_and_stats_carry_enrichment(tmp_path):
    out = tmp_path / "out.jsonl"
    assert marsad_cli("process", "samples", "-o", out).returncode == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(r["topic"] in TOPICS and r["summary"] and r["keyphrases"] for r in rows)
    assert sum(len(r["entities"]) for r in rows) >= 10
    bare = marsad_cli("process", "samples", "--no-enrich", "-o", tmp_path / "bare.jsonl")
    assert bare.returncode == 0
    assert all(json.loads(x)["entities"] == [] for x in (tmp_path / "bare.jsonl").read_text(encoding="utf-8").splitlines())

    db = tmp_path / "m.db"
    assert marsad_cli("ingest", "samples", "--archive", db, "--no-progress").returncode == 0
    stats = json.loads(marsad_cli("stats", "--archive", db, "--json").stdout)
    assert stats["entities"] and stats["topics"]
    name, label, count = stats["entities"][0]
    assert count >= 2 and label in ("PER", "ORG", "LOC", "MISC")
    # every article the top entity's filter finds names it; and one topic filter narrows a search
    found = json.loads(marsad_cli("search", "في", "--entity", name, "--archive", db, "--json", "--limit", "50").stdout)
    assert found["total"] >= 1
    for hit in found["results"]:
        shown = json.loads(marsad_cli("show", hit["id"], "--archive", db).stdout)
        assert name in {e["canonical"] for e in shown["entities"]}
    topic = stats["topics"][0][0]
    by_topic = json.loads(marsad_cli("search", "في", "--topic", topic, "--archive", db, "--json", "--limit", "50").stdout)
    everything = json.loads(marsad_cli("search", "في", "--archive", db, "--json", "--limit", "50").stdout)
    assert 0 < by_topic["total"] <= everything["total"]
