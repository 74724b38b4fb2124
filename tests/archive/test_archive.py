"""The archive with a real SQLite file and a real PostgreSQL database (``new_archive``, from
``conftest.py``: each test that takes it, or ``sample_archive``, runs once per backend): ingest,
re-ingest, updates, an interrupted ingest, search, show, stats and export, through the library and
the command as users run them. The tests of FTS5's parts and of SQLite's migrations are SQLite's."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from marsad.archive import Archive
from marsad.archive.schema import VERSION, partitions
from marsad.errors import ArchiveError, ConfigError
from marsad.jobs import ProcessOptions, ingest_files

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "crawled"
QUIET = ProcessOptions(progress=False)


def paragraphs() -> list[str]:
    """Body paragraphs of the project's own crawled fixtures (long lines only)."""
    out = []
    for path in sorted(FIXTURES.rglob("*.txt")):
        out += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) >= 15]
    return out


def indexed(archive: Archive) -> int:
    """Rows in the full-text index, all parts together (each part's rows inside its range, its count right)."""
    if not isinstance(archive.db, sqlite3.Connection):  # PostgreSQL: one table, a row per article in docs
        (rows,) = archive.db.execute("SELECT count(*) FROM fts").fetchone()
        (orphans,) = archive.db.execute("SELECT count(*) FROM fts f LEFT JOIN articles a ON a.rowid = f.docno & 4294967295"
                                        " WHERE a.rowid IS NULL").fetchone()
        assert orphans == 0
        return int(rows)
    counts = {t: archive.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t, _, _ in partitions(archive.db)}
    assert counts == dict(archive.db.execute("SELECT name, n FROM parts"))
    for t, lo, hi in partitions(archive.db):
        assert archive.db.execute(f"SELECT count(*) FROM {t} WHERE rowid NOT BETWEEN ? AND ?", (lo, hi)).fetchone()[0] == 0
    return sum(counts.values())


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def synthetic(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    pool = paragraphs()
    records = []
    for i in range(n):
        body = rng.sample(pool, 4)
        records.append({
            "id": f"a{i}", "url": f"https://news.example/{i}", "source": rng.choice(["الوادي", "الساحل", "النيل"]),
            "title": " ".join(body[0].split()[:8]), "published": f"2024-0{1 + i % 9}-1{i % 10}", "text": "\n\n".join(body),
        })
    return records


def marsad(*args: object, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *map(str, args)], capture_output=True, text=True, cwd=REPO, **kw)


def stored_articles(target: str | Path) -> int:
    """Articles committed in an archive, read by a connection of the test's own (0 before its schema exists)."""
    if isinstance(target, Path):
        with sqlite3.connect(target, timeout=1) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    import psycopg

    with psycopg.connect(target, connect_timeout=5) as con:
        if con.execute("SELECT to_regclass('articles')").fetchone()[0] is None:
            return 0
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])


@pytest.fixture
def sample_archive(new_archive) -> Path | str:
    db = new_archive()
    ingest_files([str(REPO / "samples")], db, QUIET)
    return db


def test_ingest_is_idempotent(new_archive, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", synthetic(60))
    db = new_archive()
    _, first = ingest_files([str(src)], db, QUIET)
    assert first == {"added": 60, "updated": 0, "unchanged": 0}
    _, again = ingest_files([str(src)], db, QUIET)  # the file is known: not even read
    assert again == {"added": 0, "updated": 0, "unchanged": 0}
    os.utime(src)  # touched: read again, every article found unchanged
    _, touched = ingest_files([str(src)], db, QUIET)
    assert touched == {"added": 0, "updated": 0, "unchanged": 60}
    with Archive(db) as archive:
        assert archive.stats()["articles"] == 60
        assert indexed(archive) == 60


def test_changed_article_is_updated_not_duplicated(new_archive, tmp_path):
    records = synthetic(5)
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "v1.jsonl", records))], db, QUIET)
    changed = dict(records[2], id="a2-v2", url="http://www.news.example/2/?utm_source=rss",
                   text=records[2]["text"] + "\n\nوفي آخر تطور، أعلنت الجهات المعنية عن تأجيل الموعد إلى الأسبوع المقبل.",
                   updated="2024-05-02T10:00:00+00:00")
    _, counts = ingest_files([str(write_jsonl(tmp_path / "v2.jsonl", [changed]))], db, QUIET)
    assert counts == {"added": 0, "updated": 1, "unchanged": 0}
    with Archive(db) as archive:
        assert archive.stats()["articles"] == 5
        found = archive.search("تأجيل الموعد")
        assert [h.id for h in found.results] == ["a2-v2"]
        assert archive.get("a2-v2")["updated"].startswith("2024-05-02")


def test_killed_ingest_resumes_and_loses_nothing(new_archive, tmp_path):
    records = synthetic(2500, seed=2)
    src = write_jsonl(tmp_path / "big.jsonl", records)
    db = new_archive()
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "ingest", str(src), "--archive", str(db), "--no-progress"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if isinstance(db, str) or db.exists():
            try:
                committed = stored_articles(db)
            except Exception:  # noqa: BLE001 - not created yet, or locked: look again
                continue
            if committed >= 500:
                break
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    interrupted = stored_articles(db)
    assert 500 <= interrupted < 2500
    done = marsad("ingest", src, "--archive", db, "--no-progress")
    assert done.returncode == 0, done.stderr
    with Archive(db) as archive:
        assert archive.stats()["articles"] == 2500
        assert indexed(archive) == 2500
        assert archive.db.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == 2500
        assert archive.search(records[-1]["title"]).total >= 1


HOSTILE = [
    '"', '""', '"الاتحاد', "(", ")", "((الرباط", "NEAR(الرباط مراكش)", "الرباط NEAR مراكش", "AND", "OR", "NOT",
    "*", "**", "-", "--", "الرباط OR", "OR الرباط", "الرباط -", "'; DROP TABLE articles; --", "1=1 OR",
    "title_exact:الرباط", "{body_stem}: x", "^الرباط", "الرباط" * 2000, "كلمة " * 2500, "\x00\x01", "😀",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_or_explain(sample_archive, query):
    with Archive(sample_archive) as archive:
        try:
            found = archive.search(query)
        except ConfigError as exc:
            assert str(exc) and "sqlite" not in str(exc).lower() and "fts5" not in str(exc).lower()
        else:
            assert found.total >= 0
        assert archive.stats()["articles"] == 8  # and nothing was harmed


@pytest.mark.parametrize(
    "query, title_part",
    [
        ("صوامع القمح", "صوامع القمح"),
        ("والقمح", "صوامع القمح"),
        ("بالترامواي", "ترامواي"),
        ('"الطاقة الشمسية"', "طاقة شمسية"),
        ("مسرح OR ترامواي", None),
        ("ترام*", "ترامواي"),
        ("الأردن مدرسة", "مدرسة"),
        ("الاردن مدرسه", "مدرسة"),
        ("الأُرْدُن", "الأردن"),
    ],
)
def test_search_finds_in_the_spelling_people_type(sample_archive, query, title_part):
    with Archive(sample_archive) as archive:
        found = archive.search(query)
    assert found.total >= 1
    if title_part:
        assert title_part in found.results[0].title


def test_one_result_per_cluster_with_copies(sample_archive):
    with Archive(sample_archive) as archive:
        found = archive.search("التموين صوامع")
    assert found.total == 1 and found.results[0].copies == 2
    assert "<mark>" in found.results[0].snippet


def test_filters_and_sort(sample_archive):
    with Archive(sample_archive) as archive:
        from datetime import date

        every = archive.search("في", limit=50)
        assert every.total >= 6
        june = archive.search("في", date_from=date(2024, 6, 1), date_to=date(2024, 6, 30), limit=50)
        assert 0 < june.total < every.total
        assert all(h.published.startswith("2024-06") for h in june.results)
        by_source = archive.search("في", source="الرياض تايمز")
        assert [h.source for h in by_source.results] == ["الرياض تايمز"]
        assert archive.search("في", lang="fa").total == 0
        dates = [h.published for h in archive.search("في", sort="date", limit=50).results]
        assert dates == sorted(dates, reverse=True)


def test_cli_search_json_shape(sample_archive):
    proc = marsad("search", "القمح", "--archive", sample_archive, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"total", "total_exact", "also_searched", "results"} and out["total"] == 1 and out["total_exact"] is True
    assert set(out["results"][0]) == {"id", "title", "url", "source", "published", "snippet", "score", "copies", "cluster"}


def test_cli_errors_are_one_clear_line(sample_archive, tmp_path):
    for args in (["search", "-- -القمح"], ["search", '"'], ["show", "nope"], ["search", "x", "--from", "yesterday"]):
        proc = marsad(*args, "--archive", sample_archive)
        assert proc.returncode == 1, args
        assert proc.stderr.startswith("marsad: error:") and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    missing = marsad("search", "القمح", "--archive", tmp_path / "none.db")
    assert missing.returncode == 1 and "no archive" in missing.stderr


def test_show_stats_export(sample_archive, tmp_path):
    with Archive(sample_archive) as archive:
        some_id = archive.search("القمح").results[0].id
    shown = json.loads(marsad("show", some_id, "--archive", sample_archive).stdout)
    assert shown["id"] == some_id and shown["text"] and shown["cluster_size"] == 2
    stats = json.loads(marsad("stats", "--archive", sample_archive, "--json").stdout)
    assert stats["articles"] == 8 and ["ar", 8] in stats["languages"]
    assert dict(stats["cluster_sizes"]) == {"1": 6, "2": 2}
    assert marsad("export", "--archive", sample_archive, "-o", tmp_path / "all.jsonl").returncode == 0
    rows = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8 and all(r["text"] for r in rows)
    assert marsad("export", "--archive", sample_archive, "--format", "parquet", "--query", "القمح", "-o", tmp_path / "q.parquet").returncode == 0
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "q.parquet")
    assert table.num_rows == 1 and "صوامع" in table.column("title")[0].as_py()


def test_store_then_load_returns_the_article(new_archive, tmp_path):
    records = synthetic(3)
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], db, QUIET)
    with Archive(db) as archive:
        for r in records:
            got = archive.get(r["id"])
            assert got["title"] == r["title"] and got["url"] == r["url"] and got["source"] == r["source"]
            assert got["text"] == r["text"] and got["published"] == r["published"]


def test_schema_version_and_newer_archive_refused(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {VERSION + 1}")
    with pytest.raises(ArchiveError, match="newer"):
        Archive(db)


def test_version_1_archive_is_migrated_and_searchable(tmp_path):
    from marsad.archive.schema import MIGRATIONS

    db = tmp_path / "old.db"
    con = sqlite3.connect(db, isolation_level=None)
    for statement in MIGRATIONS[1][0].split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute(
        "INSERT INTO articles (id, key, title, text, record) VALUES ('old-1', 'id:old-1', 'وصول أول قطار إلى مدينة بمصر', "
        "'وصل أول قطار كهربائي سريع إلى المدينة الجديدة في مصر صباح اليوم وسط احتفال رسمي كبير.', '{\"id\": \"old-1\"}')"
    )
    con.execute("PRAGMA user_version = 1")
    con.close()
    with Archive(db) as archive:
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert [h.id for h in archive.search("مصر قطار").results] == ["old-1"]


def test_version_9_archive_keeps_its_meta_in_a_rowid_table(tmp_path):
    # a WITHOUT ROWID meta read the saved dedup index whole for every small value it was asked for
    db = tmp_path / "v9.db"
    with Archive(db):
        pass
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("DROP TABLE meta; CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;"
                      " INSERT INTO meta VALUES ('names_articles', 123), ('names_pending', 4); PRAGMA user_version = 9;")
    con.close()
    with Archive(db) as archive:
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
        (sql,) = archive.db.execute("SELECT sql FROM sqlite_master WHERE name = 'meta'").fetchone()
        assert "WITHOUT ROWID" not in sql.upper()
        assert dict(archive.db.execute("SELECT name, value FROM meta")) == {"names_articles": 123, "names_pending": 4}


def test_saved_dedup_index_is_reused_even_when_rows_collapsed(new_archive, tmp_path, monkeypatch):
    records = synthetic(20)
    records.append(dict(records[0], id="same-url-again"))  # one URL twice: 21 articles, 20 rows
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], db, QUIET)
    from marsad.steps import dedup

    def no_rebuild(self, article):
        raise AssertionError("the index was rebuilt instead of loaded")

    monkeypatch.setattr(dedup.Deduplicator, "add", no_rebuild)
    with Archive(db) as archive:
        assert len(archive.load_dedup().members) == 21


def test_published_date_change_moves_the_article_in_date_order(new_archive, tmp_path):
    records = synthetic(5)
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], db, QUIET)
    moved = dict(records[0], published="2030-01-05", text=records[0]["text"] + "\n\nتحديث: أضيفت فقرة جديدة إلى الخبر.")
    ingest_files([str(write_jsonl(tmp_path / "y.jsonl", [moved]))], db, QUIET)
    from datetime import date

    with Archive(db) as archive:
        old_day = date.fromisoformat(records[0]["published"])
        assert archive.search("تحديث", date_from=old_day, date_to=old_day).total == 0
        assert [h.id for h in archive.search("تحديث", date_from=date(2030, 1, 1)).results] == ["a0"]
        assert archive.search("في", sort="date").results[0].id == "a0"
        (fts_rows,) = archive.db.execute("SELECT count(*) FROM docs").fetchone()
        assert fts_rows == 5


def test_window_bounds_the_work_and_says_the_total_is_estimated(new_archive, tmp_path, monkeypatch):
    from marsad.archive import search as search_module

    records = synthetic(80, seed=3)
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], db, QUIET)
    with Archive(db) as archive:
        full = archive.search("في", limit=100)
        assert full.total_exact and full.total == len(full.results) > 20
        monkeypatch.setattr(search_module, "WINDOW", 10)
        monkeypatch.setattr(search_module, "TITLE_WINDOW", 5)
        monkeypatch.setattr(search_module, "_CHUNK", 5)
        bounded = archive.search("في", limit=10)
        assert not bounded.total_exact
        assert 0.5 * full.total <= bounded.total <= 1.5 * full.total
        assert len(bounded.results) == 10 and len({h.id for h in bounded.results}) == 10
        newest = archive.search("في", sort="date", limit=10)
        assert len(newest.results) == 10
        dates = [h.published for h in newest.results]
        assert dates == sorted(dates, reverse=True)


def dated(n: int, seed: int) -> list[dict]:
    """``synthetic`` articles over three years, one in ten undated."""
    records = synthetic(n, seed=seed)
    for i, r in enumerate(records):
        r["published"] = None if i % 10 == 9 else f"{2021 + i % 3}-0{1 + i % 9}-1{i % 10}"
    return records


def test_parts_split_as_they_grow_and_are_searched_as_one(tmp_path, monkeypatch):
    from datetime import date

    from marsad.archive import schema, store
    from marsad.archive import search as search_module

    records = dated(60, seed=5)
    whole = tmp_path / "whole.db"
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], whole, QUIET)
    monkeypatch.setattr(schema, "SPLIT_AT", 16)
    monkeypatch.setattr(store, "BATCH", 10)
    db = tmp_path / "split.db"
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records))], db, QUIET)
    with Archive(whole) as one, Archive(db) as archive:
        parts = partitions(archive.db)
        assert len(parts) >= 4 and len(partitions(one.db)) == 1
        spans = sorted((lo, hi) for _, lo, hi in parts)
        assert spans[0][0] == 0 and spans[-1][1] == schema.MAX_DOCNO
        assert all(a[1] + 1 == b[0] for a, b in zip(spans, spans[1:]))  # the parts cover every docno once
        assert all(8 <= n <= 16 for (n,) in archive.db.execute("SELECT n FROM parts"))
        assert indexed(archive) == 60 and archive.db.execute("SELECT sum(n) FROM days").fetchone()[0] == 60
        for options in ({"sort": "date", "limit": 100}, {"limit": 100},
                        {"date_from": date(2022, 3, 1), "date_to": date(2022, 8, 31), "sort": "date"}):
            split, unsplit = archive.search("في", **options), one.search("في", **options)
            assert split.total == unsplit.total and split.total_exact
            if options.get("sort") == "date":
                assert [h.id for h in split.results] == [h.id for h in unsplit.results]
            else:
                assert {h.id for h in split.results} == {h.id for h in unsplit.results}
        assert archive.search("في", sort="date", limit=100).results[-1].published is None  # undated last
        monkeypatch.setattr(search_module, "WINDOW", 12)
        monkeypatch.setattr(search_module, "_CHUNK", 5)
        bounded = archive.search("في", limit=10)  # the window spans parts
        assert not bounded.total_exact and bounded.total == one.search("في", limit=100).total
        assert len({h.id for h in bounded.results}) == 10
        paged = [h.id for offset in (0, 10, 20) for h in archive.search("في", sort="date", limit=10, offset=offset).results]
        assert paged == [h.id for h in one.search("في", sort="date", limit=30).results]


def test_a_burst_of_news_is_counted_not_extrapolated(new_archive, tmp_path, monkeypatch):
    from marsad.archive import search as search_module

    records = dated(300, seed=2)
    burst = [dict(r, id=f"burst{i}", url=f"https://news.example/burst/{i}", published=f"2023-12-{20 + i % 10}",
                  title="زلزال قوي يضرب الساحل", text="زلزال بقوة ست درجات ضرب مدن الساحل فجر اليوم.\n\n" + r["text"])
             for i, r in enumerate(records[:40])]
    db = new_archive()
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records[40:] + burst))], db, QUIET)
    monkeypatch.setattr(search_module, "WINDOW", 12)
    monkeypatch.setattr(search_module, "_CHUNK", 4)
    with Archive(db) as archive:
        exact = len({h.id for h in archive.search("زلزال", limit=100).results})
        monkeypatch.setattr(search_module, "COUNT_MORE", 100)
        counted = archive.search("زلزال", limit=5)
        assert not counted.total_exact and abs(counted.total - exact) <= 2  # all counted: clusters scaled only
        monkeypatch.setattr(search_module, "COUNT_MORE", 10)
        guessed = archive.search("زلزال", limit=5)
        # past the count, an extrapolation over the quiet years before the burst: above what was seen, capped
        assert not guessed.total_exact and 12 <= guessed.total <= search_module.MAX_TOTAL


def test_a_failed_batch_leaves_the_archive_writable(new_archive, tmp_path):
    from marsad.article import Article

    def article(i: str, url: str, text: str, digest: str) -> Article:
        return Article(id=i, raw=text, text=text, title=text, published=date(2024, 1, 1), lang="ar", content_hash=digest, url=url)

    db = new_archive()
    with Archive(db) as archive:
        archive.write([article("p", "https://x/1", "سوق الخضر", "1"), article("q", "https://x/2", "سوق السمك", "2")])
        with pytest.raises(ArchiveError):  # the second takes q's URL and p's id: a UNIQUE failure, the batch rolls back
            archive.write([article("n", "https://x/3", "خبر جديد", "3"), article("p", "https://x/2", "سوق محدث", "4")])
        assert archive.write([article("n2", "https://x/5", "خبر آخر", "5")]) == {"added": 1, "updated": 0, "unchanged": 0}
        assert indexed(archive) == 3 and archive.search("خبر").total == 1


def test_a_long_ingest_leaves_its_parts_in_one_segment(tmp_path, monkeypatch):
    from marsad.archive import store

    monkeypatch.setattr(store, "BATCH", 10)  # a batch per transaction: FTS5 writes a segment per batch
    db = tmp_path / "a.db"

    def segments() -> int:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(DISTINCT segid) FROM fts_1_idx").fetchone()[0]

    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", synthetic(40)))], db, QUIET)
    assert segments() > 1  # below OPTIMIZE_AFTER: left to FTS5's own merging
    monkeypatch.setattr(store, "OPTIMIZE_AFTER", 30)
    ingest_files([str(write_jsonl(tmp_path / "y.jsonl", synthetic(80, seed=9)[40:]))], db, QUIET)
    assert segments() == 1
    with Archive(db) as archive:
        assert indexed(archive) == 80 and archive.search("في").total > 0


def test_version_3_archive_is_reindexed_in_parts(tmp_path, monkeypatch):
    from marsad.archive.schema import MIGRATIONS, docno

    db = tmp_path / "v3.db"
    con = sqlite3.connect(db, isolation_level=None)
    con.create_function("docno", 2, docno)
    for version in (1, 2, 3):
        for statement in MIGRATIONS[version][0].split(";"):
            if statement.strip():
                con.execute(statement)
    record = {"id": "v3-1", "topic": "economy", "entities": [{"text": "القاهرة", "label": "LOC", "start": 0, "end": 7, "canonical": "القاهرة"}]}
    con.execute(
        "INSERT INTO articles (id, key, title, day, text, topic, record) VALUES ('v3-1', 'id:v3-1', 'افتتاح سوق جديدة للخضر',"
        " '2019-04-02', 'القاهرة افتتحت سوقا جديدة للخضر والفواكه في حي شعبي صباح اليوم.', 'economy', ?)",
        (json.dumps(record, ensure_ascii=False),),
    )
    for i, day in enumerate(("2019-05-01", "2020-01-07", None, "2018-11-30"), start=2):  # and four more
        con.execute("INSERT INTO articles (id, key, title, day, text, record) VALUES (?, ?, 'سوق السمك', ?, ?, ?)",
                    (f"v3-{i}", f"id:v3-{i}", day, f"افتتحت سوق السمك الجديدة رقم {i} في الميناء.", json.dumps({"id": f"v3-{i}"})))
    con.execute("INSERT INTO docs (docno, cluster) SELECT docno(day, rowid), id FROM articles")
    con.execute("INSERT INTO entities VALUES (1, 'القاهرة', 'LOC', 1)")
    con.execute("PRAGMA user_version = 3")
    con.close()
    from marsad.archive import schema

    monkeypatch.setattr(schema, "FILL_SIZE", 2)  # the re-index fills parts of two articles
    with Archive(db) as archive:
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert [name for name, _, _ in partitions(archive.db)] == ["fts_3", "fts_2", "fts_1"]
        assert indexed(archive) == 5
        assert [h.id for h in archive.search("الخضر", entity="القاهرة", topic="economy").results] == ["v3-1"]
        assert [h.id for h in archive.search("السمك", sort="date").results] == ["v3-3", "v3-2", "v3-5", "v3-4"]
        assert archive.db.execute("SELECT count(*) FROM entities").fetchone()[0] == 1
        assert archive.db.execute("SELECT sum(n) FROM days").fetchone()[0] == 5
        # version 5's per-day counts, filled from the articles: what trends and entity pages read
        assert archive.db.execute("SELECT sum(n) FROM source_days").fetchone()[0] == 5
        assert archive.entity_trend("القاهرة", date_from=date(2019, 4, 1), date_to=date(2019, 4, 3))["series"][0]["total"] == 1
        assert archive.trends(date_from=date(2018, 11, 1), date_to=date(2020, 1, 31), interval="month")["series"][0]["total"] == 4
        assert archive.stats()["topics"] == [("economy", 1)]
        plan = " ".join(str(r) for r in archive.db.execute(
            "EXPLAIN QUERY PLAN SELECT topic, count(*) FROM articles WHERE topic IS NOT NULL GROUP BY 1"))
        assert "articles_topic" in plan  # version 6: counts by topic read the index


def test_entity_and_topic_filters_and_top_entities(new_archive, tmp_path):
    from marsad.article import Article, Entity

    def article(i: int, text: str, names: list[tuple[str, str]], topic: str) -> Article:
        ents = []
        for name, label in names:
            start = text.index(name)
            ents.append(Entity(name, label, start, start + len(name), name.removeprefix("و").removeprefix("ب")))
        return Article(id=f"e{i}", raw=text, text=text, title=text[:30], entities=ents, topic=topic, lang="ar")

    with Archive(new_archive()) as archive:
        archive.write([
            article(1, "فاز المنتخب على نظيره في الرباط بهدفين في مباراة ودية", [("الرباط", "LOC")], "sport"),
            article(2, "ارتفعت أسهم البنوك في بورصة الدار البيضاء بالمغرب اليوم", [("بالمغرب", "LOC"), ("الدار البيضاء", "LOC")], "economy"),
            article(3, "زار وزير الخارجية الرباط اليوم لبحث التعاون في مجال الطاقة", [("الرباط", "LOC")], "middleEast"),
        ])
        assert {h.id for h in archive.search("اليوم", entity="المغرب").results} == {"e2"}
        assert {h.id for h in archive.search("في", entity="الرباط").results} == {"e1", "e3"}
        assert {h.id for h in archive.search("في", entity="الرباط", topic="sport").results} == {"e1"}
        assert archive.search("في", topic="MiddleEast").results[0].id == "e3"
        assert archive.search("في", entity="الدار البيضاء").total == 1
        assert archive.search("في", entity="البيضاء الدار").total == 0
        with pytest.raises(ConfigError):
            archive.search("في", entity="،،")
        top = archive.stats()["entities"]
        assert top[0] == ["الرباط", "LOC", 2]


def test_stop_words_are_left_out_when_other_words_remain(sample_archive):
    from marsad.archive.search import parse_query

    assert [t.words for g in parse_query("صوامع بعد في القمح").groups for t in g] == [["صوامع"], ["القمح"]]
    assert [t.words for g in parse_query("في").groups for t in g] == [["في"]]
    assert [t.words for g in parse_query('"في القمح"').groups for t in g] == [["في", "القمح"]]
    with Archive(sample_archive) as archive:
        assert [h.id for h in archive.search("صوامع بعد القمح").results] == [h.id for h in archive.search("صوامع القمح").results]


def test_enrich_fills_an_archive_stored_without_enrichment(new_archive, tmp_path):
    db = new_archive()
    ingest_files([str(REPO / "samples")], db, ProcessOptions(progress=False, enrich=False))
    with Archive(db) as archive:
        stored = archive.stats()["articles"]
        assert archive.stats()["entities"] == [] and archive.stats()["topics"] == []
        assert archive.search("القمح", entity="وزارة التموين").total == 0
        pending = archive.unenriched()
        assert 0 < len(pending) <= stored
    first = marsad("enrich", "--archive", db, "--no-progress")
    assert first.returncode == 0, first.stderr
    assert f"enriched {len(pending)} of {len(pending)} articles to enrich" in first.stderr
    with Archive(db) as archive:
        assert archive.unenriched() == []
        assert archive.stats()["entities"] and archive.stats()["topics"]
        found = archive.search("القمح", entity="وزارة التموين")
        assert found.total >= 1
        record = archive.get(found.results[0].id)
        assert record["summary"] and record["keyphrases"] and record["topic"]
        entity_rows = archive.db.execute("SELECT count(*) FROM entities").fetchone()[0]
        assert indexed(archive) == stored == archive.db.execute("SELECT sum(n) FROM days").fetchone()[0]
    again = marsad("enrich", "--archive", db, "--no-progress")
    assert "enriched 0 of 0 articles to enrich" in again.stderr
    redo = marsad("enrich", "--archive", db, "--all", "--no-progress")  # same models: same fields, no row twice
    assert f"enriched {len(pending)} of {len(pending)}" in redo.stderr
    with Archive(db) as archive:
        assert archive.db.execute("SELECT count(*) FROM entities").fetchone()[0] == entity_rows
        assert indexed(archive) == stored == archive.db.execute("SELECT count(*) FROM docs").fetchone()[0]
        assert archive.search("القمح", entity="وزارة التموين").total == found.total


def test_a_writer_sees_a_split_another_process_made(tmp_path, monkeypatch):
    from marsad.archive import schema

    monkeypatch.setattr(schema, "SPLIT_AT", 16)
    db = tmp_path / "a.db"
    records = dated(30, seed=4)
    ingest_files([str(write_jsonl(tmp_path / "x.jsonl", records[:10]))], db, QUIET)
    with Archive(db) as stale, Archive(db) as other:
        assert len(partitions(stale.db)) == 1
        other.write(_articles(records[10:]))  # past 16: the other connection splits the part
        assert len(partitions(other.db)) == 2
        changed = _articles(records[:10])
        for a in changed:
            a.text += "\n\nتحديث: أضيفت فقرة عن المطر."
            a.content_hash = None
        assert stale.write(changed)["updated"] == 10  # through the parts as they are now, not as first read
        assert indexed(stale) == 30
        assert stale.search("المطر", limit=20).total == 10


def _articles(records: list[dict]) -> list:
    from marsad.article import Article
    from marsad.steps.readers import parse_timestamp

    return [Article(id=r["id"], raw=r["text"], text=r["text"], title=r["title"], url=r["url"], source=r["source"],
                    published=parse_timestamp(r["published"]), lang="ar", content_hash=r["id"]) for r in records]


def test_enrich_leaves_an_article_it_fails_on_as_it_was(new_archive, tmp_path, monkeypatch):
    from marsad.jobs import enrich_archive
    from marsad.steps import enrich

    db = new_archive()
    ingest_files([str(REPO / "samples")], db, ProcessOptions(progress=False, enrich=False))
    with Archive(db) as archive:
        pending = archive.unenriched()
    broken = pending[0]
    original = enrich.ArticleEnricher.enrich

    def enrich_or_fail(self, article, topic=None):
        if article.id == broken:
            raise RuntimeError("the tagger broke on this one")
        return original(self, article, topic)

    monkeypatch.setattr(enrich.ArticleEnricher, "enrich", enrich_or_fail)
    stats, counts = enrich_archive(db, progress=False)
    assert counts == {"pending": len(pending), "enriched": len(pending) - 1}
    assert stats.errors["enrich_failed"] == 1
    with Archive(db) as archive:
        assert archive.unenriched() == [broken]  # still to do; the others are done
        assert indexed(archive) == archive.stats()["articles"]


@pytest.mark.parametrize("args, total", [
    (["-القمح صوامع"], 0),                       # the query opens with an excluded word, no "--" needed
    (["--limit", "1", "-القمح صوامع"], 0),       # after an option and its value
    (["-الرياض صوامع"], 1),
    (["صوامع القمح"], 1),
    (["--", "-الرياض صوامع"], None),             # "--" as argparse has it: what follows is positional
])
def test_cli_query_may_open_with_an_exclusion(sample_archive: Path, args: list[str], total: int | None) -> None:
    if total is None:
        proc = marsad("search", "--archive", sample_archive, "--json", *args)
    else:
        proc = marsad("search", *args, "--archive", sample_archive, "--json")
    assert proc.returncode == 0, proc.stderr
    if total is not None:
        assert json.loads(proc.stdout)["total"] == total
    else:
        assert json.loads(proc.stdout)["total"] == 1


def test_cli_search_starts_without_the_pipeline() -> None:
    # marsad search reads the archive only: the steps, models and their libraries stay unloaded
    code = ("import sys, marsad.cli, marsad.archive; marsad.Archive;"
            " print(sorted(m for m in sys.modules if m.startswith(('marsad.steps', 'marsad.nlp', 'numpy', 'trafilatura'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", proc.stdout


@pytest.mark.parametrize("span, sort, label", [
    (7, "count", None),        # a week: the days read from the day index
    (30, "change", None),
    (90, "count", "LOC"),
    (3650, "change", None),    # a decade: the whole table read in its own order
])
def test_top_entities_are_the_same_read_by_day_or_whole(sample_archive, monkeypatch, span, sort, label):
    from datetime import timedelta

    from marsad.archive import views

    with Archive(sample_archive) as archive:
        end = date.fromordinal(archive.db.execute("SELECT max(day) FROM days").fetchone()[0])
        options = dict(date_from=end - timedelta(days=span - 1), date_to=end, sort=sort, label=label, limit=50)
        monkeypatch.setattr(views, "WHOLE_SCAN", 1.0)  # never the whole table
        by_day = archive.top_entities(**options)
        monkeypatch.setattr(views, "WHOLE_SCAN", -1.0)  # always
        whole = archive.top_entities(**options)
    assert by_day["entities"] and by_day == whole
