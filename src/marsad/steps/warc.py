"""WARC files (``.warc``, ``.warc.gz``): every HTML ``response`` record is one page.

A corrupt record is reported with its offset, and reading resumes at the next record start, so one
bad record does not cost the rest of the crawl.

A response record keeps the body as it came over the wire (WARC 1.1, 6.3.2): chunked and compressed
as the server sent it. fastwarc leaves it so by default, and its own decoding (``auto_decode``) is not
used: it knows no ``x-gzip`` nor raw deflate, silently yields garbage for a corrupt gzip body, stops
the whole file on an unknown coding, and loses its place in the stream after a large decoded body is
read in part. So the codings are undone here, bounded, one record at a time.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from ..article import DateLike
from ..errors import InputError

if TYPE_CHECKING:
    from fastwarc.warc import HeaderMap, WarcRecordPayloadReader

#: a record's HTML payload larger than this (raw, or once decoded) is refused (and counted), not parsed
MAX_PAYLOAD_BYTES = 15 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
#: header fields marsad's own crawler adds to each response record
SOURCE_HEADER = "Marsad-Source"
PUBLISHED_HINT_HEADER = "Marsad-Published-Hint"
#: what marsad's crawler fetched the record for: only ``article`` records are pages to read (its feeds,
#: sitemaps, robots.txt and seed pages are kept in the WARC, and skipped here)
ROLE_HEADER = "Marsad-Role"


@dataclass(slots=True)
class WarcPage:
    url: str | None
    crawled: datetime | None
    offset: int
    record_id: str | None
    payload: bytes
    charset: str | None
    #: the source the crawler fetched the page for (``Marsad-Source``)
    source: str | None = None
    #: the date the page was listed with in a feed or sitemap (``Marsad-Published-Hint``)
    published_hint: DateLike | None = None


class Undecodable(Exception):
    """A body that its declared coding cannot undo (the ``InputError`` reason is ``reason``)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _looks_like_markup(data: bytes) -> bool:
    # the mark of a body stored already decoded under its original headers (CC-NEWS before May 2019,
    # crawlers that write what their HTTP client decoded): it starts as HTML, which no coding does
    return data.lstrip(b"\xef\xbb\xbf \t\r\n\f")[:1] == b"<"


def _codings(http: HeaderMap, name: str) -> list[str]:
    """The codings a header lists, in the order they were applied (repeated fields joined)."""
    tokens = (t.strip().lower() for value in http.get_multiple(name) for t in value.split(","))
    return [t for t in tokens if t and t != "identity"]


def _dechunk(data: bytes) -> bytes | None:
    """A chunked body's data; None if ``data`` is not chunked at all (stored de-chunked under a
    ``Transfer-Encoding: chunked`` header). A body cut short gives the chunks it has."""
    out = bytearray()
    pos = 0
    while True:
        eol = data.find(b"\n", pos, pos + 1024)
        size_text = data[pos:eol].split(b";", 1)[0].strip() if eol >= 0 else b""
        if not _CHUNK_SIZE.fullmatch(size_text):
            return None if pos == 0 else bytes(out)  # past the first chunk: cut short or damaged, keep what was read
        size = int(size_text, 16)
        if size == 0:
            return bytes(out)
        start = eol + 1
        out += data[start : start + size]
        if start + size >= len(data):
            return bytes(out)
        pos = start + size
        pos += 2 if data[pos : pos + 2] == b"\r\n" else 1 if data[pos : pos + 1] == b"\n" else 0


def inflate(data: bytes, coding: str, limit: int) -> tuple[bytes, bool]:
    """gzip or deflate (zlib-wrapped or raw, as some servers send it), at most ``limit + 1`` bytes out."""
    # the format is told by the data, whatever the label (servers send gzip as "deflate" too)
    if data.startswith(_GZIP_MAGIC):
        wbits = 31
    elif len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0:
        wbits = 15  # zlib header
    elif coding == "deflate":
        wbits = -15  # raw deflate
    else:
        raise Undecodable(f"{coding} body does not start as gzip data", "corrupt_payload")
    out = b""
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise Undecodable(f"{coding} data is corrupt: {exc}", "corrupt_payload") from exc
        if len(out) > limit:
            raise Undecodable(f"{coding} body decodes to more than {limit} bytes", "too_large")
        rest = inflater.unused_data
        if not (inflater.eof and wbits == 31 and rest.startswith(_GZIP_MAGIC)):
            return out, inflater.eof  # one gzip member after another is one body; other trailing bytes are junk


def _unbrotli(data: bytes, limit: int) -> tuple[bytes, bool]:
    try:
        import brotli
    except ImportError as exc:
        raise Undecodable("br (brotli) body: pip install brotli", "unsupported_encoding") from exc
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(data, output_buffer_limit=limit + 1)
    except TypeError as exc:  # brotli < 1.2 cannot bound its output: refuse rather than risk a bomb
        raise Undecodable("br (brotli) body: bounded decoding needs pip install 'brotli>=1.2'", "unsupported_encoding") from exc
    except brotli.error as exc:
        raise Undecodable(f"br data is corrupt: {exc}", "corrupt_payload") from exc
    if len(out) > limit:
        raise Undecodable(f"br body decodes to more than {limit} bytes", "too_large")
    return out, bool(decompressor.is_finished())


def decode_body(body: bytes, content: list[str], transfer: list[str], stats: Counter[str], *, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """The payload of an HTTP body: its transfer codings undone, then its content codings, the last
    applied first. Never produces more than ``limit + 1`` bytes; raises :class:`Undecodable`."""
    data = body
    for coding in [*reversed(transfer), *reversed(content)]:
        if coding == "chunked":
            dechunked = _dechunk(data)
            if dechunked is None:
                stats["warc_stored_decoded"] += 1
            else:
                data = dechunked
            continue
        try:
            if coding in ("gzip", "x-gzip", "deflate"):
                decoded, complete = inflate(data, coding, limit)
            elif coding == "br":
                decoded, complete = _unbrotli(data, limit)
            else:
                raise Undecodable(f"unsupported content coding {coding!r}", "unsupported_encoding")
        except Undecodable as exc:
            # a label that the body contradicts: HTML is read as it is, anything else is refused
            if exc.reason == "too_large" or not _looks_like_markup(data):
                raise
            stats["warc_stored_decoded"] += 1
            return data
        if not complete:
            if _looks_like_markup(data) and not _looks_like_markup(decoded):
                stats["warc_stored_decoded"] += 1  # the "coded" bytes were HTML, decoding stopped short
                return data
            stats["warc_incomplete_payload"] += 1  # a body cut short: the page as far as it goes
        data = decoded
    return data


def _parse_hint(value: str) -> DateLike:
    """An ISO 8601 date or date-time (UTC when it names no zone); ValueError if it is neither."""
    text = value.strip()
    if not any(mark in text for mark in "T :"):
        return date.fromisoformat(text)  # a day only: no time is invented for it
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _read_up_to(reader: WarcRecordPayloadReader, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while size < limit:
        part = reader.read(limit - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


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
                # auto_decode="none": the body comes as stored, and decode_body undoes its codings
                for record in ArchiveIterator(fh, parse_http=True, auto_decode="none"):
                    at = last_at = int(record.stream_pos)  # fastwarc counts from the start of the file
                    kind = record.headers.get("WARC-Type", "")
                    if kind != "response":
                        stats[f"skipped:warc_{kind or 'untyped'}"] += 1
                        continue
                    role = record.headers.get(ROLE_HEADER)
                    if role and role != "article":
                        stats[f"skipped:crawl_{role}"] += 1
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
                    if record.headers.get("WARC-Truncated"):
                        stats["warc_truncated"] += 1  # cut at the crawler's size or time limit: read what is there
                    body = _read_up_to(record.reader, MAX_PAYLOAD_BYTES + 1)
                    if len(body) > MAX_PAYLOAD_BYTES:
                        yield InputError(f"{path}@{at}: page larger than {MAX_PAYLOAD_BYTES} bytes", reason="too_large")
                        continue
                    # Common Crawl stores bodies decoded and renames these two fields X-Crawler-Content-Encoding
                    # and X-Crawler-Transfer-Encoding, so such a record has nothing to undo here
                    try:
                        payload = decode_body(body, _codings(http, "Content-Encoding"), _codings(http, "Transfer-Encoding"), stats)
                    except Undecodable as exc:
                        yield InputError(f"{path}@{at}: {exc}", reason=exc.reason)
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
                        source=(record.headers.get(SOURCE_HEADER) or "").strip() or None,
                        published_hint=_hint(record.headers.get(PUBLISHED_HINT_HEADER), stats),
                    )
            except Exception as exc:  # fastwarc raises assorted errors on damaged streams
                # resume after the last record read whole (or past this one if none was)
                broke_at = last_at if last_at is not None and last_at != broke_at else offset
                yield InputError(f"{path}@{broke_at}: unreadable WARC data: {exc}", reason="corrupt_record")
        offset = _next_record_start(path, broke_at + 1, gz) if broke_at is not None else None


def _hint(value: str | None, stats: Counter[str]) -> DateLike | None:
    if not value or not value.strip():
        return None
    try:
        return _parse_hint(value)
    except ValueError:
        stats["warc_bad_hint"] += 1  # a hint is only a hint: the page is read without it
        return None
