"""Golden crawled-text documents (tests/fixtures/crawled): headline, byline, body, junk removed."""

import json

import pytest

from marsad import process_text
from marsad.pipeline import chain
from marsad.steps import default_steps
from marsad.steps.readers import Reader

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

CRAWLED = FIXTURES / "crawled"
GOLD = json.loads((CRAWLED / "expected.json").read_text(encoding="utf-8"))


def _processed_same_site():
    articles = list(chain(Reader([str(CRAWLED / "same_site")]), default_steps()))
    return {f"same_site/{a.origin.path.rsplit('/', 1)[1]}": a for a in articles}


def _iso(value):
    if value is None:
        return None
    text = value.isoformat()
    return text[:16] if "T" in text else text


def check(article, gold):
    assert article.title == gold["title"]
    assert article.author == gold["author"]
    assert _iso(article.published) == gold["published"]
    assert _iso(article.updated) == gold["updated"]
    paragraphs = article.text.split("\n\n")
    assert article.text.startswith(gold["body_starts"]), paragraphs[0]
    assert article.text.endswith(gold["body_ends"]), paragraphs[-1]
    assert len(paragraphs) == gold["paragraphs"], paragraphs
    for junk in gold["must_not_contain"]:
        assert junk not in article.text
    for keep in gold["must_contain"]:
        assert keep in article.text
    # nothing is lost: every removed line is recorded with a reason
    assert all(r.reason for r in article.boilerplate)


@pytest.mark.parametrize("name", sorted(k for k in GOLD if not k.startswith("same_site/")))
def test_crawled_document(name):
    raw = (CRAWLED / name).read_text(encoding="utf-8")
    check(process_text(raw), GOLD[name])


@pytest.mark.parametrize("name", sorted(k for k in GOLD if k.startswith("same_site/")))
def test_same_site_documents_in_one_batch(name):
    check(_processed_same_site()[name], GOLD[name])


def test_seed_document(seed_path):
    article = process_text(seed_path.read_text(encoding="utf-8"))
    assert article.title == "الولايات المتحدة تشيد بجهود المغرب المستمرة والتعاون الثنائي الوثيق في مكافحة الإرهاب"
    assert article.author == "مدير الموقع"
    assert article.published.isoformat() == "2023-03-03"
    assert article.updated is None
    assert article.text.startswith("في تقريرها عن الإرهاب")
    assert article.text.endswith("والأمن السيبراني.")
    for junk in ("الاخبار العاجلة", "الصحراء واحد", "مدير الموقع", "آخر تحديث"):
        assert junk not in article.text
    assert article.text.count("الولايات المتحدة تشيد بجهود المغرب المستمرة والتعاون") == 0
    reasons = [r.reason for r in article.boilerplate]
    assert reasons.count("repeated_title") == 2 and "ticker" in reasons and "byline" in reasons
