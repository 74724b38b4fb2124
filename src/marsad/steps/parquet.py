"""Parquet in and out: the JSON output's every field as typed columns, and Parquet files as input.

The schema (:data:`SCHEMA`) is the JSON record's, typed: strings, numbers, ``timestamp[us, UTC]`` for
``published``, ``updated`` and ``crawled``, lists of strings, and lists of structs for the boilerplate
lines, the quality signals (``{name, value}``), the entities and the quotations (nothing is JSON text).
A date given without a time (``"published": "2024-03-11"``) is written as midnight UTC with
``published_has_time`` false, so that reading it back gives the day again. DuckDB, pandas and Hugging
Face datasets read the files as they are.

As input, a Parquet file has the columns of a JSON lines input (``text`` or ``html``, and any of
``id``, ``url``, ``title``, ``author``, ``time`` or ``published``, ``updated``, ``source``); it is read
one record batch at a time, so memory stays that of a batch, whatever the file's size. A file that does
not begin and end with Parquet's magic bytes is refused at once, whatever its name says.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import InputError

#: rows a batch, read or written
BATCH_ROWS = 1000
#: a Parquet output is split into files of about this size
FILE_BYTES = 512 * 1024 * 1024
MAGIC = b"PAR1"


def _schema() -> Any:
    import pyarrow as pa

    string = pa.string()
    when = pa.timestamp("us", tz="UTC")
    entity = pa.struct([("text", string), ("label", string), ("start", pa.int32()), ("end", pa.int32()),
                        ("canonical", string)])
    quote = pa.struct([("text", string), ("start", pa.int32()), ("end", pa.int32()), ("kind", string),
                       ("speaker", string), ("speaker_entity", entity), ("verb", string)])
    return pa.schema([
        ("id", string), ("origin", string), ("url", string), ("canonical_url", string), ("source", string),
        ("title", string), ("author", string),
        ("published", when), ("published_has_time", pa.bool_()), ("updated", when), ("updated_has_time", pa.bool_()),
        ("crawled", when),
        ("section", string), ("tags", pa.list_(string)), ("description", string), ("image", string),
        ("page_lang", string), ("text", string),
        ("boilerplate", pa.list_(pa.struct([("line", string), ("reason", string)]))),
        ("lang", string), ("lang_score", pa.float64()),
        ("quality", pa.list_(pa.struct([("name", string), ("value", pa.float64())]))),
        ("quality_flags", pa.list_(string)), ("content_hash", string),
        ("cluster", string), ("cluster_size", pa.int64()), ("original", string), ("duplicate_of", string),
        ("entities", pa.list_(entity)), ("topic", string), ("topic_score", pa.float64()),
        ("keyphrases", pa.list_(string)), ("quotes", pa.list_(quote)), ("summary", string),
    ])


_SCHEMA: Any = None


def schema() -> Any:
    """The Arrow schema of marsad's Parquet output."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = _schema()
    return _SCHEMA


def _timestamp(value: object) -> tuple[datetime | None, bool | None]:
    """An ISO date or datetime of the JSON record as an aware datetime, and whether it had a time."""
    if not value:
        return None, None
    text = str(value)
    parsed = datetime.fromisoformat(text)
    if len(text) == 10:  # a day
        return datetime.combine(parsed.date(), time(), tzinfo=UTC), False
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)), True


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON output record as a Parquet row."""
    row = dict(record)
    row["published"], row["published_has_time"] = _timestamp(record.get("published"))
    row["updated"], row["updated_has_time"] = _timestamp(record.get("updated"))
    row["crawled"] = _timestamp(record.get("crawled"))[0]
    row["quality"] = [{"name": k, "value": float(v)} for k, v in (record.get("quality") or {}).items()]
    return row


class ParquetSink:
    """Writes records to ``path`` (``out.parquet``); past ``file_bytes`` the output is split into
    ``out-00000.parquet``, ``out-00001.parquet``, ... (names that sort in order). :attr:`paths` lists
    the files written."""

    def __init__(self, path: str | os.PathLike[str], *, file_bytes: int = FILE_BYTES, batch_rows: int = BATCH_ROWS) -> None:
        self.path = Path(path)
        self.file_bytes = file_bytes
        self.batch_rows = batch_rows
        self.paths: list[Path] = []
        self.rows = 0
        self._batch: list[dict[str, Any]] = []
        self._writer: Any = None
        self._file: Any = None

    def _next_path(self) -> Path:
        return self._numbered(len(self.paths)) if self.paths else self.path

    def _numbered(self, n: int) -> Path:
        stem = self.path.name[: -len(".parquet")] if self.path.name.endswith(".parquet") else self.path.name
        return self.path.with_name(f"{stem}-{n:05d}.parquet")

    def write(self, record: dict[str, Any]) -> None:
        self._batch.append(to_row(record))
        if len(self._batch) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._batch:
            return
        if self._writer is None:
            path = self._next_path()
            self._file = open(path, "wb")  # noqa: SIM115 - closed in _close
            self._writer = pq.ParquetWriter(self._file, schema(), compression="zstd")
            self.paths.append(path)
        table = pa.Table.from_pylist(self._batch, schema=schema())
        self._writer.write_table(table)
        self.rows += len(self._batch)
        self._batch = []
        if self._file.tell() >= self.file_bytes:
            self._close()
            if self.paths == [self.path]:  # split after all: the first file is numbered too, so the names sort
                first = self._numbered(0)
                os.replace(self.path, first)
                self.paths[0] = first

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._file.close()
            self._writer = self._file = None

    def close(self) -> list[Path]:
        self._flush()
        if not self.paths:  # no article: still a file, with the schema, for the reader that expects one
            import pyarrow.parquet as pq

            pq.write_table(schema().empty_table(), self.path)
            self.paths.append(self.path)
        self._close()
        return self.paths


def write_parquet(records: Iterable[dict[str, Any]], path: str | os.PathLike[str], *, file_bytes: int = FILE_BYTES) -> tuple[int, list[Path]]:
    """Write JSON output records as Parquet; how many, and the files."""
    sink = ParquetSink(path, file_bytes=file_bytes)
    for record in records:
        sink.write(record)
    return sink.rows, sink.close()


def check_parquet(path: str) -> None:
    """Refuse a file that is not Parquet (a JSON lines file named ``.parquet``, a truncated file)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(max(0, size - 4))
            tail = fh.read(4)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}", reason="unreadable") from exc
    if head != MAGIC:
        what = "JSON lines" if head[:1] in (b"{", b"[") else "text" if head.decode("latin-1").isprintable() else "binary data"
        raise InputError(f"{path}: not a Parquet file (it begins like {what}); name it for what it is", reason="not_parquet")
    if size < 12 or tail != MAGIC:
        raise InputError(f"{path}: truncated Parquet file (no footer)", reason="corrupt_parquet")


def parquet_records(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a Parquet input as JSON-lines-like records (dates as dates or datetimes), one
    record batch at a time; ``(row number from 1, record)``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_parquet(path)
    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: unreadable Parquet: {exc}", reason="corrupt_parquet") from exc
    wanted = ("text", "html", "id", "url", "title", "author", "time", "published", "published_has_time", "updated",
              "updated_has_time", "source", "crawled", "boilerplate")
    columns = [c for c in handle.schema_arrow.names if c in wanted]
    if "text" not in columns and "html" not in columns:
        raise InputError(f"{path}: no 'text' or 'html' column (it has {', '.join(handle.schema_arrow.names[:8])})",
                         reason="no_text")
    row = 0
    try:
        for batch in handle.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                row += 1
                for name in ("published", "updated"):
                    value = record.get(name)
                    if isinstance(value, datetime) and record.get(f"{name}_has_time") is False:
                        record[name] = value.date()
                yield row, record
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: unreadable Parquet after row {row}: {exc}", reason="corrupt_parquet") from exc


def as_date(value: object) -> date | datetime | None:
    """A Parquet timestamp cell as the pipeline's date: aware datetimes stay, naive ones are UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    return None
