"""The observatory as a web application: the HTTP API (``/api``) and the Arabic web pages (``/``),
one FastAPI app over one archive, both thin layers over :class:`~marsad.archive.Archive`.

Read-only unless given a token, which the write endpoints require. Every response carries a strict
Content-Security-Policy and the usual security headers; every API error has one JSON shape,
``{"error": {"code", "message"}}``, and no SQL error or stack trace reaches a client (they are
logged).

The answers to GET requests (API and pages) are kept in memory until the archive changes
(:class:`ResponseCache`, :class:`ArchiveVersion`): the home page, the same for every visitor, is
computed once per ingest, not once per visit. ``marsad serve --workers N`` runs N processes, each
with its own connections and cache.
"""

from __future__ import annotations

import hmac
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..archive import Archive
from ..archive.store import is_url
from ..errors import ArchiveError, ConfigError, MarsadError

if TYPE_CHECKING:
    from ..archive.pg import PgArchive

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TOKEN_ENV = "MARSAD_TOKEN"
#: what a worker process of ``marsad serve --workers N`` reads its archive and cache size from
ARCHIVE_ENV = "MARSAD_ARCHIVE"
CACHE_ENV = "MARSAD_CACHE_MB"
#: the memory the kept answers may take, per process (``marsad serve --cache-mb``; 0: keep none)
CACHE_MB = 64
#: a larger answer is not kept
MAX_KEPT = 2 * 1024 * 1024
#: requests a process answers at a time, each in a thread with its own connection. The work is mostly
#: Python, which holds the GIL: on ANT at 50 clients, 40 threads (anyio's default) took half as much
#: CPU again per request as 4 and left the event loop waiting (a kept page took 180 ms at p95, not 12)
THREADS = 4
THREADS_ENV = "MARSAD_THREADS"
#: the archive's pages each reader connection maps instead of copying into its own cache
MMAP_BYTES = 256 * 1024 * 1024

#: scripts, styles and images from this server only; no inline script, no frames, forms post here
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
       " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


#: an archive: a SQLite file's path, or a PostgreSQL database's URL
Target = Path | str


def _target(archive: str | os.PathLike[str]) -> Target:
    """A file's path as a Path, a database URL as it is (``Path`` would fold its ``//``)."""
    return str(archive) if is_url(archive) else Path(archive)


@dataclass(frozen=True, slots=True)
class Settings:
    archive: Target
    #: the write endpoints' token; None: read-only
    token: str | None = None


class Archives:
    """One archive connection per thread (SQLite connections stay in the thread that opened them;
    FastAPI runs plain ``def`` endpoints in a pool of threads), opened on first use."""

    def __init__(self, path: Target) -> None:
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()  # one writer at a time through this server
        self.opened: list[Archive] = []

    def get(self) -> Archive:
        archive = getattr(self.local, "archive", None)
        if archive is None:
            archive = Archive(self.path, create=False)
            # readers only (the ingest endpoint opens its own connection); the file's pages are
            # mapped, shared by every thread's connection, rather than copied into each one's cache
            archive.for_reading(mmap_bytes=MMAP_BYTES)
            self.local.archive = archive
            with self.lock:
                self.opened.append(archive)
        return archive

    def close(self) -> None:
        for archive in self.opened:
            try:
                archive.close()
            except Exception:  # noqa: BLE001 - closing at shutdown, from another thread
                pass


class ArchiveVersion:
    """A number that changes when the archive does. SQLite's ``PRAGMA data_version``, asked on a
    connection of its own that never writes, changes whenever another connection commits: an
    ingest through this server (which opens its own connection) or from another process. A
    PostgreSQL archive counts its commits itself (:meth:`marsad.archive.pg.PgArchive.generation`)."""

    def __init__(self, path: Target) -> None:
        self.pg: PgArchive | None = None
        self.db: sqlite3.Connection | None = None
        if isinstance(path, str):
            from ..archive.pg import PgArchive

            self.pg = PgArchive(path, create=False)
        else:
            self.db = sqlite3.connect(path, timeout=1, isolation_level=None, check_same_thread=False)
        self.lock = threading.Lock()
        self.seen: int | None = None
        self.generation = 0

    def current(self) -> int:
        """The archive's generation: it grows by one each time a change is seen."""
        with self.lock:
            seen: int | None
            try:
                if self.pg is not None:
                    seen = self.pg.generation()
                else:
                    assert self.db is not None
                    seen = self.db.execute("PRAGMA data_version").fetchone()[0]
            except (sqlite3.Error, ArchiveError):  # cannot tell: count it as a change, so that nothing stale is served
                seen = None
            if seen is None or seen != self.seen:
                self.seen = seen
                self.generation += 1
            return self.generation

    def close(self) -> None:
        with self.lock:
            if self.pg is not None:
                self.pg.close()
            if self.db is not None:
                self.db.close()


#: a kept answer: status, headers, body
Kept = tuple[int, list[tuple[bytes, bytes]], bytes]


class ResponseCache:
    """The answers to GET requests, by path and query, for one generation of the archive; the
    least recently used go first past ``max_bytes``. Used from the event loop's thread only."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[bytes, bytes], Kept] = OrderedDict()
        self.size = 0
        self.generation = 0
        self.hits = self.misses = 0

    def get(self, key: tuple[bytes, bytes], generation: int) -> Kept | None:
        if generation != self.generation:
            self.entries.clear()
            self.size = 0
            self.generation = generation
        kept = self.entries.get(key)
        if kept is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return kept

    @staticmethod
    def _size(key: tuple[bytes, bytes], kept: Kept) -> int:
        """The memory a kept answer is counted for: body, headers, key and about 200 bytes more."""
        return len(kept[2]) + sum(len(k) + len(v) for k, v in kept[1]) + len(key[0]) + len(key[1]) + 200

    def put(self, key: tuple[bytes, bytes], generation: int, kept: Kept) -> None:
        size = self._size(key, kept)
        if generation != self.generation or size > self.max_bytes or key in self.entries:
            return
        self.entries[key] = kept
        self.size += size
        while self.size > self.max_bytes:
            self.size -= self._size(*self.entries.popitem(last=False))


class Guard:
    """The outer layer of every request (plain ASGI): the security headers on every response, a
    JSON 500 instead of any stack trace, and the kept answers of GET requests (200 and 404, the
    static files aside), each stored only if the archive did not change while it was computed."""

    def __init__(self, app: ASGIApp, *, cache: ResponseCache | None, version: ArchiveVersion | None) -> None:
        self.app = app
        self.cache = cache
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key: tuple[bytes, bytes] | None = None
        generation = 0
        if self.cache is not None and self.version is not None and scope["method"] == "GET" \
                and not scope["path"].startswith("/static/"):
            generation = self.version.current()
            key = (scope.get("raw_path") or scope["path"].encode("utf-8"), scope.get("query_string", b""))
            kept = self.cache.get(key, generation)
            if kept is not None:
                await send({"type": "http.response.start", "status": kept[0], "headers": kept[1]})
                await send({"type": "http.response.body", "body": kept[2]})
                return
        started = False
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        body = bytearray()

        async def guarded(message: Message) -> None:
            nonlocal started, status, headers, key
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                response_headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    response_headers.setdefault(name, value)
                headers = list(message["headers"])
                if status not in (200, 404):
                    key = None
            elif message["type"] == "http.response.body" and key is not None:
                body.extend(message.get("body", b""))
                if len(body) > MAX_KEPT:
                    key = None
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except Exception:  # noqa: BLE001 - the last guard: a client never sees a stack trace
            log.exception("unhandled error on %s", scope.get("path"))
            if started:
                raise
            await error_response(500, "internal_error", "internal error")(scope, receive, guarded)
            return
        if key is not None and self.cache is not None and self.version is not None \
                and self.version.current() == generation:
            self.cache.put(key, generation, (status, headers, bytes(body)))


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter", 429: "too_many_requests",
          500: "internal_error", 503: "unavailable"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/api", "/openapi.json")


def _answer_error(request: Request, status: int, code: str, message: str) -> Response:
    """An error as the client asked: the JSON error shape under the API, an HTML page elsewhere."""
    if not _is_api(request):
        from .pages import error_page

        return error_page(request, status, message)
    return error_response(status, code, message)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        name = ".".join(where) or "request"
        parts.append(f"{name}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(archive: str | os.PathLike[str], *, token: str | None = None, cache_mb: int = CACHE_MB,
               threads: int = THREADS) -> FastAPI:
    """The application over the archive at ``archive`` (which must exist); ``token`` enables the
    write endpoints (default: the ``MARSAD_TOKEN`` environment variable, else read-only);
    ``cache_mb`` bounds the answers kept until the archive changes (0: none kept); ``threads``
    requests are answered at a time (the others wait their turn)."""
    if threads < 1:
        raise ConfigError(f"threads must be at least 1, not {threads}")
    path = _target(archive)
    Archive(path, create=False).close()  # fails now, with a clear message, if it is not an archive
    token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    settings = Settings(archive=path, token=token)
    archives = Archives(path)
    version = ArchiveVersion(path) if cache_mb > 0 else None
    cache = ResponseCache(cache_mb * 1024 * 1024) if cache_mb > 0 else None

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        archives.close()
        if version is not None:
            version.close()

    app = FastAPI(
        title="marsad", version=_version(),
        description="The Arabic news observatory's HTTP API: search, articles, stories, trends, entities and sources.",
        docs_url=None, redoc_url=None, lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.archives = archives
    app.state.cache = cache
    app.add_middleware(Guard, cache=cache, version=version)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return _answer_error(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _answer_error(request, 422, "invalid_parameter", _validation_message(exc))

    @app.exception_handler(ConfigError)
    async def bad_option(request: Request, exc: ConfigError) -> Response:
        return _answer_error(request, 422, "invalid_parameter", str(exc))

    @app.exception_handler(MarsadError)
    async def failed(request: Request, exc: MarsadError) -> Response:
        # an archive error may quote SQL: the client gets a plain message, the log the details
        log.error("%s: %s", request.url.path, exc)
        message = "the archive could not answer" if isinstance(exc, ArchiveError) else "the request failed"
        return _answer_error(request, 500, "internal_error", message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return _answer_error(request, 500, "internal_error", "internal error")

    from .api import router as api_router
    from .pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def check_token(settings: Settings, given: str | None) -> None:
    """Raise 403 when the server is read-only, 401 when ``given`` is not its token."""
    if settings.token is None:
        raise StarletteHTTPException(403, "this server is read-only: start it with --token (or MARSAD_TOKEN) to allow writes")
    if not given or not hmac.compare_digest(given.encode("utf-8"), settings.token.encode("utf-8")):
        raise StarletteHTTPException(401, "a valid token is required (Authorization: Bearer TOKEN)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marsad")
    except PackageNotFoundError:
        return "0"


def app_from_env() -> FastAPI:
    """The application of one worker process of ``marsad serve --workers N``: uvicorn starts each
    worker from an import string, so the archive, the cache size and the token come from the
    environment the parent set."""
    archive = os.environ.get(ARCHIVE_ENV)
    if not archive:
        raise ConfigError(f"{ARCHIVE_ENV} is not set: start the server with marsad serve")
    return create_app(archive, cache_mb=int(os.environ.get(CACHE_ENV) or CACHE_MB),
                      threads=int(os.environ.get(THREADS_ENV) or THREADS))


def serve(archive: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          workers: int = 1, cache_mb: int = CACHE_MB, threads: int = THREADS) -> None:
    """Run the application with uvicorn until stopped, in ``workers`` processes."""
    import uvicorn

    if not is_url(archive) and not Path(archive).exists():
        raise ConfigError(f"{archive}: no archive here (run `marsad ingest` first)")
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    if cache_mb < 0:
        raise ConfigError(f"--cache-mb must be 0 or more, not {cache_mb}")
    if threads < 1:
        raise ConfigError(f"--threads must be at least 1, not {threads}")
    options = dict(host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
    if workers == 1:
        uvicorn.run(create_app(archive, token=token, cache_mb=cache_mb, threads=threads), **options)  # type: ignore[arg-type]
        return
    Archive(_target(archive), create=False).close()  # a bad archive fails here, once, not in every worker
    os.environ[ARCHIVE_ENV] = str(archive) if is_url(archive) else str(Path(archive).resolve())
    os.environ[CACHE_ENV] = str(cache_mb)
    os.environ[THREADS_ENV] = str(threads)
    if token is not None:
        os.environ[TOKEN_ENV] = token
    uvicorn.run("marsad.web.app:app_from_env", factory=True, workers=workers, **options)  # type: ignore[arg-type]
