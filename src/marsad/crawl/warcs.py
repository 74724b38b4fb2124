"""The crawl's WARC files: every request and response, written as fetched, read back on restart.

A file being written is named ``….warc.gz.open`` (as Heritrix does) and renamed when closed, so a file
left ``.open`` by a killed crawl is known at once. On restart :func:`recover` keeps its whole records,
cuts a record the kill left half-written, and says which URLs it holds: those are fetched, whatever the
frontier had time to note. The WARC is the crawl's journal.

Besides the standard fields, a response record carries marsad's own (named fields outside the
``WARC-`` prefix are allowed by WARC 1.1): ``Marsad-Role`` (``article``, or ``feed``, ``sitemap``,
``robots``, ``seed``, ``refused``, which ingest skips), ``Marsad-Source`` (the source's name) and
``Marsad-Published-Hint`` (the date a feed or sitemap listed the URL with), and on the hops of a
redirected fetch ``Marsad-Requested`` (the URL first asked for).
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..steps.warc import PUBLISHED_HINT_HEADER, ROLE_HEADER, SOURCE_HEADER
from .fetch import Exchange

log = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
#: on an exchange that is a hop of a redirected fetch: the URL first asked for
REQUESTED_HEADER = "Marsad-Requested"
OPEN = ".open"
#: a file is closed and a new one begun past this size
MAX_FILE_BYTES = 1 << 30
#: headers that describe the bytes on the wire, not the (de-chunked) body kept: renamed as Common Crawl does
_RENAMED = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}


@dataclass(slots=True, frozen=True)
class Kept:
    """A response record found in a WARC file: what the frontier needs to know."""

    url: str
    role: str
    status: int
    #: the URL whose fetch this exchange was part of (a redirect's first address)
    requested: str = ""


def _http_date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcSink:
    """Writes exchanges to WARC files in ``directory``, a new file per run and past ``max_bytes``."""

    def __init__(self, directory: str | os.PathLike[str], *, prefix: str = "marsad", max_bytes: int = MAX_FILE_BYTES,
                 before_close: Callable[[], None] | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        #: called before a file is closed: what its records hold must be noted first, for a closed
        #: file is no longer read back on restart
        self.before_close = before_close
        self.serial = 0
        self.closed: list[Path] = []
        self._fh: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._writer: Any = None
        self._buffer = io.BytesIO()

    def _open(self) -> None:
        from warcio.warcwriter import WARCWriter

        stamp = datetime.now().strftime("%Y%m%d%H%M%S%f")[:17]
        self.serial += 1
        name = f"{self.prefix}-{stamp}-{self.serial:05d}-{os.getpid()}{SUFFIX}"
        self._path = self.directory / (name + OPEN)
        self._fh = open(self._path, "wb")  # noqa: SIM115 - held open across writes, closed in close()
        # warcio builds the records; each is gzipped here as a member of its own, at zlib's default
        # level (warcio's own gzip uses level 9: on news pages 8% slower for the same size)
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False)
        info = self._writer.create_warcinfo_record(name, {"software": "marsad", "format": "WARC File Format 1.1",
                                                          "robots": "obey"})
        self._put(info)

    def _put(self, record: Any) -> None:
        assert self._fh is not None
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        self._fh.write(gzip.compress(self._buffer.getvalue(), compresslevel=6, mtime=0))

    def write(self, exchange: Exchange, *, role: str, source: str | None = None, hint: datetime | None = None,
              requested: str | None = None) -> None:
        """Write one exchange (response, then its request) and flush it to the operating system, so
        that it survives the crawl being killed."""
        from warcio.statusandheaders import StatusAndHeaders

        if self._writer is None:
            self._open()
        writer = self._writer
        assert writer is not None and self._fh is not None
        headers = [(_RENAMED.get(k.lower(), k), v) for k, v in exchange.response_headers]
        http = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), headers,
                                protocol=exchange.http_version or "HTTP/1.1")
        fields = {"WARC-Date": _http_date(exchange.started), ROLE_HEADER: role}
        if exchange.ip:
            fields["WARC-IP-Address"] = exchange.ip
        if exchange.truncated:
            fields["WARC-Truncated"] = "length"
        if source:
            fields[SOURCE_HEADER] = source
        if requested and requested != exchange.url:
            fields[REQUESTED_HEADER] = requested
        if hint is not None:
            fields[PUBLISHED_HINT_HEADER] = hint.isoformat()
        response = writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.body),
                                             length=len(exchange.body), http_headers=http, warc_headers_dict=fields)
        split = exchange.url.split("/", 3)
        target = "/" + (split[3] if len(split) > 3 else "")
        request_http = StatusAndHeaders(f"{exchange.method} {target} HTTP/1.1", exchange.request_headers,
                                        is_http_request=True)
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(b""), length=0, http_headers=request_http,
            warc_headers_dict={"WARC-Date": _http_date(exchange.started),
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        self._put(response)
        self._put(request)
        self._fh.flush()
        if self._fh.tell() >= self.max_bytes:
            self._close_file()

    def _close_file(self) -> None:
        if self._fh is None or self._path is None:
            return
        if self.before_close is not None:
            self.before_close()
        self._fh.close()
        final = self._path.with_name(self._path.name[: -len(OPEN)])
        os.replace(self._path, final)
        self.closed.append(final)
        self._fh = self._path = self._writer = None

    def close(self) -> list[Path]:
        """Close the file being written; the files this sink closed, in order."""
        self._close_file()
        return self.closed


def kept_records(path: str | os.PathLike[str]) -> Iterator[Kept]:
    """The response records of a WARC file, as far as they read whole."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type != "response" or not url or not record.http_headers:
                    continue
                record.content_stream().read()
                code = record.http_headers.get_statuscode() or "0"
                yield Kept(url, record.rec_headers.get_header(ROLE_HEADER) or "article", int(code) if code.isdigit() else 0,
                           record.rec_headers.get_header(REQUESTED_HEADER) or url)
        except Exception as exc:  # noqa: BLE001 - a half-written record ends what can be kept
            log.debug("%s: stops being readable: %s", path, exc)


def whole_members(path: str | os.PathLike[str]) -> int:
    """Where the last whole gzip member of a file ends: every record is one member, so a record the
    crawl was writing when it was killed is a member cut short (warcio reads it without a word)."""
    end = pos = 0
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            data = chunk
            while data:
                try:
                    inflater.decompress(data)
                except zlib.error:
                    return end
                if not inflater.eof:
                    pos += len(data)
                    break
                pos += len(data) - len(inflater.unused_data)
                end = pos
                data = inflater.unused_data
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return end


def recover(directory: str | os.PathLike[str]) -> tuple[list[Path], list[Kept]]:
    """Close the files a killed crawl left open: keep their whole records, cut the rest. The files
    closed, and the responses they hold."""
    found: list[Kept] = []
    closed: list[Path] = []
    folder = Path(directory)
    if not folder.is_dir():
        return closed, found
    for path in sorted(folder.glob(f"*{SUFFIX}{OPEN}")):
        size = path.stat().st_size
        whole = whole_members(path)
        if whole < size:
            log.warning("%s: cut %d bytes of a record the crawl was writing when it stopped", path, size - whole)
            with open(path, "r+b") as fh:
                fh.truncate(whole)
        found.extend(kept_records(path))
        final = path.with_name(path.name[: -len(OPEN)])
        os.replace(path, final)
        closed.append(final)
    return closed, found


@contextmanager
def locked(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the WARC folder for one crawl at a time: a second would take the first's open file for a
    killed crawl's, and fetch what the first has taken."""
    import fcntl

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ConfigError(f"{folder}: another crawl or watch is using this WARC folder (and its archive)") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
