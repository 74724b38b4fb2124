"""The HTTP API of the running server (``marsad serve``) over the fixture archive: every endpoint with
good and bad parameters, the one error shape, the security headers, and the CLI's answers for the
same questions (``marsad search --json``, ``marsad show``, ``marsad stats --json``)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLES = [json.loads(line) for name in ("articles.jsonl", "hostile.jsonl")
            for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
#: words a client must never see in an error: SQL and Python internals
LEAKS = ("Traceback", "sqlite", "SELECT", "OperationalError", "IntegrityError", 'File "', "site-packages", "MATCH",
         "fts5", "syntax error")


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """``response`` is ``status`` with exactly the one error shape (and leaks nothing)."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    for leak in LEAKS:
        assert leak not in response.text, (leak, response.text)
    return body  # type: ignore[no-any-return]


# ---------------------------------------------------------------- bad requests, one shape

LONG = "ق" * 1001
BAD = [
    # (path, status, error code, what the message names)
    ("/api/search", 422, "invalid_parameter", "q"),
    ("/api/search?q=", 422, "invalid_parameter", "q"),
    (f"/api/search?q={LONG}", 422, "invalid_parameter", "q"),
    ("/api/search?q=الربط&from=2024-13-01", 422, "invalid_parameter", "from"),
    ("/api/search?q=الربط&to=yesterday", 422, "invalid_parameter", "to"),
    ("/api/search?q=الربط&from=2024-02-30", 422, "invalid_parameter", "from"),
    ("/api/search?q=الربط&limit=0", 422, "invalid_parameter", "limit"),
    ("/api/search?q=الربط&limit=101", 422, "invalid_parameter", "limit"),
    ("/api/search?q=الربط&limit=ten", 422, "invalid_parameter", "limit"),
    ("/api/search?q=الربط&offset=-1", 422, "invalid_parameter", "offset"),
    ("/api/search?q=الربط&offset=10001", 422, "invalid_parameter", "offset"),
    ("/api/search?q=الربط&sort=oldest", 422, "invalid_parameter", "sort"),
    ("/api/search?q=الربط&source=" + "م" * 201, 422, "invalid_parameter", "source"),
    ('/api/search?q="', 422, "invalid_parameter", "query"),
    ("/api/search?q=-الربط", 422, "invalid_parameter", "exclude"),
    ("/api/search?q=*", 422, "invalid_parameter", "query"),
    ("/api/trends?interval=year", 422, "invalid_parameter", "interval"),
    ("/api/trends?interval=", 422, "invalid_parameter", "interval"),
    ("/api/trends?by=topic", 422, "invalid_parameter", "by"),
    ("/api/trends?from=2024-04-10&to=2024-03-01", 422, "invalid_parameter", "after"),
    ("/api/trends?from=1900-01-01&to=2024-04-10&interval=day", 422, "invalid_parameter", "periods"),
    ("/api/trends?from=04/01/2024", 422, "invalid_parameter", "from"),
    (f"/api/trends?q={LONG}", 422, "invalid_parameter", "q"),
    ("/api/entities?limit=0", 422, "invalid_parameter", "limit"),
    ("/api/entities?limit=501", 422, "invalid_parameter", "limit"),
    ("/api/entities?label=PERSON", 422, "invalid_parameter", "label"),
    ("/api/entities?sort=rising", 422, "invalid_parameter", "sort"),
    ("/api/entities?from=2024-04-10&to=2024-04-01", 422, "invalid_parameter", "after"),
    ("/api/entities/سامر الحديدي?interval=hour", 422, "invalid_parameter", "interval"),
    ("/api/entities/سامر الحديدي?from=2024-04-31", 422, "invalid_parameter", "from"),
    ("/api/entities/" + "س" * 201, 422, "invalid_parameter", "name"),
    ("/api/articles/no-such-article", 404, "not_found", "no-such-article"),
    ("/api/articles/%27%3B%20DROP%20TABLE%20articles%3B--", 404, "not_found", "DROP"),
    ("/api/clusters/no-such-story", 404, "not_found", "no-such-story"),
    ("/api/entities/لا أحد بهذا الاسم", 404, "not_found", "لا أحد"),
    ("/api/nothing-here", 404, "not_found", None),
    ("/api", 404, "not_found", None),
    ("/api/articles", 404, "not_found", None),
]


@pytest.mark.parametrize("path, status, code, names", BAD, ids=[b[0][:60] for b in BAD])
def test_bad_requests_have_the_one_error_shape(client: httpx.Client, path: str, status: int, code: str, names: str | None) -> None:
    body = assert_error(client.get(path), status, code)
    if names is not None:
        assert names.lower() in body["error"]["message"].lower(), body


@pytest.mark.parametrize("path", [
    "/api/entities?from=1012-01-01",
    "/api/entities?to=0001-01-01",
    "/api/trends?to=0001-01-03",
    "/api/trends?from=9999-12-30&to=9999-12-31&interval=month",
    "/api/entities/سامر الحديدي?to=0001-01-03",
    "/api/entities/سامر الحديدي?from=9999-12-30&to=9999-12-31&interval=month",
])
def test_dates_at_the_ends_of_the_calendar(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert_error(r, 422, "invalid_parameter")


@pytest.mark.parametrize("method, path, status, code", [
    ("POST", "/api/search?q=الربط", 405, "method_not_allowed"),
    ("DELETE", "/api/articles/rafidain-87002", 405, "method_not_allowed"),
    ("PUT", "/api/stats", 405, "method_not_allowed"),
    ("GET", "/api/ingest", 405, "method_not_allowed"),
])
def test_wrong_methods(client: httpx.Client, method: str, path: str, status: int, code: str) -> None:
    assert_error(client.request(method, path), status, code)


def test_unknown_page_is_a_page_not_json(client: httpx.Client) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'dir="rtl"' in r.text and "Traceback" not in r.text


# ---------------------------------------------------------------- security headers

@pytest.mark.parametrize("path", ["/", "/search?q=الربط", "/articles/rafidain-87002", "/sources", "/docs",
                                  "/api/stats", "/api/search?q=الربط", "/api/nothing", "/nothing", "/openapi.json",
                                  "/static/style.css"])
def test_security_headers(client: httpx.Client, path: str) -> None:
    h = client.get(path).headers
    csp = {d.strip().split(" ")[0]: d.strip() for d in h["content-security-policy"].split(";") if d.strip()}
    assert csp["default-src"] == "default-src 'none'"
    assert csp["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no CDN
    assert "'unsafe-inline'" not in h["content-security-policy"] and "'unsafe-eval'" not in h["content-security-policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'" and csp["base-uri"] == "base-uri 'none'"
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    assert "server" not in h or "uvicorn" not in h["server"].lower()


# ---------------------------------------------------------------- search: exactly the CLI's answer

SEARCHES: list[dict[str, str]] = [
    {"q": "الربط الكهربائي"},
    {"q": "الربط الكهربائي", "sort": "date"},
    {"q": "الربط الكهربائي", "sort": "date", "limit": "2", "offset": "1"},
    {"q": "الربط الكهربائي", "limit": "1", "offset": "3"},
    {"q": "والبنك الدولى"},  # clitic and final yaa spelled as people type them
    {"q": '"الاتحاد الأوروبي"'},
    {"q": "القمح OR الزيتون"},
    {"q": "وزير -الكهرباء"},
    {"q": "صوام*"},
    {"q": "الربط", "source": "صحيفة الساحل"},
    {"q": "الربط", "from": "2024-04-09", "to": "2024-04-10"},
    {"q": "وزارة", "from": "2024-03-01", "to": "2024-03-31", "sort": "date"},
    {"q": "العقبة", "entity": "سامر الحديدي"},
    {"q": "وزارة", "topic": "economy"},
    {"q": "grid", "lang": "en"},
    {"q": "Jordan Egypt"},
    {"q": "زعفرانية"},
    {"q": "كلمةلاوجودلها"},
    {"q": "الربط", "offset": "50"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=[" ".join(f"{k}={v}" for k, v in p.items()) for p in SEARCHES])
def test_search_is_the_cli_search(server: Any, client: httpx.Client, params: dict[str, str]) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    args: list[str] = ["search", params["q"], "--archive", str(server.archive), "--json"]
    for k, v in params.items():
        if k != "q":
            args += [f"--{k}", v]
    cli = json.loads(server.cli(*args).stdout)
    assert r.json() == cli


@pytest.mark.parametrize("q, expect_ids", [
    # a story's copies are one hit, with the number of copies
    ("الربط الكهربائي", {"mashriq-2024-04-08-power-link", "mashriq-2024-04-10-power-followup"}),
    ("صفاقس", {"sahil-2024-03-06-fishermen", "hostile-3"}),
    ("زعفرانية", {"hostile-1", '"><svg onload=alert(1)>', "hostile-3"}),
    ("كلمةلاوجودلها", set()),
])
def test_search_finds_the_fixture_articles(client: httpx.Client, q: str, expect_ids: set[str]) -> None:
    body = client.get("/api/search", params={"q": q, "limit": 100}).json()
    assert {h["cluster"] or h["id"] for h in body["results"]} == expect_ids
    assert body["total"] == len(expect_ids)
    for hit in body["results"]:
        assert hit["copies"] == (4 if hit["cluster"] == "mashriq-2024-04-08-power-link" else 1), hit


def test_search_sort_date_is_newest_first(client: httpx.Client) -> None:
    hits = client.get("/api/search", params={"q": "وزارة OR وزير", "sort": "date", "limit": 100}).json()["results"]
    assert len(hits) >= 5
    days = [h["published"][:10] for h in hits]
    assert days == sorted(days, reverse=True)


# ---------------------------------------------------------------- articles, stats: the CLI's answers

@pytest.mark.parametrize("article_id", ["rafidain-87002", "gulf-observer-2024-04-09-energy", "hostile-1",
                                        '"><svg onload=alert(1)>'])
def test_article_is_marsad_show(server: Any, client: httpx.Client, article_id: str) -> None:
    from urllib.parse import quote

    r = client.get("/api/articles/" + quote(article_id, safe=""))
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(server.cli("show", article_id, "--archive", server.archive).stdout)
    source = next(a for a in ARTICLES if a["id"] == article_id)
    assert r.json()["title"] == source["title"] and r.json()["source"] == source["source"]


def test_stats_is_marsad_stats(server: Any, client: httpx.Client) -> None:
    cli = json.loads(server.cli("stats", "--archive", server.archive, "--json").stdout)
    assert client.get("/api/stats").json() == cli


def test_sources(client: httpx.Client) -> None:
    stats = client.get("/api/stats").json()
    sources = client.get("/api/sources").json()["sources"]
    assert {s["source"]: s["articles"] for s in sources} == {name: n for name, n in stats["sources"]}
    by_name = {s["source"]: s for s in sources}
    gulf = by_name["Gulf Observer"]
    assert gulf["languages"] == {"en": 1}
    sahil = by_name["صحيفة الساحل"]
    assert sahil["first"] == "2024-03-06" and sahil["last"] >= "2024-04-10"
    assert all(0 <= s["flagged_share"] <= 1 for s in sources)


# ---------------------------------------------------------------- clusters: the syndication timeline

def _instant(text: str) -> datetime:
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def test_cluster_timeline(server: Any, client: httpx.Client) -> None:
    story = client.get(f"/api/clusters/{server.story}").json()
    copies = story["copies"]
    assert story["size"] == 4 and story["sources"] == 4 and story["original"] == server.story
    assert copies[0]["id"] == server.story and copies[0]["original"] is True
    assert [c["original"] for c in copies[1:]] == [False] * 3
    assert {c["source"] for c in copies} == {"وكالة أنباء المشرق", "صحيفة الساحل", "الرافدين اليوم", "بوابة الخليج"}
    for c in copies:
        assert set(c) >= {"id", "source", "url", "title", "published"}
    # in the order they were published: by the instant, whatever each publisher's UTC offset
    assert [c["id"] for c in copies] == [c["id"] for c in sorted(copies, key=lambda c: _instant(c["published"]))]


def test_cluster_of_a_story_told_once(client: httpx.Client) -> None:
    story = client.get("/api/clusters/rafidain-87002").json()
    assert story["size"] == 1 and [c["id"] for c in story["copies"]] == ["rafidain-87002"]
    assert story["copies"][0]["original"] is True


def test_every_copy_points_to_its_story(server: Any, client: httpx.Client) -> None:
    for c in client.get(f"/api/clusters/{server.story}").json()["copies"]:
        assert client.get(f"/api/articles/{c['id']}").json()["cluster"] == server.story


# ---------------------------------------------------------------- trends

def _published_days(source: str | None = None) -> Counter[date]:
    return Counter(date.fromisoformat(a["published"][:10]) for a in ARTICLES if source in (None, a["source"]))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.mark.parametrize("start, end", [(date(2024, 3, 1), date(2024, 4, 10)), (date(2024, 4, 5), date(2024, 4, 10)),
                                        (date(2024, 3, 22), date(2024, 3, 26))])
def test_trend_counts_every_day_with_zeros(client: httpx.Client, start: date, end: date) -> None:
    body = client.get("/api/trends", params={"from": start.isoformat(), "to": end.isoformat(), "interval": "day"}).json()
    assert body["interval"] == "day"
    [series] = body["series"]
    expected = _published_days()
    assert series["points"] == [{"t": d.isoformat(), "count": expected.get(d, 0)} for d in _days(start, end)]


def test_trend_by_week_and_month(client: httpx.Client) -> None:
    weeks = client.get("/api/trends", params={"from": "2024-03-04", "to": "2024-04-14", "interval": "week"}).json()
    ts = [p["t"] for p in weeks["series"][0]["points"]]
    assert ts == [(date(2024, 3, 4) + timedelta(weeks=i)).isoformat() for i in range(6)]  # Mondays
    per_week = Counter(d - timedelta(days=d.weekday()) for d in _published_days().elements())
    assert [p["count"] for p in weeks["series"][0]["points"]] == [per_week.get(date.fromisoformat(t), 0) for t in ts]
    months = client.get("/api/trends", params={"from": "2024-01-01", "to": "2024-04-30", "interval": "month"}).json()
    points = months["series"][0]["points"]
    assert [p["t"] for p in points] == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    march = sum(n for d, n in _published_days().items() if d.month == 3)
    april = sum(n for d, n in _published_days().items() if d.month == 4)
    assert points[0]["count"] == 0 and points[2]["count"] == march and points[3]["count"] == april


def test_trend_by_source(client: httpx.Client) -> None:
    start, end = date(2024, 3, 1), date(2024, 4, 10)
    body = client.get("/api/trends", params={"from": start.isoformat(), "to": end.isoformat(), "by": "source"}).json()
    series = {s["key"]: s for s in body["series"]}
    sources = {a["source"] for a in ARTICLES if start <= date.fromisoformat(a["published"][:10]) <= end}
    assert set(series) == sources
    for name, s in series.items():
        expected = _published_days(name)
        assert s["points"] == [{"t": d.isoformat(), "count": expected.get(d, 0)} for d in _days(start, end)], name
        assert s["total"] == sum(expected.values())
    totals = [s["total"] for s in body["series"]]
    assert totals == sorted(totals, reverse=True)  # the biggest source first


@pytest.mark.parametrize("params", [{"q": "الربط الكهربائي"}, {"q": "وزارة", "source": "الرافدين اليوم"},
                                    {"q": "الأردن", "topic": "economy"}, {"q": "عمّان", "entity": "سامر الحديدي"}])
def test_trend_of_a_query_counts_its_matches(client: httpx.Client, params: dict[str, str]) -> None:
    span = {"from": "2024-03-01", "to": "2024-04-10"}
    trend = client.get("/api/trends", params={**params, **span}).json()
    per_day = _matching_articles(client, {**params, **span})
    assert per_day
    assert {p["t"]: p["count"] for p in trend["series"][0]["points"] if p["count"]} == dict(per_day)
    assert len(trend["series"][0]["points"]) == 41


def test_trend_of_an_entity(client: httpx.Client) -> None:
    body = client.get("/api/trends", params={"entity": "سامر الحديدي", "from": "2024-04-01", "to": "2024-04-10"}).json()
    counts = {p["t"]: p["count"] for p in body["series"][0]["points"] if p["count"]}
    assert counts == _matching_articles(client, {"q": "الحديدي", "entity": "سامر الحديدي"})
    assert sum(counts.values()) >= 6


def _matching_articles(client: httpx.Client, params: dict[str, str]) -> dict[str, int]:
    """Articles per day that a search finds, each hit counted with all the copies of its story
    (search shows a story once; a trend counts every article)."""
    per_day: Counter[str] = Counter()
    for hit in client.get("/api/search", params={**params, "limit": 100}).json()["results"]:
        if hit["copies"] > 1:
            per_day.update(c["published"][:10] for c in client.get(f"/api/clusters/{hit['cluster']}").json()["copies"])
        else:
            per_day[hit["published"][:10]] += 1
    return dict(per_day)


# ---------------------------------------------------------------- entities

def _entity_counts(archive: Path, start: date, end: date) -> Counter[tuple[str, str]]:
    """Articles naming each entity, published from ``start`` to ``end``: read from the articles'
    own entity rows, each mapped to its referent (the names learned as one, issue 13; a word learned
    as not a name left out), not from the per-day counts the API reads."""
    db = sqlite3.connect(archive)
    try:
        rows = db.execute("SELECT DISTINCT a.id, a.published, r.ref, r.ref_label FROM entities e"
                          " JOIN entity_refs r ON r.name = e.name AND r.label = e.label"
                          " JOIN articles a ON a.rowid = e.article WHERE r.ref IS NOT NULL").fetchall()
    finally:
        db.close()
    return Counter((name, label) for _, published, name, label in rows
                   if published and start <= date.fromisoformat(published[:10]) <= end)


@pytest.mark.parametrize("params, start, end", [
    ({}, date(2024, 4, 4), date(2024, 4, 10)),  # default: the latest seven days
    ({"from": "2024-04-08", "to": "2024-04-10"}, date(2024, 4, 8), date(2024, 4, 10)),
    ({"from": "2024-03-01", "to": "2024-03-31", "label": "PER"}, date(2024, 3, 1), date(2024, 3, 31)),
    ({"sort": "change"}, date(2024, 4, 4), date(2024, 4, 10)),
    ({"sort": "change", "label": "LOC", "limit": "3"}, date(2024, 4, 4), date(2024, 4, 10)),
])
def test_entities_and_their_change(server: Any, client: httpx.Client, params: dict[str, str], start: date, end: date) -> None:
    body = client.get("/api/entities", params=params).json()
    assert (body["from"], body["to"]) == (start.isoformat(), end.isoformat())
    length = end - start + timedelta(days=1)
    now = _entity_counts(server.archive, start, end)
    before = _entity_counts(server.archive, start - length, start - timedelta(days=1))
    rows = body["entities"]
    assert rows and len(rows) <= int(params.get("limit", 20))
    for row in rows:
        key = (row["name"], row["label"])
        assert row["count"] == now[key] > 0, row
        assert row["previous"] == before.get(key, 0), row
        assert row["change"] == row["count"] - row["previous"]
        if "label" in params:
            assert row["label"] == params["label"]
    field = "change" if params.get("sort") == "change" else "count"
    assert [r[field] for r in rows] == sorted((r[field] for r in rows), reverse=True)
    if params.get("sort") == "change":
        assert body["sort"] == "change"
        assert rows[0]["name"] == "سامر الحديدي" or rows[0]["change"] >= 5


def test_entity(server: Any, client: httpx.Client) -> None:
    body = client.get("/api/entities/سامر الحديدي").json()
    assert body["name"] == "سامر الحديدي" and body["labels"][0]["label"] == "PER"
    assert body["articles"] >= 6
    assert {s["source"] for s in body["sources"]} >= {"وكالة أنباء المشرق", "صحيفة الساحل"}
    assert "العقبة" in {c["name"] for c in body["companions"]}
    latest = [a["published"][:10] for a in body["latest"]]
    assert latest == sorted(latest, reverse=True)
    points = body["trend"]["series"][0]["points"]
    assert sum(p["count"] for p in points) == body["articles"]
    assert body["trend"]["interval"] == "week"


# ---------------------------------------------------------------- ingest

@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_ingest_read_only_server_refuses(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    monkeypatch.delenv("MARSAD_TOKEN", raising=False)
    with TestClient(create_app(server.archive)) as c:
        r = c.post("/api/ingest", content=b'{"id": "x", "text": "y"}', headers={"content-type": "application/x-ndjson",
                                                                                  "authorization": "Bearer anything"})
        assert_error(r, 403, "forbidden")


@pytest.mark.parametrize("headers, body, status, code", [
    ({"content-type": "application/x-ndjson"}, b'{"id": "x"}', 401, "unauthorized"),
    ({"content-type": "application/x-ndjson", "authorization": "Bearer wrong"}, b'{"id": "x"}', 401, "unauthorized"),
    ({"content-type": "application/x-ndjson", "authorization": "Basic dGVzdA=="}, b'{"id": "x"}', 401, "unauthorized"),
    ({"content-type": "text/plain", "authorization": "Bearer {token}"}, b"x", 415, "unsupported_media_type"),
    ({"content-type": "image/png", "authorization": "Bearer {token}"}, b"x", 415, "unsupported_media_type"),
    ({"content-type": "application/x-ndjson", "authorization": "Bearer {token}"}, b"  \n", 400, "bad_request"),
])
def test_ingest_refusals(server: Any, client: httpx.Client, headers: dict[str, str], body: bytes, status: int, code: str) -> None:
    headers = {k: v.replace("{token}", server.token) for k, v in headers.items()}
    assert_error(client.post("/api/ingest", content=body, headers=headers), status, code)


def test_ingest_rejects_a_non_http_url(server: Any, client: httpx.Client) -> None:
    r = client.post("/api/ingest", params={"url": "javascript:alert(1)"}, content=b"<p>x</p>",
                    headers={"content-type": "text/html", "authorization": f"Bearer {server.token}"})
    assert_error(r, 422, "invalid_parameter")


INGESTED = [
    {"id": "ingest-test-1", "url": "https://wadi-news.example/2024/02/20/dates", "source": "أخبار الوادي",
     "title": "مزارعو وادي الأردن يبدؤون تصدير التمور إلى أسواق الخليج", "author": "هالة القضاة",
     "published": "2024-02-20T09:00:00+02:00",
     "text": "بدأ مزارعو وادي الأردن تصدير أولى شحنات التمور من صنف المجهول إلى أسواق الخليج، وسط توقعات بموسم وفير.\n\n"
             "وقال رئيس اتحاد المزارعين إن الطلب على التمور الأردنية ارتفع في السنوات الأخيرة."},
    {"id": "ingest-test-2", "url": "https://wadi-news.example/2024/02/21/bees", "source": "أخبار الوادي",
     "title": "مربو النحل في عجلون يشكون تراجع الإنتاج", "author": "هالة القضاة", "published": "2024-02-21T10:00:00+02:00",
     "text": "يشكو مربو النحل في محافظة عجلون من تراجع إنتاج العسل هذا العام بسبب موجات البرد المتأخرة.\n\n"
             "وطالبوا وزارة الزراعة بتعويضهم عن الخسائر."},
]


def test_ingest_json_lines_then_read_them(server: Any, client: httpx.Client) -> None:
    body = "\n".join(json.dumps(a, ensure_ascii=False) for a in INGESTED).encode("utf-8")
    r = client.post("/api/ingest", content=body, headers={"content-type": "application/x-ndjson",
                                                            "authorization": f"Bearer {server.token}"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert sorted(got["ids"]) == ["ingest-test-1", "ingest-test-2"] and got["read"] == 2 and got["errors"] == {}
    for a in INGESTED:
        stored = client.get(f"/api/articles/{a['id']}").json()
        assert stored["title"] == a["title"] and stored["source"] == "أخبار الوادي"
    hits = client.get("/api/search", params={"q": "النحل عجلون"}).json()["results"]
    assert [h["id"] for h in hits] == ["ingest-test-2"]
    again = client.post("/api/ingest", content=body, headers={"content-type": "application/x-ndjson",
                                                             "authorization": f"Bearer {server.token}"}).json()
    assert again["added"] == 0 and sorted(again["ids"]) == ["ingest-test-1", "ingest-test-2"]


def test_ingest_an_html_page(server: Any, client: httpx.Client) -> None:
    page = ("<!doctype html><html lang='ar'><head><title>افتتاح مكتبة عامة في إربد</title>"
            "<meta property='article:published_time' content='2024-02-22T08:00:00+02:00'></head><body>"
            "<article><h1>افتتاح مكتبة عامة في إربد</h1>"
            "<p>افتتحت بلدية إربد الكبرى مكتبة عامة جديدة في وسط المدينة تضم أكثر من عشرين ألف كتاب باللغتين العربية والإنجليزية.</p>"
            "<p>وقال رئيس البلدية إن المكتبة ستفتح أبوابها للطلبة والباحثين طوال أيام الأسبوع، وستنظم ورشاً للقراءة للأطفال.</p>"
            "<p>وتضم المكتبة قاعة للحواسيب ومساحة للعمل المشترك، في إطار خطة لتحويل وسط المدينة إلى مركز ثقافي.</p>"
            "</article></body></html>")
    r = client.post("/api/ingest", params={"url": "https://irbid-news.example/library", "source": "أخبار إربد"},
                    content=page.encode("utf-8"),
                    headers={"content-type": "text/html; charset=utf-8", "authorization": f"Bearer {server.token}"})
    assert r.status_code == 200, r.text
    [article_id] = r.json()["ids"]
    stored = client.get(f"/api/articles/{article_id}").json()
    assert stored["url"] == "https://irbid-news.example/library" and stored["source"] == "أخبار إربد"
    assert "مكتبة عامة" in stored["title"] and "عشرين ألف كتاب" in stored["text"]


# ---------------------------------------------------------------- the OpenAPI document

def test_openapi_documents_every_endpoint(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {"/api/search", "/api/articles/{article_id}", "/api/clusters/{cluster_id}", "/api/trends",
                                  "/api/entities", "/api/entities/{name}", "/api/sources", "/api/stats", "/api/ingest"}
    assert not any(p == "/" or not p.startswith("/api/") for p in spec["paths"])  # pages stay out of the API
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/trends" in docs.text
