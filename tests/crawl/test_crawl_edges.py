"""The crawl's harder cases: sitemap indexes that do not change while their sitemaps do, URLs that
cannot be URLs, hosts that ask to be left alone or stop answering, WARC files cut in the middle of a
record, and two crawls on one archive."""

from __future__ import annotations

import base64
import random
import time
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.crawl.fetch import Exchange
from marsad.crawl.run import fetched_before
from marsad.crawl.warcs import WarcSink, recover

from .conftest import crawl, spawn, stored
from .server import Response, Sites
from .sitegen import ARTICLES, article_page, article_path, build_news_site, home_page, robots, sitemap, sitemap_index

SOME = ARTICLES[:6]


def test_a_sitemap_index_that_answers_304_still_has_its_sitemaps_read(sites: Sites, archive: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    build_news_site(site, SOME, feed=None, sitemap=False)
    index = site.add("/sitemap_index.xml", Response(body=sitemap_index([site.url("/news.xml")]),
                                                     content_type="application/xml", etag="v1"))
    site.add("/news.xml", Response(body=sitemap([site.url(article_path(a)) for a in SOME[:3]]),
                                   content_type="application/xml"))
    crawl(capsys, archive, index)
    assert len(stored(archive)) == 3
    site.add("/news.xml", Response(body=sitemap([site.url(article_path(a)) for a in SOME]), content_type="application/xml"))
    crawl(capsys, archive, index)
    assert [h.status for h in sites.hits("s", "/sitemap_index.xml")][-1] == 304
    assert len(stored(archive)) == 6


def test_a_sitemap_that_failed_once_is_read_again(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    build_news_site(site, SOME, feed=None, sitemap=False)
    body = sitemap([(site.url(article_path(a)), a.published) for a in SOME])
    index = site.add("/sitemap_index.xml", Response(body=sitemap_index([(site.url("/news.xml"), SOME[0].published)]),
                                                     content_type="application/xml"))
    site.add("/news.xml", Response(status=500, body="down"))
    first = crawl(capsys, archive, index)
    assert first["errors"] == {"http_5xx": 1}
    site.add("/news.xml", Response(body=body, content_type="application/xml"))
    crawl(capsys, archive, index)
    assert len(stored(archive)) == len(SOME)


def test_malformed_addresses_cost_only_themselves(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    build_news_site(site, SOME[:3], feed=None, sitemap=False)
    links = [("http://[oops/news/2026/01/01/broken-link-here", "مكسور"), ("http://127.0.0.1:0/x-y-z-w", "صفر")]
    site.add("/", Response(body=home_page("s", SOME[:3], site.base, feed_links=(), extra_links=links)))
    site.add(article_path(SOME[0]), Response(status=301, headers=[("Location", "http://[oops/x")]))
    report = crawl(capsys, archive, site.url("/"))
    assert report["errors"] == {"bad_url": 1}
    assert len(stored(archive)) == 2


def test_what_a_seed_left_queued_is_crawled_for_the_source_registered_later(sites: Sites, archive: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME, feed="rss", sitemap=False)
    crawl(capsys, archive, built.feed_url, "--max-pages", "2")
    assert main(["sources", "add", site.url("/"), "--archive", str(archive), "--allow-private"]) == 0
    crawl(capsys, archive)
    assert len(stored(archive)) == len(SOME)


def test_a_host_that_asks_for_a_long_wait_is_left_for_a_later_crawl(sites: Sites, archive: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    slow, fine = sites.site("slow"), sites.site("fine")
    built = build_news_site(slow, SOME[:4], feed="rss", sitemap=False)
    other = build_news_site(fine, SOME[4:6], feed="rss", sitemap=False)
    first = max(SOME[:4], key=lambda a: a.published)  # fetched first: the newest
    slow.add(article_path(first), Response(status=429, headers=[("Retry-After", "3600")], body="later"))
    started = time.monotonic()
    report = crawl(capsys, archive, built.feed_url, other.feed_url)
    assert time.monotonic() - started < 30
    assert report["errors"] == {"rate_limited": 1}
    assert report["skipped"].get("deferred", 0) == 0 or report["skipped"]["deferred"] >= 1
    assert len([u for u in stored(archive) if u.startswith(fine.base)]) == 2
    assert not [p for p in sites.paths("slow") if p.startswith("/news/") and p != article_path(first)]
    # the rest of the slow host stays queued for the next crawl
    slow.add(article_path(first), Response(body=article_page(first, site_name="slow", base=slow.base)))
    crawl(capsys, archive, built.feed_url)
    assert len([u for u in stored(archive) if u.startswith(slow.base)]) == 4


def test_a_host_that_stops_answering_is_left_after_three_timeouts(sites: Sites, archive: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, ARTICLES[:8], feed="rss", sitemap=False)
    for article in ARTICLES[:8]:
        site.add(article_path(article), Response(hang=True))
    report = marsad_timeout(capsys, archive, built.feed_url)
    assert report["errors"] == {"timeout": 3}
    assert len([p for p in sites.paths("s") if p.startswith("/news/")]) == 3


def marsad_timeout(capsys: pytest.CaptureFixture[str], archive: Path, seed: str) -> dict:  # type: ignore[type-arg]
    from .conftest import marsad_json

    return marsad_json(capsys, "crawl", seed, "--archive", str(archive), "--allow-private", "--delay", "0",
                       "--no-enrich", "--no-progress", "--timeout", "0.5")


def test_a_huge_crawl_delay_leaves_the_host_after_one_page(sites: Sites, archive: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME[:4], feed="rss", sitemap=False, robots=robots(crawl_delay=7200))
    started = time.monotonic()
    report = crawl(capsys, archive, built.feed_url)
    assert time.monotonic() - started < 20
    assert report["pages"] <= 1 and report["errors"] == {}


def _exchange(url: str, status: int, body: bytes = b"<html><body>page</body></html>") -> Exchange:
    from datetime import UTC, datetime

    return Exchange(url=url, method="GET", request_headers=[("Host", "example.org")], started=datetime.now(UTC),
                    status=status, reason="", http_version="HTTP/1.1",
                    response_headers=[("Content-Type", "text/html"), ("Content-Length", str(len(body)))], body=body)


RECOVERY = [  # (case, exchanges written: (url, status, requested), URLs that count as fetched)
    ("a page", [("https://example.org/a", 200, None)], ["https://example.org/a"]),
    ("a 503 is asked for again", [("https://example.org/a", 503, None)], []),
    ("a 404 is not", [("https://example.org/a", 404, None)], ["https://example.org/a"]),
    ("a redirect counts for the URL first asked for",
     [("https://example.org/a", 301, "https://example.org/a"), ("https://example.org/b", 200, "https://example.org/a")],
     ["https://example.org/a"]),
    ("a redirect whose target was not written yet is asked for again",
     [("https://example.org/a", 301, "https://example.org/a")], []),
]


@pytest.mark.parametrize(("case", "written", "fetched"), RECOVERY, ids=[c for c, _, _ in RECOVERY])
def test_recovery_reads_what_a_killed_crawl_wrote(case, written, fetched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sink = WarcSink(tmp_path)
    for url, status, requested in written:
        sink.write(_exchange(url, status), role="article", requested=requested)
    assert sink._fh is not None
    sink._fh.close()  # as kill -9 leaves it: .open
    closed, kept = recover(tmp_path)
    assert len(closed) == 1 and closed[0].name.endswith(".warc.gz")
    assert sorted(fetched_before(kept)) == sorted(fetched), case


def test_a_record_cut_by_a_kill_is_cut_from_the_file(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path)
    sink.write(_exchange("https://example.org/a", 200), role="article")
    assert sink._fh is not None and sink._path is not None
    whole = sink._fh.tell()
    noise = base64.b64encode(random.Random(7).randbytes(50_000))  # does not compress: a long member to cut
    sink.write(_exchange("https://example.org/b", 200, b"<html>" + noise + b"</html>"), role="article")
    sink._fh.close()
    data = sink._path.read_bytes()
    sink._path.write_bytes(data[: whole + 2000])  # the second record half written
    closed, kept = recover(tmp_path)
    assert [k.url for k in kept] == ["https://example.org/a"]
    assert closed[0].stat().st_size == whole
    from marsad.steps.readers import Reader

    reader = Reader([str(closed[0])])
    assert [a.url for a in reader] == ["https://example.org/a"]
    assert not reader.stats.get("errors")


def test_two_crawls_on_one_archive_are_refused(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, ARTICLES[:8], feed="rss", sitemap=False)
    child = spawn("crawl", built.feed_url, "--archive", str(archive), "--allow-private", "--delay", "0.5", "--no-enrich")
    try:
        sites.wait_for(2, site="s", timeout=30)
        assert main(["crawl", built.feed_url, "--archive", str(archive), "--allow-private", "--no-enrich"]) == 1
        assert "another crawl" in capsys.readouterr().err
    finally:
        child.terminate()
        child.communicate(timeout=60)
    assert child.returncode == 0  # SIGTERM stops a crawl cleanly


def test_a_warc_is_read_back_by_the_ingest(tmp_path: Path) -> None:
    """What the sink writes is what marsad's WARC reader reads (source, hint, skipped roles)."""
    from datetime import UTC, datetime

    from marsad.steps.readers import Reader

    sink = WarcSink(tmp_path)
    page = article_page(SOME[0], site_name="s").encode()
    sink.write(_exchange("https://example.org/a", 200, page), role="article", source="المصدر",
               hint=datetime(2026, 5, 1, tzinfo=UTC))
    sink.write(_exchange("https://example.org/feed.xml", 200, b"<rss></rss>"), role="feed")
    paths = sink.close()
    reader = Reader([str(p) for p in paths])
    articles = list(reader)
    assert [(a.url, a.source) for a in articles] == [("https://example.org/a", "المصدر")]
    assert articles[0].published_hint == datetime(2026, 5, 1, tzinfo=UTC)
    assert reader.stats["skipped:crawl_feed"] == 1


def test_the_address_guard_connects_by_address_and_keeps_tls_checks(sites: Sites, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guarded connection (the default, without --allow-private) resolves the name itself and
    connects to the address; TLS still checks the certificate against the URL's host."""
    import asyncio

    from marsad.crawl import fetch

    site = sites.site("tls", https=True)
    site.add("/", Response(body="<html><body>مرحبا</body></html>"))
    monkeypatch.setattr(fetch, "is_public", lambda ip: True)  # the loopback site stands for a public one

    async def get(verify: object) -> fetch.Fetched:
        options = fetch.FetchOptions(verify=verify)  # type: ignore[arg-type]  # bool or an SSL context
        async with fetch.make_client(options) as client:
            return await fetch.Fetcher(client, options).fetch(site.url("/"))

    import ssl

    trusted = asyncio.run(get(ssl.create_default_context(cafile=str(site.cafile))))
    assert trusted.ok and "مرحبا" in trusted.content.decode()
    assert asyncio.run(get(True)).error.reason == "bad_certificate"  # type: ignore[union-attr]


SCHEDULES = [  # (articles the source listed in the last week, seconds until it is read again)
    (0, 900.0),  # nothing known yet: --interval
    (7, 3600.0 * 4),  # one a day: a day, held at 16 times the interval (4 h)
    (7 * 24, 3600.0),  # one an hour: every hour
    (7 * 24 * 60, 225.0),  # one a minute: a quarter of the interval at most
]


@pytest.mark.parametrize(("listed", "seconds"), SCHEDULES, ids=[str(n) for n, _ in SCHEDULES])
def test_a_source_is_read_as_often_as_it_publishes(listed: int, seconds: float, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from marsad.archive.store import Archive
    from marsad.crawl.run import next_interval

    with Archive(tmp_path / "a.db") as archive:
        state = archive.crawl_state
        source = state.add_source("https://news.example/feed.xml", name="n", kind="feed")
        now = datetime.now(UTC)
        entries = [(f"https://news.example/a/{i}", now - timedelta(seconds=i * 7 * 86400 / max(listed, 1)), None)
                   for i in range(listed)]
        entries += [(f"https://news.example/old/{i}", now - timedelta(days=30 + i), None) for i in range(5)]
        state.add_urls(source.id, entries)
        assert next_interval(state, source, 900.0, 225.0, 900.0 * 16) == pytest.approx(seconds, rel=0.01)
