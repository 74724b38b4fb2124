"""The HTTP API: JSON over the archive, one endpoint per question, each a call to
:class:`~marsad.archive.Archive`. ``/api/search`` answers exactly what ``marsad search --json``
prints for the same arguments, ``/api/articles/{id}`` what ``marsad show`` prints, and
``/api/stats`` what ``marsad stats --json`` prints."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from starlette.exceptions import HTTPException

from ..archive import Archive
from .app import check_token

router = APIRouter(prefix="/api", tags=["api"])

#: the largest body ``POST /api/ingest`` takes
MAX_INGEST_BYTES = 20 * 1024 * 1024

Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[date | None, Query(description="YYYY-MM-DD")]


def archive_of(request: Request) -> Archive:
    return request.app.state.archives.get()  # type: ignore[no-any-return]


@router.get("/search", summary="Search the archive (as `marsad search --json`)")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description='words, "phrases", OR, -excluded, prefix*')],
    date_from: Annotated[date | None, Query(alias="from", description="published on or after (YYYY-MM-DD)")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="published on or before (YYYY-MM-DD)")] = None,
    source: Text = None,
    lang: Annotated[str | None, Query(max_length=20)] = None,
    entity: Text = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
    sort: Literal["relevance", "date"] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    exact_names: Annotated[bool, Query(description="a name only as typed, without its other spellings")] = False,
) -> dict[str, Any]:
    found = archive_of(request).search(q, date_from=date_from, date_to=date_to, source=source, lang=lang, entity=entity,
                                       topic=topic, sort=sort, limit=limit, offset=offset, exact_names=exact_names)
    return found.to_dict()


@router.get("/articles/{article_id}", summary="One article with all its fields (as `marsad show`)")
def article(request: Request, article_id: Annotated[str, Path(max_length=500)]) -> dict[str, Any]:
    record = archive_of(request).get(article_id)
    if record is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return record


@router.get("/clusters/{cluster_id}", summary="The copies of one story: its syndication timeline")
def cluster(request: Request, cluster_id: Annotated[str, Path(max_length=500)]) -> dict[str, Any]:
    story = archive_of(request).cluster(cluster_id)
    if story is None:
        raise HTTPException(404, f"no story {cluster_id!r}")
    return story


@router.get("/trends", summary="Matching articles per day, week or month")
def trends(
    request: Request,
    q: Annotated[str | None, Query(max_length=1000)] = None,
    entity: Text = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
    source: Text = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    interval: Literal["day", "week", "month"] = "day",
    by: Literal["source"] | None = None,
    exact_names: Annotated[bool, Query(description="a name in q only as typed, without its other spellings")] = False,
) -> dict[str, Any]:
    return archive_of(request).trends(q=q or None, entity=entity or None, topic=topic or None, source=source or None,
                                      date_from=date_from, date_to=date_to, interval=interval, by=by,
                                      exact_names=exact_names)


@router.get("/entities", summary="The most-named entities of a period, with their change against the period before")
def entities(
    request: Request,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    label: Literal["PER", "LOC", "ORG", "MISC"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    sort: Annotated[Literal["count", "change"], Query(description="change: the rising list")] = "count",
) -> dict[str, Any]:
    return archive_of(request).top_entities(date_from=date_from, date_to=date_to, label=label, limit=limit, sort=sort)


@router.get("/entities/{name}", summary="One entity: its sources, companions, latest articles and mentions over time")
def entity(
    request: Request, name: Annotated[str, Path(min_length=1, max_length=200)],
    interval: Literal["day", "week", "month"] = "week",
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    archive = archive_of(request)
    found = archive.entity(name)
    if found is None:
        raise HTTPException(404, f"no article names {name!r}")
    if date_from is None and date_to is None:
        span = archive.entity_span(name)
        if span:
            date_from, date_to = span
    found["trend"] = archive.entity_trend(name, interval=interval, date_from=date_from, date_to=date_to)
    return found


@router.get("/sources", summary="Each source's articles, days, languages and quality profile")
def sources(request: Request) -> dict[str, Any]:
    return {"sources": archive_of(request).sources()}


@router.get("/stats", summary="Counts by source, language, month, cluster size, topic and entity (as `marsad stats --json`)")
def stats(request: Request) -> dict[str, Any]:
    return archive_of(request).stats()


@router.post("/ingest", summary="Run the pipeline on posted JSON lines or an HTML page and store the articles (token required)",
             status_code=200)
async def ingest(
    request: Request,
    url: Annotated[str | None, Query(max_length=2000, description="the page's URL, for an HTML body")] = None,
    source: Text = None,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    settings = request.app.state.settings
    given = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    check_token(settings, given)
    kind = _kind(request.headers.get("content-type", ""))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_INGEST_BYTES:
            raise HTTPException(413, f"the body is larger than {MAX_INGEST_BYTES // (1024 * 1024)} MB")
    if not body.strip():
        raise HTTPException(400, "the body is empty")
    if url is not None and not url.startswith(("http://", "https://")):
        raise HTTPException(422, "url must be an http(s) URL")
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_ingest, request, bytes(body), kind, url, source)


def _kind(content_type: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json"):
        return "jsonl"
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    raise HTTPException(415, "send JSON lines (application/x-ndjson) or an HTML page (text/html)")


def _ingest(request: Request, body: bytes, kind: str, url: str | None, source: str | None) -> dict[str, Any]:
    from ..jobs import ProcessOptions, ingest_data

    archives = request.app.state.archives
    with archives.lock:  # one ingest at a time: the archive takes one writer
        stats, counts, ids = ingest_data(body, kind, archives.path, ProcessOptions(source=source, progress=False), url=url)
    return {"ids": ids, "added": counts["added"], "updated": counts["updated"], "unchanged": counts["unchanged"],
            "read": stats.read, "errors": dict(stats.errors), "skipped": dict(stats.skipped), "summary": stats.summary()}
