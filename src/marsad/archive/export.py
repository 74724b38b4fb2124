"""Export the archive, or a search's results, as JSON lines or Parquet."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .store import Archive

#: Parquet columns: the record's scalar fields, lists as lists, nested values as JSON text
_PARQUET_JSON = ("boilerplate", "quality")
_FIELDS = (
    "id", "origin", "url", "canonical_url", "source", "title", "author", "published", "updated", "crawled",
    "section", "tags", "description", "image", "page_lang", "text", "boilerplate", "lang", "lang_score",
    "quality", "quality_flags", "content_hash", "cluster", "cluster_size", "original", "duplicate_of",
)


def export(archive: Archive, path: str | Path, *, fmt: str = "jsonl", query: str | None = None,
           limit: int = 1000, **search_options: Any) -> int:
    """Write every article (or the best ``limit`` of a search) to ``path``; the number written."""
    records = _selected(archive, query, limit, search_options)
    if fmt == "jsonl":
        n = 0
        with open(path, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        return n
    if fmt == "parquet":
        return _parquet(records, path)
    raise ConfigError(f"export format must be jsonl or parquet, not {fmt!r}")


def _selected(archive: Archive, query: str | None, limit: int, options: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if query is None:
        return archive.records()
    hits = archive.search(query, limit=limit, **options).results
    return archive.records([h.id for h in hits])


def _parquet(records: Iterable[dict[str, Any]], path: str | Path, batch: int = 5000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a core dependency
        raise ConfigError("Parquet export needs pyarrow: pip install pyarrow") from exc
    lists = ("tags", "quality_flags")
    numbers = {"lang_score": pa.float64(), "cluster_size": pa.int64()}
    schema = pa.schema(
        [(name, pa.list_(pa.string()) if name in lists else numbers.get(name, pa.string())) for name in _FIELDS]
    )
    writer = pq.ParquetWriter(str(path), schema)
    n = 0
    rows: list[dict[str, Any]] = []

    def flush() -> None:
        writer.write_table(pa.Table.from_pylist([{k: r.get(k) for k in _FIELDS} for r in rows], schema=schema))
        rows.clear()

    for record in records:
        for key in _PARQUET_JSON:
            record[key] = json.dumps(record.get(key), ensure_ascii=False)
        rows.append(record)
        n += 1
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    writer.close()
    return n
