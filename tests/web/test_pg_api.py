"""``marsad serve`` over a PostgreSQL archive: the same fixtures ingested into a SQLite file and into
a database, each served by a real server; the API gives the same answers from both, and an article
posted to the PostgreSQL server is found at once (its kept answers are dropped on the write)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
TOKEN = "pg-test-token-51c"


@pytest.fixture(scope="module")
def clients(pg_cluster, serving, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """A client of the SQLite server and one of the PostgreSQL server, over the same articles."""
    start, stop = serving
    folder = tmp_path_factory.mktemp("pg-web")
    targets = [str(folder / "web.db"), pg_cluster.create_database()]
    procs = []
    try:
        for i, target in enumerate(targets):
            subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", FIXTURES / "articles.jsonl",
                            FIXTURES / "hostile.jsonl", "--archive", target, "--no-progress"], check=True, capture_output=True)
            procs.append(start(target, TOKEN, folder / f"serve{i}.log"))
        with httpx.Client(base_url=procs[0][1], timeout=30) as a, httpx.Client(base_url=procs[1][1], timeout=30) as b:
            yield a, b
    finally:
        for proc, _ in procs:
            stop(proc)


GETS = [
    "/api/search?q=الربط الكهربائي",
    "/api/search?q=الأردن مصر&sort=date&limit=5",
    "/api/search?q=المياه&from=2024-03-01&to=2024-03-31",
    "/api/articles/mashriq-2024-04-08-power-link",
    "/api/clusters/mashriq-2024-04-08-power-link",
    "/api/trends?q=الكهرباء&interval=week&from=2024-03-01&to=2024-04-30",
    "/api/trends?by=source&interval=month&from=2024-03-01&to=2024-04-30",
    "/api/entities?from=2024-04-01&to=2024-04-10",
    "/api/entities/سامر الحديدي",
    "/api/sources",
    "/api/stats",
    "/api/articles/no-such-article",
    "/api/search?q=\"",
    "/",
    "/search?q=الربط الكهربائي",
]


@pytest.mark.parametrize("path", GETS)
def test_the_api_answers_alike_from_both_backends(clients, path: str) -> None:
    a, b = clients
    ra, rb = a.get(path), b.get(path)
    assert rb.status_code == ra.status_code, rb.text
    if ra.headers["content-type"].startswith("application/json"):
        assert rb.json() == ra.json()
    else:
        assert rb.text == ra.text


def test_an_article_posted_to_the_postgresql_server_is_found_at_once(clients) -> None:
    _, b = clients
    before = b.get("/api/search", params={"q": "زيزفون"}).json()  # kept by the server until the archive changes
    assert before["total"] == 0
    line = ('{"id": "pg-posted-1", "url": "https://wadi-news.example/2024/04/20/linden", "source": "أخبار الوادي",'
            ' "title": "أشجار الزيزفون تزهر في حدائق المدينة", "published": "2024-04-20T08:00:00+03:00", "text":'
            ' "أزهرت أشجار الزيزفون في حدائق المدينة مبكراً هذا العام بسبب الدفء، وقال مهندسو البلدية إن الموسم سيطول.\\n\\n'
            'وتوافد السكان على الحدائق لالتقاط الصور، فيما دعت البلدية إلى عدم قطف الأزهار."}\n')
    r = b.post("/api/ingest", content=line.encode("utf-8"),
               headers={"content-type": "application/x-ndjson", "authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    after = b.get("/api/search", params={"q": "زيزفون"}).json()
    assert [h["id"] for h in after["results"]] == ["pg-posted-1"]
