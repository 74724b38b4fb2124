"""The localhost web-site fixture itself: real requests with httpx against real servers."""

from __future__ import annotations

import gzip
import json
import re
import ssl
import time
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import httpx
import pytest

from . import server
from .server import Request, Response, Sites, gzip_bomb, sites  # noqa: F401 (fixture)
from .sitegen import (
    ARTICLES,
    SECTIONS,
    article_page,
    article_path,
    atom,
    build_news_site,
    home_page,
    news_sitemap,
    robots,
    rss,
    sitemap,
    sitemap_index,
)

LM = "Sat, 14 Mar 2026 07:30:00 GMT"
PAGE = "<p>صوامع القمح</p>"

# (case, route path, response, request path, method, request headers, status, expected headers, body)
# An expected header value of None means the header must be absent; body None means not checked.
CASES = [
    ("html", "/", Response(body=PAGE), "/", "GET", {}, 200,
     {"content-type": "text/html; charset=utf-8", "content-length": str(len(PAGE.encode()))}, PAGE.encode()),
    ("bytes_cp1256", "/a", Response(body=PAGE.encode("windows-1256"), content_type="text/html"), "/a", "GET", {},
     200, {"content-type": "text/html"}, PAGE.encode("windows-1256")),
    ("no_content_type", "/a", Response(body=b"x", content_type=None), "/a", "GET", {}, 200,
     {"content-type": None}, b"x"),
    ("query_exact", "/s?q=1", Response(body="q"), "/s?q=1", "GET", {}, 200, {}, b"q"),
    ("query_differs", "/s?q=1", Response(body="q"), "/s", "GET", {}, 404, {}, None),
    ("status", "/gone", Response(status=410, body="gone"), "/gone", "GET", {}, 410, {}, b"gone"),
    ("redirect_301", "/old", Response.redirect_to("/new"), "/old", "GET", {}, 301, {"location": "/new"}, None),
    ("redirect_default_302", "/old", Response(redirect="http://127.0.0.9/x"), "/old", "GET", {}, 302,
     {"location": "http://127.0.0.9/x"}, None),
    ("etag_match", "/e", Response(body="e", etag="v1"), "/e", "GET", {"If-None-Match": '"v1"'}, 304,
     {"etag": '"v1"', "content-length": None}, b""),
    ("etag_weak_in_list", "/e", Response(body="e", etag="v1"), "/e", "GET", {"If-None-Match": 'W/"v0", W/"v1"'},
     304, {}, b""),
    ("etag_changed", "/e", Response(body="e", etag="v2"), "/e", "GET", {"If-None-Match": '"v1"'}, 200,
     {"etag": '"v2"'}, b"e"),
    ("ims_same", "/m", Response(body="m", last_modified=LM), "/m", "GET", {"If-Modified-Since": LM}, 304,
     {"last-modified": LM}, b""),
    ("ims_older", "/m", Response(body="m", last_modified=LM), "/m", "GET",
     {"If-Modified-Since": "Fri, 13 Mar 2026 07:30:00 GMT"}, 200, {}, b"m"),
    ("inm_wins_over_ims", "/m", Response(body="m", etag="v2", last_modified=LM), "/m", "GET",
     {"If-None-Match": '"v1"', "If-Modified-Since": LM}, 200, {}, b"m"),
    ("gzip", "/z", Response(body=PAGE * 50, gzip=True), "/z", "GET", {}, 200, {"content-encoding": "gzip"},
     (PAGE * 50).encode()),
    ("head", "/h", Response(body="12345"), "/h", "HEAD", {}, 200, {"content-length": "5"}, b""),
    ("extra_headers", "/x", Response(body="x", headers=[("X-Robots-Tag", "noindex")]), "/x", "GET", {}, 200,
     {"x-robots-tag": "noindex"}, b"x"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("route", "response", "path", "method", "headers", "status", "expect", "body"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_response(sites: Sites, route, response, path, method, headers, status, expect, body) -> None:
    site = sites.site("s")
    site.add(route, response)
    with httpx.Client() as client:
        r = client.request(method, site.url(path), headers=headers)
    assert r.status_code == status
    for name, value in expect.items():
        assert r.headers.get(name) == value, name
    if body is not None:
        assert r.content == body
    assert not sites.errors


def test_unknown_path_is_a_small_html_404(sites: Sites) -> None:
    r = httpx.get(sites.site("s").url("/nowhere"))
    assert r.status_code == 404 and "<h1>404</h1>" in r.text and r.headers["content-type"].startswith("text/html")


def test_callable_route_sees_the_request(sites: Sites) -> None:
    seen: list[Request] = []

    def answer(request: Request) -> Response:
        seen.append(request)
        return Response(body=request.headers["USER-AGENT"], content_type="text/plain")

    site = sites.site("s")
    site.add("/who?x=1&x=2", answer)
    site.add("/boom", lambda request: 1 / 0)  # type: ignore[arg-type, return-value]
    with httpx.Client(headers={"User-Agent": "marsad-test"}) as client:
        assert client.get(site.url("/who?x=1&x=2")).text == "marsad-test"
        assert client.get(site.url("/boom")).status_code == 500
    (request,) = seen
    assert (request.method, request.path, request.host, request.site) == ("GET", "/who?x=1&x=2", site.host, "s")
    assert request.query == {"x": ["1", "2"]} and request.headers.get("user-agent") == "marsad-test"
    assert len(sites.errors) == 1 and "ZeroDivisionError" in sites.errors[0]
    sites.errors.clear()  # deliberate: a fixture that asserts no errors at teardown must still pass


def test_sites_are_distinct_hosts_and_the_log_records_them(sites: Sites, tmp_path) -> None:
    news, blog = sites.site("news"), sites.site("blog")
    assert server.DISTINCT_HOSTS, "127.0.0.x did not bind: sites share 127.0.0.1"
    assert news.base.startswith("http://127.0.0.2:") and blog.base.startswith("http://127.0.0.3:")
    assert urlsplit(news.base).netloc == news.host
    with httpx.Client() as client:
        for url in (news.url("/"), blog.url("/a"), news.url("/b")):
            client.get(url)
    assert sites.paths("news") == ["/", "/b"] and sites.paths("blog") == ["/a"]
    first, second = sites.hits("news")
    assert first.conn == second.conn, "keep-alive: the second request reused the connection"
    assert first.host == news.host and first.headers["Host"] == news.host and first.status == 404
    assert first.end is not None and first.start <= first.end <= second.start
    assert sites.hits(path="/a")[0].site == "blog"
    sites.write_log(tmp_path / "log.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [(row["site"], row["path"], row["status"]) for row in rows] == [
        ("news", "/", 404), ("blog", "/a", 404), ("news", "/b", 404)
    ]


def test_delay_hang_and_a_prompt_shutdown(capfd) -> None:
    with Sites() as running:
        site = running.site("s")
        site.add("/slow", Response(body="late", delay=0.3))
        site.add("/never", Response(hang=True))
        started = time.monotonic()
        assert httpx.get(site.url("/slow")).text == "late"
        assert time.monotonic() - started >= 0.3
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(site.url("/never"), timeout=0.2)
        running.wait_for(1, path="/never", timeout=1)
        idle = httpx.Client()
        idle.get(site.url("/"))  # an idle keep-alive connection left open at shutdown
        started = time.monotonic()
    assert time.monotonic() - started < 1.0, "close() releases hanging handlers and idle connections"
    idle.close()
    (never,) = running.hits(path="/never")
    assert never.end is None and never.status is None
    assert capfd.readouterr().err == ""


def test_https_self_signed_certificate(sites: Sites, capfd) -> None:
    site = sites.site("secure", https=True)
    site.add("/", Response(body="ok"))
    assert site.base.startswith("https://127.0.0.")
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(site.url("/"))
    assert httpx.get(site.url("/"), verify=ssl.create_default_context(cafile=site.cafile)).text == "ok"
    assert not sites.errors and capfd.readouterr().err == ""


def test_gzip_bomb_and_clients_that_leave_mid_body(sites: Sites, capfd) -> None:
    small = gzip_bomb(3 * 1024 * 1024 + 5)
    assert gzip.decompress(small) == bytes(3 * 1024 * 1024 + 5)
    bomb = gzip_bomb()
    assert len(bomb) < 300_000 and gzip_bomb() is bomb  # cached
    site = sites.site("s")
    site.add("/bomb", Response(raw_gzip=bomb))
    site.add("/endless", Response(stream=iter(lambda: b"x" * 65536, b""), content_type="text/plain"))
    with httpx.Client() as client:
        with client.stream("GET", site.url("/bomb")) as r:
            assert r.headers["content-length"] == str(len(bomb)) and r.headers["content-encoding"] == "gzip"
            raw = next(r.iter_raw(65536))
        assert zlib.decompressobj(31).decompress(raw, 1 << 20) == bytes(1 << 20)
        with client.stream("GET", site.url("/endless")) as r:
            assert r.headers["transfer-encoding"] == "chunked" and "content-length" not in r.headers
            assert len(next(r.iter_bytes())) > 0
    time.sleep(0.1)  # let the handlers hit the closed sockets
    assert not sites.errors and capfd.readouterr().err == ""


def test_fallback_route_and_wait_for(sites: Sites) -> None:
    site = sites.site("trap")
    # a crawler trap: every page links to the next one, forever
    site.fallback = lambda r: Response(body=f'<a href="/p/{int(r.path.rsplit("/", 1)[1]) + 1}">next</a>')
    assert httpx.get(site.url("/p/7")).text == '<a href="/p/8">next</a>'
    assert [h.path for h in sites.wait_for(1, site="trap")] == ["/p/7"]
    with pytest.raises(TimeoutError):
        sites.wait_for(2, site="trap", timeout=0.05)
    with pytest.raises(ValueError):
        sites.site("trap")


# --- sitegen -------------------------------------------------------------------------------------


def test_articles_are_a_varied_corpus() -> None:
    assert len(ARTICLES) >= 24
    assert len({a.slug for a in ARTICLES}) == len(ARTICLES)
    assert {a.section for a in ARTICLES} == set(SECTIONS)
    for a in ARTICLES:
        assert re.fullmatch(r"[a-z0-9-]+", a.slug), a.slug
        assert a.published.tzinfo is not None and a.published.year == 2026, a.slug
        assert 4 <= len(a.paragraphs) <= 6 and 150 <= a.words <= 350, (a.slug, a.words)
        assert article_path(a) == f"/news/{a.published:%Y/%m/%d}/{a.slug}"


def test_article_page_variants() -> None:
    a = ARTICLES[0]
    page = article_page(a, site_name="مرصد", base="http://127.0.0.2:8000")
    assert '<html lang="ar" dir="rtl">' in page and '<meta charset="utf-8">' in page
    assert f"<h1 class=\"entry-title\">{a.title}</h1>" in page and a.author in page and "© 2026" in page
    assert f'<link rel="canonical" href="http://127.0.0.2:8000{article_path(a)}">' in page
    assert all(p in page for p in a.paragraphs[1:]) and 'property="article:published_time"' in page
    legacy = article_page(a, site_name="مرصد", charset="windows-1256", meta_charset=False, with_date=False)
    assert "charset" not in legacy and "2026-03-14T" not in legacy and "<time" not in legacy
    for article in ARTICLES:  # every page can be served in windows-1256
        article_page(article, site_name="مرصد", charset="windows-1256").encode("windows-1256")
    home = home_page("مرصد", ARTICLES[:3], "http://h", feed_links=(("rss", "/feed.xml"), ("atom", "/atom.xml")))
    assert '<link rel="alternate" type="application/rss+xml" title="مرصد" href="http://h/feed.xml">' in home
    assert 'type="application/atom+xml"' in home and all(article_path(x) in home for x in ARTICLES[:3])


def test_feeds_and_sitemaps_are_valid_xml() -> None:
    items = [("http://h" + article_path(a), a.title, a.published, a.updated) for a in ARTICLES[:3]]
    channel = ElementTree.fromstring(rss(items, title="مرصد", link="http://h/")).find("channel")
    assert channel is not None
    dates = [parsedate_to_datetime(i.findtext("pubDate", "")) for i in channel.iter("item")]
    assert dates == [a.published for a in ARTICLES[:3]]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.fromstring(atom(items, title="مرصد", link="http://h/"))
    published = [datetime.fromisoformat(e.findtext("a:published", "", ns)) for e in feed.iterfind("a:entry", ns)]
    assert published == [a.published for a in ARTICLES[:3]]
    sm = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    urlset = ElementTree.fromstring(sitemap([(u, p) for u, _, p, _ in items] + ["http://h/?a=1&b=2"]))
    assert [u.findtext("s:loc", "", sm) for u in urlset] == [u for u, *_ in items] + ["http://h/?a=1&b=2"]
    news = ElementTree.fromstring(news_sitemap([(u, t, p) for u, t, p, _ in items], "مرصد"))
    assert [n.findtext("n:news/n:title", "", sm) for n in news] == [a.title for a in ARTICLES[:3]]
    index = ElementTree.fromstring(sitemap_index(["http://h/a.xml", "http://h/b.xml"]))
    assert [s.findtext("s:loc", "", sm) for s in index] == ["http://h/a.xml", "http://h/b.xml"]
    assert robots(disallow=["/private"], crawl_delay=1.5, sitemaps=["http://h/sitemap.xml"]) == (
        "User-agent: *\nDisallow: /private\nCrawl-delay: 1.5\n\nSitemap: http://h/sitemap.xml\n"
    )


def test_build_news_site_serves_a_whole_site(sites: Sites) -> None:
    site = sites.site("news")
    built = build_news_site(site, ARTICLES[:6], feed="atom", news_sitemap=True, sitemap_index=True)
    assert built.feed_url == site.url("/atom.xml") and built.sitemap_urls == [site.url("/sitemap_index.xml")]
    with httpx.Client() as client:
        home = client.get(built.home).text
        links = {urljoin(built.home, href) for href in re.findall(r'<a href="([^"]+)"', home)}
        assert set(built.article_urls) <= links
        for url in sorted(links):
            assert client.get(url).status_code == 200, url
        assert "Sitemap: " + site.url("/sitemap_index.xml") in client.get(site.url("/robots.txt")).text
        first = client.get(built.article_urls[0])
        assert built.by_url[built.article_urls[0]].title in first.text
        again = client.get(built.article_urls[0], headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert client.get(built.feed_url).headers["content-type"].startswith("application/atom+xml")
        for url in ("/sitemap.xml", "/news-sitemap.xml", "/sitemap_index.xml"):
            ElementTree.fromstring(client.get(site.url(url)).content)
    assert not sites.errors
