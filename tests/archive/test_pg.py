"""The PostgreSQL archive against the SQLite one and under load: one corpus ingested into both gives the
same top results for a table of queries; several processes writing overlapping batches at once lose
and duplicate nothing; its errors are one clear line (a refused connection, a database without an
archive, a newer schema, psycopg missing)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from marsad.archive import Archive, pg_schema
from marsad.errors import ArchiveError
from marsad.jobs import ProcessOptions, ingest_files

REPO = Path(__file__).resolve().parents[2]
QUIET = ProcessOptions(progress=False)
CORPUS = [REPO / "tests" / "web" / "fixtures" / "articles.jsonl", REPO / "tests" / "archive" / "fixtures" / "names.jsonl",
          REPO / "samples"]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_archive import synthetic, write_jsonl  # noqa: E402


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, pg_cluster) -> tuple[Path, str]:
    """The same corpus (the web and names fixtures, the samples, 300 synthetic articles) in a SQLite
    file and in a PostgreSQL database, ingested in the same order."""
    folder = tmp_path_factory.mktemp("both")
    extra = write_jsonl(folder / "synthetic.jsonl", synthetic(300, seed=7))
    paths = [str(p) for p in CORPUS] + [str(extra)]
    sqlite, pg = folder / "a.db", pg_cluster.create_database()
    for target in (sqlite, pg):
        ingest_files(paths, target, QUIET)
    return sqlite, pg


#: words, clitics, phrases, names in two spellings, OR, NOT, prefixes, stop words, filters, sorts, English
QUERIES: list = [
    ("الربط الكهربائي", {}),
    ('"الربط الكهربائي"', {}),
    ("والكهرباء مصر", {}),
    ("ترمب", {}),
    ("ترامب", {"exact_names": True}),
    ("حملة ترمب", {}),
    # FTS5's bm25() over a full scan counts no instance of the exact phrases of a name term matched
    # through the second of two ORed name terms (وتونس in a headline scores 4.18 in the scan, 14.68
    # when the same row is asked for alone, ``rowid = ?``); PostgreSQL gives every row the latter
    pytest.param("الأردن OR تونس", {}, marks=pytest.mark.xfail(strict=True, reason="FTS5 drops phrase instances in a scan")),
    ("الاتحاد الاوروبى -زيت", {}),
    ("القمح", {}),
    ("بالقمح صوامع", {}),
    ("المياه", {"date_from": date(2024, 3, 1), "date_to": date(2024, 3, 31)}),
    ("في", {"source": "صحيفة الساحل", "limit": 20}),
    ("اتفاقية", {"sort": "date"}),
    ("ترام*", {}),
    ("البنك الدولي", {"entity": "البنك الدولي"}),
    ("المدينة", {"limit": 10}),
    ("الحكومة وزير", {"limit": 10}),
    ("في", {"limit": 10, "offset": 5}),
    ("Egypt power", {}),
]


def hits(archive: Archive, query: str, options: dict) -> tuple[list[tuple[str, float]], int, bool]:
    found = archive.search(query, **options)
    return [(h.id, h.score) for h in found.results], found.total, found.total_exact


@pytest.mark.parametrize("query, options", QUERIES, ids=[str(q.values[0] if hasattr(q, "values") else q[0]) for q in QUERIES])
def test_both_backends_give_the_same_top_results(both, query: str, options: dict) -> None:
    sqlite, pg = both
    with Archive(sqlite, create=False) as a, Archive(pg, create=False) as b:
        want, got = hits(a, query, options), hits(b, query, options)
    assert want[0], f"{query!r} finds nothing: not a test of ranking"
    assert [i for i, _ in got[0]] == [i for i, _ in want[0]]  # the same articles, in the same order
    assert [s for _, s in got[0]] == pytest.approx([s for _, s in want[0]], abs=2e-4)  # with FTS5's BM25 scores
    assert got[1:] == want[1:]  # the same total


def test_both_backends_give_the_same_views(both) -> None:
    sqlite, pg = both
    with Archive(sqlite, create=False) as a, Archive(pg, create=False) as b:
        for ask in (lambda x: x.stats(), lambda x: x.top_stories(), lambda x: x.sources(), lambda x: x.span(),
                    lambda x: x.trends(q="الربط الكهربائي", interval="week"), lambda x: x.trends(by="source", interval="month"),
                    lambda x: x.top_entities(), lambda x: x.top_entities(sort="change", date_from=date(2024, 4, 1)),
                    lambda x: x.facets("في"), lambda x: x.entity("ترمب"), lambda x: x.entity_trend("ترامب"),
                    lambda x: x.cluster("mashriq-2024-04-08-power-link"), lambda x: x.names(everything=True, limit=500),
                    lambda x: x.get("names-05"), lambda x: list(x.records())):
            assert ask(b) == ask(a)


def test_cli_commands_answer_alike(both, tmp_path: Path) -> None:
    sqlite, pg = both

    def run(*args: object) -> str:
        done = subprocess.run([sys.executable, "-m", "marsad.cli", *map(str, args)], capture_output=True, text=True,
                              cwd=REPO, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    for args in (("stats", "--json"), ("search", "الربط الكهربائي", "--json"), ("show", "names-05"), ("names", "--json")):
        assert run(*args, "--archive", pg) == run(*args, "--archive", sqlite), args
    for target, out in ((sqlite, tmp_path / "a.jsonl"), (pg, tmp_path / "b.jsonl")):
        run("export", "--archive", target, "-o", out)
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8") == (tmp_path / "b.jsonl").read_text(encoding="utf-8")


WRITER = """
import json, sys
from marsad.archive import Archive, store
from marsad.article import Article
from marsad.steps.readers import parse_timestamp
store.BATCH = int(sys.argv[3])
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
articles = [Article(id=r["id"], raw=r["text"], text=r["text"], title=r["title"], url=r["url"], source=r["source"],
                    published=parse_timestamp(r["published"]), lang="ar", content_hash=r["hash"],
                    updated=parse_timestamp(r.get("updated"))) for r in records]
with Archive(sys.argv[1]) as archive:
    print(json.dumps(archive.write(articles)))
"""


def test_concurrent_writers_lose_and_duplicate_nothing(pg_url: str, tmp_path: Path) -> None:
    records = synthetic(240, seed=9)
    for r in records:
        r["hash"] = "v1-" + r["id"]
    newer = {r["id"]: dict(r, text=r["text"] + "\n\nتحديث: جملة أضيفت إلى الخبر.", hash="v2-" + r["id"],
                           updated="2024-10-01T10:00:00+00:00") for r in records[::3]}
    rng = random.Random(3)
    procs = []
    for k in range(6):  # each writer: 160 of the 240, some in their second version, in its own order
        mine = rng.sample(records, 160)
        mine = [newer[r["id"]] if r["id"] in newer and rng.random() < 0.5 else r for r in mine]
        path = write_jsonl(tmp_path / f"w{k}.jsonl", mine)
        procs.append(subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(path), str(7 + 3 * k)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO))
    counts = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        counts.append(json.loads(out))
    written = {r["id"] for r in records}
    assert sum(c["added"] for c in counts) == len(written)  # each article added by exactly one writer
    with Archive(pg_url, create=False) as archive:
        db = archive.db
        assert db.execute("SELECT count(*), count(DISTINCT key), count(DISTINCT id) FROM articles").fetchone() == (240, 240, 240)
        assert {i for (i,) in db.execute("SELECT id FROM articles")} == written
        # the index, the narrow rows and the per-day counts hold each article once
        assert db.execute("SELECT count(*) FROM fts").fetchone()[0] == 240 == db.execute("SELECT count(*) FROM docs").fetchone()[0]
        assert db.execute("SELECT count(*) FROM fts f JOIN articles a ON a.rowid = f.docno & 4294967295"
                          " AND f.docno >> 32 = docno(a.day, a.rowid) >> 32").fetchone()[0] == 240
        assert db.execute("SELECT sum(n) FROM days").fetchone()[0] == 240 == db.execute("SELECT sum(n) FROM source_days").fetchone()[0]
        # each stored text is one of its versions, and its index is that version's
        for article_id, text, digest in db.execute("SELECT id, text, content_hash FROM articles"):
            versions = {"v1-" + article_id: next(r for r in records if r["id"] == article_id)["text"]}
            if article_id in newer:
                versions["v2-" + article_id] = newer[article_id]["text"]
            assert versions.get(digest) == text
        updated = archive.search("تحديث جملة أضيفت", limit=200)
        (v2,) = db.execute("SELECT count(*) FROM articles WHERE content_hash LIKE 'v2-%'").fetchone()
        assert updated.total == v2 > 0


def test_a_refused_connection_names_the_database_without_its_password() -> None:
    url = "postgresql://marsad:s3cret-pass@127.0.0.1:1/news"
    with pytest.raises(ArchiveError) as caught:
        Archive(url, create=False)
    message = str(caught.value)
    assert "postgresql://marsad:***@127.0.0.1:1/news" in message and "s3cret" not in message
    assert "\n" not in message and "cannot connect" in message


def test_a_database_without_an_archive_is_refused_unless_created(pg_url: str) -> None:
    with pytest.raises(ArchiveError, match="no marsad archive in this database"):
        Archive(pg_url, create=False)
    with Archive(pg_url) as archive:  # created
        assert archive.count() == 0
    with Archive(pg_url, create=False) as archive:
        assert archive.db.execute("SELECT max(version) FROM marsad_schema").fetchone()[0] == pg_schema.VERSION


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    with Archive(pg_url) as archive:
        archive.db.execute("INSERT INTO marsad_schema (version) VALUES (99)")
    with pytest.raises(ArchiveError, match="newer"):
        Archive(pg_url)


def test_the_cli_says_when_psycopg_is_missing(pg_url: str) -> None:
    code = ("import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None;"
            " from marsad.cli import main; sys.exit(main(['stats', '--archive', sys.argv[1]]))")
    done = subprocess.run([sys.executable, "-c", code, pg_url], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1
    assert "pip install 'marsad[postgres]'" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_crawl_state_says_it_needs_sqlite(pg_url: str) -> None:
    with Archive(pg_url) as archive, pytest.raises(ArchiveError, match="needs a SQLite archive"):
        archive.followed()


@pytest.mark.parametrize("args", [("sources", "list"), ("sources", "add", "https://news.example/"), ("crawl",)])
def test_crawl_commands_say_they_need_sqlite(pg_url: str, args: tuple[str, ...]) -> None:
    Archive(pg_url).close()
    done = subprocess.run([sys.executable, "-m", "marsad.cli", *args, "--archive", pg_url],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1 and "SQLite archive" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
