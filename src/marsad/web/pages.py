"""The observatory's Arabic web pages: server-rendered (Jinja2, autoescaped), right to left, each a
few calls to :class:`~marsad.archive.Archive`, the same calls the API makes. They work with
JavaScript off; the charts are SVG drawn here (:mod:`marsad.web.charts`).

Text from the web (titles, bodies, names, URLs) is hostile: Jinja escapes all of it, the only
markup inserted around it is built here from escaped pieces (entity links, search marks), and a URL
becomes a link only if it is ``http(s)``, with ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException

from ..archive import Archive
from ..archive.views import instant
from .app import HERE
from .charts import time_chart

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True))

PAGE_SIZE = 10
LABELS = {"PER": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}
TOPICS = {"internationalNews": "دولي", "middleEast": "الشرق الأوسط", "sport": "رياضة", "economy": "اقتصاد",
          "technology": "تقنية", "culture": "ثقافة"}
LANGS = {"ar": "العربية", "en": "الإنجليزية", "fr": "الفرنسية", "fa": "الفارسية", "ur": "الأردية", "-": "غير معروفة",
         "": "غير معروفة"}


def safe_url(url: object) -> str | None:
    """``url`` if it is an http(s) URL without control characters, else None (no ``javascript:``)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or any(ord(c) < 32 or c in '<>"\'`' for c in url):
        return None
    return url


def ext_link(url: object, text: object = None) -> Markup:
    """A link out of the observatory, or the URL as plain text when it is not http(s)."""
    good = safe_url(url)
    shown = escape(text if text is not None else url or "")
    if good is None:
        return Markup(f'<span class="url">{shown}</span>')
    return Markup(f'<a href="{escape(good)}" rel="noopener noreferrer nofollow" target="_blank">{shown}</a>')


def pathq(value: object) -> str:
    return quote(str(value), safe="")


def when(value: object) -> str:
    """A stored ISO time as the page shows it: ``2024-06-03 09:15`` (the publisher's own clock)."""
    if not value:
        return "—"
    text = str(value)
    return text[:16].replace("T", " ") if len(text) > 10 else text


#: Arabic counted nouns: (one, two, 3-10, 11-99 (accusative), 100 and the rest); the count
#: agrees with the number (ثلاث نسخ، إحدى عشرة نسخة، مصدران، عشرون مصدراً)
NOUNS = {
    "article": ("مقالة واحدة", "مقالتان", "مقالات", "مقالة", "مقالة"),
    "source": ("مصدر واحد", "مصدران", "مصادر", "مصدراً", "مصدر"),
    "copy": ("نسخة واحدة", "نسختان", "نسخ", "نسخة", "نسخة"),
    "result": ("نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة", "نتيجة"),
    "minute": ("دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة"),
    "hour": ("ساعة", "ساعتين", "ساعات", "ساعة", "ساعة"),
    "day": ("يوم", "يومين", "أيام", "يوماً", "يوم"),
}


def counted(n: int, noun: str) -> Markup:
    """``n`` of ``noun`` in Arabic (``3 نسخ``, ``مصدران``), the number isolated for bidi."""
    one, two, few, many, hundreds = NOUNS[noun]
    if n == 1:
        return Markup(one)
    if n == 2:
        return Markup(two)
    rest = n % 100
    word = few if 3 <= rest <= 10 else many if 11 <= rest <= 99 else hundreds
    return Markup(f"<bdi>{n:,}</bdi> {escape(word)}")


def entity_href(name: str) -> str:
    return "/entities/" + pathq(name)


templates.env.filters.update(pathq=pathq, when=when, ext_link=ext_link, counted=counted)
templates.env.globals.update(LABELS=LABELS, TOPICS=TOPICS, LANGS=LANGS, entity_href=entity_href)


def archive_of(request: Request) -> Archive:
    return request.app.state.archives.get()  # type: ignore[no-any-return]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


def _interval_for(start: date, end: date) -> str:
    days = (end - start).days
    return "day" if days <= 62 else "week" if days <= 600 else "month"


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    archive = archive_of(request)
    latest = archive.latest_day()
    stories = archive.top_stories(latest, limit=10)
    rising = archive.top_entities(sort="change", limit=12) if latest else {"entities": []}
    chart = None
    if latest:
        trend = archive.trends(date_from=latest - timedelta(days=29), date_to=latest, interval="day")
        chart = time_chart(trend, title="المقالات في اليوم، آخر ثلاثين يوماً")
    total = archive.count()
    return render(request, "home.html", stories=stories, rising=rising, chart=chart, total=total, latest=latest)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=1000)] = "",
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    lang: Annotated[str | None, Query(max_length=20)] = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    exact_names: bool = False,
) -> Response:
    params = {"q": q, "from": date_from.isoformat() if date_from else None, "to": date_to.isoformat() if date_to else None,
              "source": source or None, "lang": lang or None, "entity": entity or None, "topic": topic or None,
              "sort": sort if sort != "relevance" else None, "exact_names": "1" if exact_names else None}
    if not q.strip():
        return render(request, "search.html", q=q, params=params, found=None)
    archive = archive_of(request)
    filters = dict(date_from=date_from, date_to=date_to, source=source or None, lang=lang or None, entity=entity or None,
                   topic=topic or None)
    found = archive.search(q, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, exact_names=exact_names, **filters)
    facets = archive.facets(q, exact_names=exact_names, **filters)
    span = archive.span()
    chart = None
    if span:  # the chart covers the filter's dates where the archive has articles (not years of zeros)
        start, end = max(date_from or span[0], span[0]), min(date_to or span[1], span[1])
        if start <= end:
            trend = archive.trends(q=q, entity=entity or None, topic=topic or None, source=source or None,
                                   date_from=start, date_to=end, interval=_interval_for(start, end), exact_names=exact_names)
            chart = time_chart(trend, title="المقالات المطابقة عبر الزمن")

    def link(**change: Any) -> str:
        merged = {**params, **change}
        return "/search?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    pages = {"prev": link(page=page - 1) if page > 1 else None,
             "next": link(page=page + 1) if page * PAGE_SIZE < found.total and page < 100 else None}
    return render(request, "search.html", q=q, params=params, found=found, facets=facets, chart=chart, link=link,
                  pages=pages, page=page, page_size=PAGE_SIZE)


def _paragraphs(text: str, entities: list[dict[str, Any]]) -> list[Markup]:
    """The body as paragraphs, each entity mention a link to its page: offsets are the body's, so
    the text between mentions is escaped piece by piece."""
    spans = sorted((e for e in entities if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)),
                   key=lambda e: e["start"])
    out: list[Markup] = []
    pos = 0
    for para in text.split("\n"):
        start, end = pos, pos + len(para)
        pos = end + 1
        if not para.strip():
            continue
        html, at = [], start
        for e in spans:
            if e["start"] < at or e["end"] > end or e["start"] >= e["end"]:
                continue
            html.append(str(escape(text[at:e["start"]])))
            name = str(e.get("canonical") or e.get("text") or "")
            label = str(e.get("label") or "")
            html.append(f'<a class="ent ent-{escape(label)}" href="{escape(entity_href(name))}"'
                        f' title="{escape(LABELS.get(label, label))}">{escape(text[e["start"]:e["end"]])}</a>')
            at = e["end"]
        html.append(str(escape(text[at:end])))
        out.append(Markup("".join(html)))
    return out


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Annotated[str, Path(max_length=500)]) -> Response:
    archive = archive_of(request)
    record = archive.get(article_id)
    if record is None:
        raise HTTPException(404, "لا توجد مقالة بهذا المعرّف")
    story = archive.cluster(record["cluster"]) if record.get("cluster") else None
    names = sorted({(str(e.get("canonical") or e.get("text")), str(e.get("label"))) for e in record.get("entities") or []})
    return render(request, "article.html", a=record, paragraphs=_paragraphs(record.get("text") or "", record.get("entities") or []),
                  story=story, names=names)


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: Annotated[str, Path(max_length=500)]) -> Response:
    story = archive_of(request).cluster(cluster_id)
    if story is None:
        raise HTTPException(404, "لا توجد قصة بهذا المعرّف")
    first = instant(story["copies"][0]["published"])
    for copy in story["copies"]:
        t = instant(copy["published"])
        copy["after"] = _after(t - first) if t and first and not copy["original"] else None
    return render(request, "cluster.html", story=story)


def _after(delta: timedelta) -> Markup:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return Markup("قبل الأصل")
    if minutes < 60:
        return Markup("بعد ") + counted(minutes, "minute")
    if minutes < 48 * 60:
        return Markup("بعد ") + counted(minutes // 60, "hour")
    return Markup("بعد ") + counted(minutes // (24 * 60), "day")


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: Annotated[str, Path(min_length=1, max_length=200)]) -> Response:
    archive = archive_of(request)
    found = archive.entity(name)
    if found is None:
        raise HTTPException(404, "لا توجد مقالة تذكر هذا الاسم")
    span = archive.entity_span(name)
    chart = None
    if span:
        start, end = span
        start = min(start, end - timedelta(days=29))
        trend = archive.entity_trend(name, date_from=start, date_to=end, interval=_interval_for(start, end))
        chart = time_chart(trend, title=f"المقالات التي تذكر {name}", kind="lines")
    return render(request, "entity.html", e=found, chart=chart)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> Response:
    archive = archive_of(request)
    profiles = archive.sources()
    span = archive.span()
    chart = None
    if span:
        start, end = span
        trend = archive.trends(date_from=start, date_to=end, interval=_interval_for(start, end), by="source")
        chart = time_chart(trend, title="المقالات لكل مصدر عبر الزمن", kind="lines")
    return render(request, "sources.html", profiles=profiles, chart=chart)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API's reference, drawn from its OpenAPI document (no Swagger UI fetched from a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                          "description": p.get("description") or p.get("schema", {}).get("description", ""),
                                          "type": _type_of(p.get("schema", {}))} for p in op.get("parameters", [])]})
    return render(request, "docs.html", endpoints=endpoints, spec=spec)


def _type_of(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)
