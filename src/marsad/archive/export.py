"""Export the archive, or a search's results, as JSON lines or Parquet."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .store import Archive



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


def _parquet(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """The records as marsad's Parquet (every field, typed: see :mod:`marsad.steps.parquet`)."""
    from ..steps.parquet import write_parquet

    n, _ = write_parquet(records, path, file_bytes=1 << 62)  # an export is one file
    return n
