"""Parquet in and out: the round trip (process to Parquet, read it with pyarrow and DuckDB, process it
again: the same articles), files split by size, and files that are not what their name says."""

from __future__ import annotations

import json
import os
import random
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marsad.cli import main
from marsad.steps.parquet import ParquetSink, schema
from marsad.steps.readers import Reader

SAMPLES = str(Path(__file__).resolve().parents[2] / "samples")


def _records(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _same(a: dict, b: dict) -> list[str]:  # type: ignore[type-arg]
    """The fields that differ, dates compared as instants (Parquet keeps them in UTC)."""
    def instant(value: object) -> object:
        return datetime.fromisoformat(value).timestamp() if isinstance(value, str) and len(value) > 10 else value
    return [k for k in a if k != "origin" and a[k] != b.get(k) and instant(a[k]) != instant(b.get(k))]


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("parquet")
    assert main(["process", SAMPLES, "-o", str(tmp / "out.parquet"), "--no-progress"]) == 0
    assert main(["process", SAMPLES, "-o", str(tmp / "out.jsonl"), "--no-progress"]) == 0
    return tmp / "out.parquet", tmp / "out.jsonl"


def test_every_field_is_a_typed_column(processed: tuple[Path, Path]) -> None:
    parquet, jsonl = processed
    table = pq.read_table(parquet)
    assert table.schema.equals(schema())
    records = _records(jsonl)
    assert table.num_rows == len(records) == 8
    assert set(records[0]) <= set(table.schema.names)  # every field of the JSON output
    types = {name: table.schema.field(name).type for name in table.schema.names}
    assert types["published"] == pa.timestamp("us", tz="UTC")
    assert pa.types.is_list(types["entities"]) and pa.types.is_struct(types["entities"].value_type)
    assert pa.types.is_list(types["quotes"]) and pa.types.is_struct(types["quotes"].value_type)
    assert types["keyphrases"] == pa.list_(pa.string()) and types["topic_score"] == pa.float64()
    rows = table.to_pylist()
    for record, row in zip(records, rows):
        assert row["id"] == record["id"] and row["text"] == record["text"]
        assert row["entities"] == record["entities"] and row["quotes"] == record["quotes"]
        assert {q["name"]: q["value"] for q in row["quality"]} == pytest.approx(record["quality"])
        if record["published"] and len(record["published"]) == 10:  # a day, kept as a day
            assert row["published_has_time"] is False and row["published"].date() == date.fromisoformat(record["published"])


def test_duckdb_reads_it_as_it_is(processed: tuple[Path, Path]) -> None:
    duckdb = pytest.importorskip("duckdb")
    parquet, jsonl = processed
    con = duckdb.connect()
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()
    labels = dict(con.execute(f"SELECT e.label, count(*) FROM (SELECT unnest(entities) AS e FROM read_parquet('{parquet}'))"
                              " GROUP BY 1").fetchall())
    newest = con.execute(f"SELECT max(published) FROM read_parquet('{parquet}')").fetchone()[0]
    records = _records(jsonl)
    assert n == len(records)
    assert sum(labels.values()) == sum(len(r["entities"]) for r in records)
    assert newest.year == max(int(r["published"][:4]) for r in records if r["published"])


def test_processing_the_parquet_again_gives_the_same_articles(processed: tuple[Path, Path], tmp_path: Path) -> None:
    parquet, jsonl = processed
    assert main(["process", str(parquet), "-o", str(tmp_path / "again.jsonl"), "--no-progress"]) == 0
    first, again = _records(jsonl), _records(tmp_path / "again.jsonl")
    assert [r["id"] for r in first] == [r["id"] for r in again]
    for a, b in zip(first, again):
        assert _same(a, b) == [], a["id"]
    # and through Parquet again: the same file
    assert main(["process", str(parquet), "-o", str(tmp_path / "again.parquet"), "--no-progress"]) == 0
    one, two = pq.read_table(parquet).drop_columns(["origin"]), pq.read_table(tmp_path / "again.parquet").drop_columns(["origin"])
    assert one.equals(two)


def test_a_large_output_is_split_into_files_of_a_set_size(tmp_path: Path) -> None:
    letters = random.Random(3)
    words = ["".join(letters.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(5)) for _ in range(3000)]
    records = [{"id": f"a{i}", "text": " ".join(letters.sample(words, 1500)), "published": "2024-05-06", "tags": ["x"],
                "quality": {"words": 2000.0}, "entities": [], "quotes": [], "boilerplate": []} for i in range(60)]
    sink = ParquetSink(tmp_path / "big.parquet", file_bytes=40_000, batch_rows=10)
    for record in records:
        sink.write(record)
    paths = sink.close()
    assert len(paths) > 2 and [p.name for p in paths[:2]] == ["big-00000.parquet", "big-00001.parquet"]
    assert not (tmp_path / "big.parquet").exists()
    assert all(p.stat().st_size < 200_000 for p in paths)
    reader = Reader([str(tmp_path)])
    assert [a.id for a in reader] == [f"a{i}" for i in range(60)]  # a folder of them is one input, in order
    assert all(isinstance(a.published, date) and not isinstance(a.published, datetime) for a in Reader([str(paths[0])]))


def test_parquet_is_read_a_batch_at_a_time(tmp_path: Path) -> None:
    n, size = 4000, 6000
    table = pa.table({"id": [f"r{i}" for i in range(n)], "text": [("خبر " * (size // 8)) + str(i) for i in range(n)]})
    pq.write_table(table, tmp_path / "many.parquet", row_group_size=500)
    del table
    pool = pa.default_memory_pool()
    before = pool.max_memory()
    count = sum(1 for _ in Reader([str(tmp_path / "many.parquet")]))
    assert count == n
    assert pool.max_memory() - before < n * size / 4  # a few batches, never the whole file


WRONG = [  # (case, file name, content, reason)
    ("JSON lines named .parquet", "out.parquet", b'{"text": "\xd8\xae\xd8\xa8\xd8\xb1"}\n' * 1000, "not_parquet"),
    ("a truncated Parquet file", "cut.parquet", None, "corrupt_parquet"),
    ("Parquet without a text column", "cols.parquet", "no_text", "no_text"),
    ("a big file of no known kind", "dump.bin", b"x" * (3 * 1024 * 1024), "too_large"),
]


@pytest.mark.parametrize(("case", "name", "content", "reason"), WRONG, ids=[c for c, *_ in WRONG])
def test_a_file_that_is_not_what_its_name_says_is_refused_at_once(case, name, content, reason,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    path = tmp_path / name
    if content is None:
        pq.write_table(pa.table({"text": ["نص"] * 10}), path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "no_text":
        pq.write_table(pa.table({"body": ["نص"]}), path)
    else:
        path.write_bytes(content)
    errors: list[str] = []
    reader = Reader([str(path)], on_error=lambda where, exc: errors.append(f"{exc.reason}: {exc}"))
    assert list(reader) == []
    assert len(errors) == 1 and errors[0].startswith(reason) and str(path) in errors[0], case
    assert "\n" not in errors[0]


def test_export_parquet_has_every_field(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert main(["ingest", SAMPLES, "--archive", str(db), "--no-progress"]) == 0
    assert main(["export", "--archive", str(db), "--format", "parquet", "-o", str(tmp_path / "x.parquet")]) == 0
    table = pq.read_table(tmp_path / "x.parquet")
    assert table.schema.equals(schema()) and table.num_rows == 8
    assert sum(len(e) for e in table.column("entities").to_pylist()) > 0
    assert all(t for t in table.column("topic").to_pylist())
    assert os.path.getsize(tmp_path / "x.parquet") > 0
