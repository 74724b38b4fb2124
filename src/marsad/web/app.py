"""The observatory as a web application: the HTTP API (``/api``) and the Arabic web pages (``/``),
one FastAPI app over one archive, both thin layers over :class:`~marsad.archive.Archive`.

Read-only unless given a token, which the write endpoints require. Every response carries a strict
Content-Security-Policy and the usual security headers; every API error has one JSON shape,
``{"error": {"code", "message"}}``, and no SQL error or stack trace reaches a client (they are
logged).
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..archive import Archive
from ..errors import ArchiveError, ConfigError, MarsadError

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TOKEN_ENV = "MARSAD_TOKEN"

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


@dataclass(frozen=True, slots=True)
class Settings:
    archive: Path
    #: the write endpoints' token; None: read-only
    token: str | None = None


class Archives:
    """One archive connection per thread (SQLite connections stay in the thread that opened them;
    FastAPI runs plain ``def`` endpoints in a pool of threads), opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()  # one writer at a time through this server
        self.opened: list[Archive] = []

    def get(self) -> Archive:
        archive = getattr(self.local, "archive", None)
        if archive is None:
            archive = Archive(self.path, create=False)
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


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter", 429: "too_many_requests",
          500: "internal_error", 503: "unavailable"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/api", "/openapi.json")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        name = ".".join(where) or "request"
        parts.append(f"{name}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(archive: str | os.PathLike[str], *, token: str | None = None) -> FastAPI:
    """The application over the archive at ``archive`` (which must exist); ``token`` enables the
    write endpoints (default: the ``MARSAD_TOKEN`` environment variable, else read-only)."""
    path = Path(archive)
    Archive(path, create=False).close()  # fails now, with a clear message, if it is not an archive
    token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    settings = Settings(archive=path, token=token)
    archives = Archives(path)

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        archives.close()

    app = FastAPI(
        title="marsad", version=_version(),
        description="The Arabic news observatory's HTTP API: search, articles, stories, trends, entities and sources.",
        docs_url=None, redoc_url=None, lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.archives = archives

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        try:
            response: Response = await call_next(request)
        except Exception:  # noqa: BLE001 - the last guard: a client never sees a stack trace
            log.exception("unhandled error on %s", request.url.path)
            response = error_response(500, "internal_error", "internal error")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if not _is_api(request):
            from .pages import error_page

            return error_page(request, exc.status_code, message)
        return error_response(exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        message = _validation_message(exc)
        if not _is_api(request):
            from .pages import error_page

            return error_page(request, 422, message)
        return error_response(422, "invalid_parameter", message)

    @app.exception_handler(ConfigError)
    async def bad_option(request: Request, exc: ConfigError) -> Response:
        if not _is_api(request):
            from .pages import error_page

            return error_page(request, 422, str(exc))
        return error_response(422, "invalid_parameter", str(exc))

    @app.exception_handler(MarsadError)
    async def failed(request: Request, exc: MarsadError) -> Response:
        # an archive error may quote SQL: the client gets a plain message, the log the details
        log.error("%s: %s", request.url.path, exc)
        message = "the archive could not answer" if isinstance(exc, ArchiveError) else "the request failed"
        if not _is_api(request):
            from .pages import error_page

            return error_page(request, 500, message)
        return error_response(500, "internal_error", message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        if not _is_api(request):
            from .pages import error_page

            return error_page(request, 500, "internal error")
        return error_response(500, "internal_error", "internal error")

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


def serve(archive: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the application with uvicorn until stopped."""
    import uvicorn

    if not Path(archive).exists():
        raise ConfigError(f"{archive}: no archive here (run `marsad ingest` first)")
    app = create_app(archive, token=token)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
