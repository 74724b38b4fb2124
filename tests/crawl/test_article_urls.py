"""Which links of a seed page are articles: a table of addresses, and a floor on real ones."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from marsad.crawl.listings import looks_like_article

ANT = Path(__file__).resolve().parents[3] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"

CASES = [  # (address, an article?)
    ("https://news.example/news/2026/03/14/wheat-silos-expansion", True),
    ("https://news.example/2026-03-14/story", True),
    ("https://news.example/article/1234567", True),
    ("https://news.example/Details.aspx?id=88231", True),
    ("https://news.example/economy/ميناء-وهران-يطلق-خدمة-رقمية", True),
    ("https://news.example/ar/video/20180610-قمة-مجموعة-السبع", True),
    ("https://news.example/", False),
    ("https://news.example/section/economy", False),
    ("https://news.example/tag/القمح", False),
    ("https://news.example/category/sports/page/2", False),
    ("https://news.example/author/salma-haddad-writer", False),
    ("https://news.example/about", False),
    ("https://news.example/contact-us-form-page/", True),  # a slug of several words: taken (then fetched and judged)
    ("https://news.example/search?q=القمح", False),
    ("https://news.example/uploads/2026/03/photo-of-the-port.jpg", False),
    ("https://news.example/feed", False),
    ("mailto:desk@news.example", False),
]


@pytest.mark.parametrize(("url", "article"), CASES, ids=[u for u, _ in CASES])
def test_an_address_shaped_like_an_article(url: str, article: bool) -> None:
    assert looks_like_article(url) is article


@pytest.mark.skipif(not ANT.exists(), reason="../shared/data is absent")
def test_real_article_addresses_are_taken() -> None:
    """ANT's 31,525 article URLs of five newsrooms (in-sample: the rule on /video/ was changed after
    seeing them)."""
    urls = [u for u in (json.loads(line).get("url") for line in gzip.open(ANT, "rt", encoding="utf-8")) if u]
    share = sum(map(looks_like_article, urls)) / len(urls)
    assert len(urls) > 30_000 and share >= 0.99
