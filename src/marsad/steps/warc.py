"""WARC files (``.warc``, ``.warc.gz``): every HTML ``response`` record is one page.

A corrupt record is reported with its offset, and reading resumes at the next record start, so one
bad record does not cost the rest of the crawl.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ..errors import InputError

#: a record's HTML payload larger than this is refused (and counted), not parsed
MAX_PAYLOAD_BYTES = 15 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_CHUNK = 1 << 20


@dataclass(slots=True)
class WarcPage:
    url: str | None
    crawled: datetime | None
    offset: int
    record_id: str | None
    payload: bytes
    charset: str | None


def _next_record_start(path: str, after: int, gz: bool) -> int | None:
    """Where the next record begins past ``after``: a gzip member, or a ``WARC/1.`` line."""
    marker = b"\x1f\x8b\x08" if gz else b"\nWARC/1."
    with open(path, "rb") as fh:
        fh.seek(after)
        pos = after
        tail = b""
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            found = data.find(marker)
            if found >= 0:
                start = pos - len(tail) + found
                return start if gz else start + 1
            tail = data[-len(marker) :]
            pos += len(chunk)
    return None


def read_warc(path: str, stats: Counter[str]) -> Iterator[WarcPage | InputError]:
    """HTML pages of a WARC file; problems come as :class:`InputError` items, and reading goes on."""
    try:
        from fastwarc.warc import ArchiveIterator
    except ImportError as exc:  # pragma: no cover - fastwarc is a core dependency
        raise InputError(f"{path}: reading WARC needs fastwarc: pip install fastwarc", reason="missing_dependency") from exc
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    offset: int | None = 0
    while offset is not None:
        broke_at = last_at = None
        with open(path, "rb") as fh:
            fh.seek(offset)
            try:
                for record in ArchiveIterator(fh, parse_http=True):
                    at = last_at = int(record.stream_pos)  # fastwarc counts from the start of the file
                    kind = record.headers.get("WARC-Type", "")
                    if kind != "response":
                        stats[f"skipped:warc_{kind or 'untyped'}"] += 1
                        continue
                    http = record.http_headers
                    if http is None:
                        broke_at = at
                        yield InputError(f"{path}@{at}: corrupt WARC record (no HTTP headers)", reason="corrupt_record")
                        break
                    status = int(http.status_code or 0)
                    if 300 <= status < 400:
                        stats["skipped:redirect"] += 1
                        continue
                    if not 200 <= status < 300:
                        stats["skipped:http_error"] += 1
                        continue
                    ctype = (record.http_content_type or "").lower()
                    if ctype and not ctype.startswith(_HTML_TYPES):
                        stats["skipped:non_html"] += 1
                        continue
                    payload = record.reader.read(MAX_PAYLOAD_BYTES + 1)
                    if len(payload) > MAX_PAYLOAD_BYTES:
                        yield InputError(f"{path}@{at}: page larger than {MAX_PAYLOAD_BYTES} bytes", reason="too_large")
                        continue
                    if not ctype and not payload.lstrip()[:1] == b"<":
                        stats["skipped:non_html"] += 1
                        continue
                    yield WarcPage(
                        url=record.headers.get("WARC-Target-URI"),
                        crawled=record.record_date,
                        offset=at,
                        record_id=record.record_id,
                        payload=payload,
                        charset=record.http_charset,
                    )
            except Exception as exc:  # fastwarc raises assorted errors on damaged streams
                # resume after the last record read whole (or past this one if none was)
                broke_at = last_at if last_at is not None and last_at != broke_at else offset
                yield InputError(f"{path}@{broke_at}: unreadable WARC data: {exc}", reason="corrupt_record")
        offset = _next_record_start(path, broke_at + 1, gz) if broke_at is not None else None
