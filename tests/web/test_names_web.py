"""One name, every spelling, as the observatory shows it (issue 13): the API says which spellings it
added, the page says so in Arabic with a link to search the name as typed, and an entity is found
by any of its spellings. Over ``marsad serve`` on the names fixture archive (see ``conftest.py``)."""

from __future__ import annotations

import httpx
import pytest
from lxml import html as lxml_html  # trafilatura's own HTML parser: installed with marsad


@pytest.mark.parametrize("params, total, also", [
    ({"q": "ترمب"}, 8, {"ترمب": ["ترامب"]}),
    ({"q": "ترمب", "exact_names": "true"}, 4, {}),
    ({"q": '"ترامب"'}, 4, {}),
    ({"q": "كاميرون"}, 1, {}),
])
def test_api_search_folds_names_and_says_so(names_client: httpx.Client, params: dict[str, str], total: int,
                                            also: dict[str, list[str]]) -> None:
    r = names_client.get("/api/search", params=params)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == total and body["also_searched"] == also


def test_api_trends_count_every_spelling(names_client: httpx.Client) -> None:
    folded = names_client.get("/api/trends", params={"q": "ترمب", "interval": "month"}).json()
    exact = names_client.get("/api/trends", params={"q": "ترمب", "interval": "month", "exact_names": "true"}).json()
    assert sum(p["count"] for s in folded["series"] for p in s["points"]) == 8
    assert sum(p["count"] for s in exact["series"] for p in s["points"]) == 4


def test_api_entity_by_any_spelling(names_client: httpx.Client) -> None:
    r = names_client.get("/api/entities/ترمب")
    assert r.status_code == 200 and r.json()["name"] == "دونالد ترامب"
    assert r.json()["spellings"] == [["ترامب", "ترمب"]]
    page = lxml_html.fromstring(names_client.get("/entities/ترمب").text)
    assert "ترمب" in page.xpath("//p[@class='also']")[0].text_content()
    listed = [e["name"] for e in names_client.get("/api/entities", params={"from": "2024-05-01", "to": "2024-05-31"}).json()["entities"]]
    assert "دونالد ترامب" in listed and "ترامب" not in listed and "دولار" not in listed


def test_page_says_what_was_also_searched(names_client: httpx.Client) -> None:
    page = lxml_html.fromstring(names_client.get("/search", params={"q": "ترمب"}).text)
    also = page.xpath("//p[@class='also']")
    assert also and "ترامب" in also[0].text_content()
    link = also[0].xpath(".//a/@href")[0]
    assert "exact_names=1" in link
    exact = lxml_html.fromstring(names_client.get(link).text)
    assert "الأسماء كما كُتبت فقط" in exact.xpath("//p[@class='also']")[0].text_content()
    assert len(exact.xpath("//li[@class='hit']")) == 4
    assert len(page.xpath("//li[@class='hit']")) == 8
