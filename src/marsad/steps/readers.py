"""Readers: files, directories and standard input to a stream of :class:`Article`.

Only readers know about files. A file or record that cannot be read is reported (one line naming it),
counted by reason, and skipped; the other articles go on.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..article import Article, DateLike, Origin, Removed, make_id
from ..errors import InputError
from ..text.dates import parse_date
from .decode import decode_bytes, decode_html
from .warc import read_warc

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
PARQUET_SUFFIXES = (".parquet",)
#: a text file larger than this is not one article (the longest news articles are tens of KB; a crawler's
#: dump of one page a few hundred): refuse it rather than spend minutes and gigabytes on it
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: an HTML page larger than this is refused: no news article is, and parsers choke on it
MAX_HTML_BYTES = 15 * 1024 * 1024
#: one JSON line longer than this is refused (the other lines of its file are still read)
MAX_LINE_BYTES = 20 * 1024 * 1024

#: a JSON lines file is cut into shards of this many lines (plain files by byte offset, gzipped ones
#: by skipping: gzip cannot be entered in the middle)
SHARD_LINES = 5_000
#: a shard's last line when it reads to the end of its file
UNTIL_END = 1 << 62
#: small whole files (pages, texts) go into shards of this many files
SHARD_FILES = 500


@dataclass(frozen=True, slots=True)
class Shard:
    """A part of the input that one worker reads: whole files, or one JSON lines file's lines
    ``first`` to ``last`` (1-based, inclusive), starting at byte ``offset`` when it is not gzipped."""

    number: int
    files: tuple[str, ...]
    kind: str | None = None
    first: int = 1
    last: int | None = None
    offset: int = 0

    @property
    def name(self) -> str:
        return f"shard-{self.number:05d}"

    def __str__(self) -> str:
        if self.last is not None:
            return f"{self.files[0]}:{self.first}-{self.last}"
        return self.files[0] if len(self.files) == 1 else f"{self.files[0]} and {len(self.files) - 1} more files"


#: Called with where the failure happened and the error.
ReadErrorHandler = Callable[[str, InputError], None]


def _log_read_error(where: str, exc: InputError) -> None:
    log.warning("%s", exc)


def kind_of(path: str) -> str | None:
    name = path.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def parse_timestamp(value: object) -> DateLike | None:
    """A timestamp given in input metadata: ISO 8601, RFC 2822 (feeds), or an Arabic dateline."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):  # a Parquet timestamp
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parsed: DateLike = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            found = parse_date(text)
            if found is None:
                return None
            parsed = found
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        if len(text) == 10 and parsed.hour == parsed.minute == parsed.second == 0 and "T" not in text:
            return parsed.date()
        return parsed
    return parsed if isinstance(parsed, date) else None


class Reader:
    """Every article under ``paths``: files by extension, directories recursively, ``-`` for stdin."""

    def __init__(
        self,
        paths: Iterable[str],
        *,
        source: str | None = None,
        on_error: ReadErrorHandler = _log_read_error,
        stdin: BinaryIO | None = None,
        skip: Callable[[str], bool] | None = None,
    ) -> None:
        self.paths = list(paths)
        self.source = source
        self.on_error = on_error
        self.stdin = stdin
        #: files for which this says True are not read (an archive's files already ingested)
        self.skip = skip
        #: the files read whole, in order
        self.files_read: list[str] = []
        self.stats: Counter[str] = Counter()

    def _error(self, where: str, exc: InputError) -> None:
        self.stats[f"error:{exc.reason}"] += 1
        self.on_error(where, exc)

    def __iter__(self) -> Iterator[Article]:
        for path in self.paths:
            if path == "-":
                yield from self._read_stdin()
            elif os.path.isdir(path):
                yield from self._read_dir(Path(path))
            elif os.path.exists(path):
                yield from self._read_file(path, kind_of(path) or "text")
            else:
                self._error(path, InputError(f"{path}: no such file or directory", reason="missing"))

    def _read_dir(self, root: Path) -> Iterator[Article]:
        for path, kind in self._dir_files(root):
            yield from self._read_file(path, kind)

    def _dir_files(self, root: Path) -> Iterator[tuple[str, str]]:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                kind = kind_of(name)
                if kind is None:
                    self.stats["skipped:unsupported_file"] += 1
                    log.debug("%s: skipped (not a supported extension)", path)
                    continue
                yield path, kind

    # ------------------------------------------------------------------ shards

    def plan(self, *, lines: int = SHARD_LINES, files: int = SHARD_FILES) -> list[Shard]:
        """Cut the input into shards, in the order :meth:`__iter__` reads it: a JSON lines file into
        runs of ``lines`` lines, WARC and Parquet files one each, pages and texts ``files`` to a shard.
        Reading every shard in order gives the same articles, ids and origins as reading the input."""
        shards: list[Shard] = []
        small: list[str] = []

        def add(files_: tuple[str, ...], kind: str | None = None, first: int = 1, last: int | None = None, offset: int = 0) -> None:
            shards.append(Shard(len(shards), files_, kind, first, last, offset))

        def flush() -> None:
            if small:
                add(tuple(small))
                small.clear()

        def take(path: str, kind: str) -> None:
            if self.skip is not None and self.skip(path):
                self.stats["skipped:already_ingested"] += 1
                return
            if kind == "jsonl":
                flush()
                for first, last, offset in _line_runs(path, lines):
                    add((path,), kind, first, last, offset)
            elif kind in ("warc", "parquet"):
                flush()
                add((path,), kind)
            else:
                small.append(path)
                if len(small) >= files:
                    flush()

        for path in self.paths:
            if path == "-":
                flush()
                add(("-",))
            elif os.path.isdir(path):
                for found, kind in self._dir_files(Path(path)):
                    take(found, kind)
            elif os.path.exists(path):
                take(path, kind_of(path) or "text")
            else:
                self._error(path, InputError(f"{path}: no such file or directory", reason="missing"))
        flush()
        return shards

    def read_shard(self, shard: Shard) -> Iterator[Article]:
        """The articles of one shard of :meth:`plan`."""
        if shard.last is not None:
            self.stats["files"] += shard.first == 1
            yield from self._read_jsonl(shard.files[0], first=shard.first, last=shard.last, offset=shard.offset)
            return
        for path in shard.files:
            if path == "-":
                yield from self._read_stdin()
            else:
                self.stats["files"] += 1
                yield from self._read_kind(path, shard.kind or kind_of(path) or "text")

    def _read_file(self, path: str, kind: str) -> Iterator[Article]:
        if self.skip is not None and self.skip(path):
            self.stats["skipped:already_ingested"] += 1
            return
        self.stats["files"] += 1
        yield from self._read_kind(path, kind)
        self.files_read.append(path)

    def _read_kind(self, path: str, kind: str) -> Iterator[Article]:
        if kind == "jsonl":
            yield from self._read_jsonl(path)
            return
        if kind == "warc":
            yield from self._read_warc(path)
            return
        if kind == "parquet":
            yield from self._read_parquet(path)
            return
        limit = MAX_HTML_BYTES if kind == "html" else MAX_TEXT_BYTES
        try:
            size = os.path.getsize(path)
            if size > limit:
                what = "" if kind == "html" or kind_of(path) else " (read as one text article: its name says no other kind)"
                raise InputError(f"{path}: {size} bytes is too large for one article{what}", reason="too_large")
            with open(path, "rb") as fh:
                data = fh.read()
            text = decode_html(data, path) if kind == "html" else decode_bytes(data, path)
        except OSError as exc:
            self._error(path, InputError(f"{path}: {exc.strerror or exc}", reason="unreadable"))
            return
        except InputError as exc:
            self._error(path, exc)
            return
        origin = Origin(path)
        yield Article(id=make_id(os.path.abspath(path)), raw=text, format=kind, origin=origin, source=self.source)

    def _read_parquet(self, path: str) -> Iterator[Article]:
        from .parquet import parquet_records

        try:
            for row, record in parquet_records(path):
                try:
                    yield self._from_fields(path, row, record)
                except InputError as exc:
                    self._error(f"{path}:{row}", exc)
        except InputError as exc:
            self._error(path, exc)

    def _read_warc(self, path: str) -> Iterator[Article]:
        try:
            for item in read_warc(path, self.stats):
                if isinstance(item, InputError):
                    self._error(path, item)
                    continue
                where = f"{path}@{item.offset}"
                try:
                    page = decode_html(item.payload, where, http_charset=item.charset)
                except InputError as exc:
                    self._error(where, exc)
                    continue
                yield Article(
                    id=make_id(item.record_id or where),
                    raw=page,
                    format="html",
                    origin=Origin(path, item.offset),
                    url=item.url,
                    crawled=item.crawled,
                    # the name marsad's crawler wrote in the record is per page and wins over --source,
                    # which names the inputs that carry none (another crawler's WARC)
                    source=item.source or self.source,
                    published_hint=item.published_hint,
                )
        except (OSError, InputError) as exc:
            err = exc if isinstance(exc, InputError) else InputError(f"{path}: {exc}", reason="unreadable")
            self._error(path, err)

    def _read_stdin(self) -> Iterator[Article]:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        data = stream.read()
        head = data.lstrip()[:1]
        if head == b"{":
            yield from self._jsonl_lines("<stdin>", io.BytesIO(data))
            return
        try:
            text = decode_bytes(data, "<stdin>")
        except InputError as exc:
            self._error("<stdin>", exc)
            return
        yield Article(id=make_id("<stdin>", text), raw=text, origin=Origin("<stdin>"), source=self.source)

    def _read_jsonl(self, path: str, *, first: int = 1, last: int | None = None, offset: int = 0) -> Iterator[Article]:
        try:
            fh: BinaryIO = gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")  # type: ignore[assignment]
        except OSError as exc:
            self._error(path, InputError(f"{path}: {exc.strerror or exc}", reason="unreadable"))
            return
        with fh:
            if offset:
                fh.seek(offset)
            yield from self._jsonl_lines(path, fh, first=first, last=last)

    def _jsonl_lines(self, path: str, fh: BinaryIO, *, first: int = 1, last: int | None = None) -> Iterator[Article]:
        lineno = first - 1
        try:
            if first > 1 and fh.tell() == 0:  # a gzipped file's later shard: skip to its first line
                for _ in range(first - 1):
                    if not _skip_line(fh):
                        return
            while last is None or lineno < last:
                raw = fh.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    break
                lineno += 1
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of it, a chunk at a time
                        raw = fh.readline(1 << 20)
                    self._error(f"{path}:{lineno}", InputError(f"{path}:{lineno}: line longer than {MAX_LINE_BYTES} bytes", reason="line_too_long"))
                    continue
                if not raw.strip():
                    continue
                try:
                    yield self._from_record(path, lineno, raw)
                except InputError as exc:
                    self._error(f"{path}:{lineno}", exc)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            self._error(path, InputError(f"{path}: truncated or corrupt gzip after line {lineno}: {exc}", reason="corrupt_gzip"))
        except OSError as exc:
            self._error(path, InputError(f"{path}: read failed after line {lineno}: {exc}", reason="unreadable"))

    def _from_record(self, path: str, lineno: int, raw: bytes) -> Article:
        where = f"{path}:{lineno}"
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            try:
                record = json.loads(decode_bytes(raw, where))
            except (json.JSONDecodeError, InputError) as exc:
                raise InputError(f"{where}: not a JSON object: {exc}", reason="bad_json") from exc
        if not isinstance(record, dict):
            raise InputError(f"{where}: not a JSON object", reason="bad_json")
        return self._from_fields(path, lineno, record)

    def _from_fields(self, path: str, lineno: int, record: dict[str, Any]) -> Article:
        """An article from a record's fields (a JSON line's, a Parquet row's)."""
        where = f"{path}:{lineno}"
        text = record.get("text")
        kind = "text"
        if (not isinstance(text, str) or not text.strip()) and isinstance(record.get("html"), str):
            text, kind = record["html"], "html"
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: no text", reason="no_text")
        given_id = record.get("id")
        return Article(
            id=str(given_id) if given_id not in (None, "") else make_id(os.path.abspath(path), str(lineno)),
            raw=text,
            format=kind,
            origin=Origin(path, lineno),
            url=_str(record.get("url")),
            source=_str(record.get("source")) or self.source,
            title=_str(record.get("title")),
            author=_str(record.get("author")),
            published=parse_timestamp(record.get("published") or record.get("time")),
            updated=parse_timestamp(record.get("updated")),
            crawled=_as_datetime(parse_timestamp(record.get("crawled"))),
            boilerplate=_removed(record.get("boilerplate")),
        )


def _skip_line(fh: BinaryIO) -> bool:
    """Read past one line, however long; False at the end of the file."""
    chunk = fh.readline(1 << 20)
    while chunk and not chunk.endswith(b"\n"):
        chunk = fh.readline(1 << 20)
    return bool(chunk)


def _line_runs(path: str, lines: int) -> list[tuple[int, int, int]]:
    """(first line, last line, byte offset of the first line) of each run of ``lines`` lines of a JSON
    lines file (offsets 0 for a gzipped file). One scan of the file, a megabyte at a time."""
    runs: list[tuple[int, int, int]] = []
    gz = path.lower().endswith(".gz")
    start_line, start_offset, count, position, last_byte = 1, 0, 0, 0, b"\n"
    try:
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as fh:
            while chunk := fh.read(1 << 20):
                at = 0
                while True:
                    need = start_line + lines - 1 - count  # newlines still to find to end this run
                    nl = -1
                    for _ in range(need):
                        nl = chunk.find(b"\n", at)
                        if nl < 0:
                            break
                        at = nl + 1
                        count += 1
                    if nl < 0:
                        break
                    runs.append((start_line, count, 0 if gz else start_offset))
                    start_line, start_offset = count + 1, position + at
                position += len(chunk)
                last_byte = chunk[-1:]
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        pass  # the reader reports it, naming the line it got to: the shard just takes the rest
    total = count + (last_byte != b"\n")  # a last line without its newline counts too
    if total >= start_line or not runs:
        runs.append((start_line, UNTIL_END, 0 if gz else start_offset))
    else:  # the last run reads to the end, whatever a file grown since holds
        runs[-1] = (runs[-1][0], UNTIL_END, runs[-1][2])
    return runs


def _removed(value: object) -> list[Removed]:
    """The lines an earlier run removed, as its output gives them (``[{"line", "reason"}]``)."""
    if not isinstance(value, list):
        return []
    return [Removed(str(item["line"]), str(item["reason"])) for item in value
            if isinstance(item, dict) and isinstance(item.get("line"), str) and isinstance(item.get("reason"), str)]


def _str(value: object) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _as_datetime(value: DateLike | None) -> datetime | None:
    return value if isinstance(value, datetime) else None
