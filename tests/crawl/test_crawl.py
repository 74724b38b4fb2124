"""``marsad sources`` and ``marsad crawl`` against real sites served on loopback addresses.

Every site is built from the fixtures' own Arabic articles (tests/crawl/sitegen.py); the assertions
read the servers' request logs (what was fetched, in which order, at what spacing), the WARC files
and the archive.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from marsad.cli import main

from .conftest import crawl, marsad_json, stored, warc_records
from .server import Response, Sites, gzip_bomb
from .sitegen import ARTICLES, FeedItem, article_page, article_path, atom, build_news_site, news_sitemap, robots, sitemap

SOME = ARTICLES[:6]


def article_hits(sites: Sites, name: str) -> list[str]:
    return [h.path for h in sites.hits(name) if h.path.startswith("/news/")]


# ---------------------------------------------------------------------------------------------- sources


def test_a_site_is_found_from_its_home_page_and_followed(sites: Sites, archive: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("daily")
    built = build_news_site(site, SOME, feed="rss", sitemap=True, news_sitemap=True, sitemap_index=True,
                            site_name="اليومية")
    added = marsad_json(capsys, "sources", "add", site.url("/"), "--archive", str(archive), "--allow-private")
    kinds = {listing["url"]: listing["kind"] for listing in added["listings"]}
    assert added["name"] == "اليومية"  # as the site names itself (og:site_name)
    assert kinds[built.feed_url] == "feed"  # <link rel="alternate">
    assert kinds[built.sitemap_urls[0]] == "sitemap"  # robots.txt's Sitemap: line
    assert sites.paths("daily")[0] == "/robots.txt"

    sites.clear_log()
    report = crawl(capsys, archive, "--contact", "ops@example.org", "--warc-dir", str(tmp_path / "warc"))
    assert report["pages"] == len(SOME) and report["errors"] == {}
    got = stored(archive)
    assert set(got) == set(built.article_urls)
    for url, article in built.by_url.items():
        assert got[url]["title"] == article.title
        assert got[url]["source"] == "اليومية"
        assert article.paragraphs[1][:40] in got[url]["text"]
    # robots.txt was read by `sources add`: not asked for again within a day; newest first, as the
    # listings date them
    paths = sites.paths("daily")
    assert "/robots.txt" not in paths
    newest = [article_path(a) for a in sorted(SOME, key=lambda a: a.published, reverse=True)]
    assert article_hits(sites, "daily") == newest
    agent = sites.hits("daily")[-1].headers["user-agent"]
    assert "marsad/" in agent and "ops@example.org" in agent
    # every exchange in the WARC: a request and a response for each page, feed, sitemap and robots.txt
    records = warc_records(tmp_path / "warc")
    for url in built.article_urls:
        assert ("response", url, "article", 200) in records
        assert ("request", url, None, None) in records
    assert ("response", built.feed_url, "feed", 200) in records
    added_warc = warc_records(archive.with_name("news-warc"))  # what `sources add` fetched
    assert any(r[1].endswith("/robots.txt") and r[2] == "robots" for r in added_warc)

    listed = marsad_json(capsys, "sources", "list", "--archive", str(archive))
    assert listed[0]["articles"] == len(SOME) and listed[0]["errors"] == 0 and listed[0]["last_fetch"]

    # a day later, robots.txt is read again, before anything else
    con = sqlite3.connect(archive)
    with con:
        con.execute("UPDATE robots SET fetched = '2000-01-01T00:00:00+00:00'")
    con.close()
    sites.clear_log()
    crawl(capsys, archive, "--warc-dir", str(tmp_path / "warc"))
    assert sites.paths("daily")[0] == "/robots.txt"


def test_sources_are_listed_and_removed(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = sites.site("a"), sites.site("b")
    build_news_site(a, SOME[:2], feed="atom", sitemap=False)
    built_b = build_news_site(b, SOME[2:4], feed=None, sitemap=True)
    assert main(["sources", "add", a.url("/atom.xml"), "--name", "ألف", "--archive", str(archive), "--allow-private"]) == 0
    assert main(["sources", "add", built_b.sitemap_urls[0], "--archive", str(archive), "--allow-private"]) == 0
    listed = marsad_json(capsys, "sources", "list", "--archive", str(archive))
    assert [(s["name"], s["kind"]) for s in listed] == [("ألف", "feed"), (b.host, "sitemap")]
    assert main(["sources", "remove", "ألف", "--archive", str(archive)]) == 0
    assert [s["kind"] for s in marsad_json(capsys, "sources", "list", "--archive", str(archive))] == ["sitemap"]
    assert main(["sources", "remove", "ألف", "--archive", str(archive)]) == 1  # one clear error
    assert "no source" in capsys.readouterr().err


def test_a_source_that_is_not_a_url_is_refused(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "add", "example", "--archive", str(archive)]) == 1
    assert "http(s) URL" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- listings

def _rss_site(site):  # type: ignore[no-untyped-def]
    return build_news_site(site, SOME, feed="rss", sitemap=False).feed_url


def _atom_site(site):  # type: ignore[no-untyped-def]
    return build_news_site(site, SOME, feed="atom", sitemap=False).feed_url


def _index_site(site):  # type: ignore[no-untyped-def]
    return build_news_site(site, SOME, feed=None, sitemap=True, news_sitemap=True, sitemap_index=True).sitemap_urls[0]


def _home_only(site):  # type: ignore[no-untyped-def]
    return build_news_site(site, SOME, feed=None, sitemap=False).home


def _gzipped_sitemap(site):  # type: ignore[no-untyped-def]
    import gzip

    build_news_site(site, SOME, feed=None, sitemap=False)
    text = sitemap([(site.url(article_path(a)), a.published) for a in SOME])
    return site.add("/sitemap.xml.gz", Response(body=gzip.compress(text.encode()), content_type="application/x-gzip"))


LISTINGS = [  # (case, build the site and give the seed)
    ("RSS 2.0 feed", _rss_site),
    ("Atom feed", _atom_site),
    ("sitemap index with a news sitemap", _index_site),
    ("a home page with no feed or sitemap: its article links", _home_only),
    ("a gzipped sitemap", _gzipped_sitemap),
]


@pytest.mark.parametrize(("case", "build"), LISTINGS, ids=[c for c, _ in LISTINGS])
def test_each_kind_of_listing_gives_its_articles(case, build, sites: Sites, archive: Path,  # type: ignore[no-untyped-def]
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    seed = build(site)
    report = crawl(capsys, archive, seed)
    assert report["errors"] == {}, case
    assert set(stored(archive)) == {site.url(article_path(a)) for a in SOME}, case
    # section, tag, about and contact pages are not articles
    assert not [p for p in sites.paths("s") if p.startswith(("/section", "/tag", "/about", "/contact"))], case


def test_listing_dates_are_hints_never_the_pages_own(sites: Sites, archive: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A page without a date takes the news sitemap's; a page with one keeps its own."""
    site = sites.site("s")
    undated, dated = SOME[0], SOME[1]
    paths = {a.slug: f"/story/{a.slug}" for a in (undated, dated)}  # no date in the address either
    site.add(paths[undated.slug], Response(body=article_page(undated, site_name="س", with_date=False,
                                                             canonical=site.url(paths[undated.slug]))))
    site.add(paths[dated.slug], Response(body=article_page(dated, site_name="س", canonical=site.url(paths[dated.slug]))))
    listed = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
    entries = [(site.url(paths[a.slug]), a.title, listed) for a in (undated, dated)]
    seed = site.add("/news-sitemap.xml", Response(body=news_sitemap(entries, "س"), content_type="application/xml"))
    crawl(capsys, archive, seed)
    got = stored(archive)
    assert got[site.url(paths[undated.slug])]["published"].startswith("2026-05-20")
    assert got[site.url(paths[dated.slug])]["published"][:10] == dated.published.date().isoformat()


def test_since_and_max_pages(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, ARTICLES, feed="rss", sitemap=False)
    cut = sorted(a.published for a in ARTICLES)[len(ARTICLES) // 2]
    report = crawl(capsys, archive, built.feed_url, "--since", cut.astimezone(UTC).isoformat(), "--max-pages", "3")
    assert report["pages"] == 3
    fetched = set(article_hits(sites, "s"))
    newest = sorted(ARTICLES, key=lambda a: a.published, reverse=True)[:3]
    assert fetched == {article_path(a) for a in newest}
    rest = crawl(capsys, archive, built.feed_url, "--since", cut.astimezone(UTC).isoformat())
    assert rest["pages"] == sum(1 for a in ARTICLES if a.published >= cut) - 3
    assert all(a.published >= cut for a in ARTICLES if article_path(a) in article_hits(sites, "s"))


# ---------------------------------------------------------------------------------------------- conditional requests


def test_the_second_crawl_fetches_nothing_new_and_says_so(sites: Sites, archive: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME, feed="atom", sitemap=True)
    assert main(["sources", "add", site.url("/"), "--archive", str(archive), "--allow-private"]) == 0
    first = crawl(capsys, archive)
    assert first["pages"] == len(SOME)
    sites.clear_log()
    capsys.readouterr()
    assert main(["crawl", "--archive", str(archive), "--allow-private", "--delay", "0", "--no-enrich"]) == 0
    assert "nothing new" in capsys.readouterr().err
    hits = sites.hits("s")
    assert not article_hits(sites, "s")
    validated = [h for h in hits if h.path in ("/", "/atom.xml")]  # the fixture's sitemap sends no validators
    assert len(validated) == 2 and all(h.status == 304 for h in validated)
    assert all("if-none-match" in h.headers and "if-modified-since" in h.headers for h in validated)

    # the feed says one article was updated since: that one alone is fetched again
    changed = SOME[0]
    later = datetime.now(UTC) + timedelta(seconds=1)
    items = [FeedItem(site.url(article_path(a)), a.title, a.published, later if a is changed else None) for a in SOME]
    site.add("/atom.xml", Response(body=atom(items, title="s", link=site.url("/")), content_type="application/atom+xml"))
    sites.clear_log()
    third = crawl(capsys, archive)
    assert article_hits(sites, "s") == [article_path(changed)]
    assert third["ingest"]["unchanged"] + third["ingest"]["updated"] == 1
    assert len(stored(archive)) == len(SOME)
    assert built.article_urls


def test_a_url_already_in_the_archive_is_not_fetched(sites: Sites, archive: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME[:3], feed="rss", sitemap=False)
    known = SOME[0]
    page = tmp_path / "known.html"
    page.write_text(article_page(known, site_name="s", base=site.base), encoding="utf-8")
    assert main(["ingest", str(page), "--archive", str(archive), "--no-enrich", "--no-progress"]) == 0
    crawl(capsys, archive, built.feed_url)
    assert article_path(known) not in article_hits(sites, "s")
    assert len(article_hits(sites, "s")) == 2


# ---------------------------------------------------------------------------------------------- politeness


def test_robots_rules_and_crawl_delay_are_obeyed(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME, feed="rss", sitemap=False, robots=False)
    barred = SOME[2]
    site.add("/robots.txt", Response(body=robots(disallow=[article_path(barred)], crawl_delay=0.4),
                                     content_type="text/plain"))
    report = crawl(capsys, archive, built.feed_url, delay="0")
    assert article_path(barred) not in sites.paths("s")
    assert report["skipped"].get("robots_disallowed") == 1
    starts = [h.start for h in sites.hits("s")]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.38  # Crawl-delay 0.4 over --delay 0


def test_one_request_at_a_time_per_host_and_hosts_at_once(sites: Sites, archive: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    feeds = []
    for name in ("a", "b", "c"):
        feeds.append(build_news_site(sites.site(name), SOME[:4], feed="rss", sitemap=False).feed_url)
    report = crawl(capsys, archive, *feeds, delay="0.3")
    assert report["pages"] == 12
    for name in ("a", "b", "c"):
        hits = sorted(sites.hits(name), key=lambda h: h.start)
        for one, two in zip(hits, hits[1:]):
            assert one.end is not None and two.start >= one.end  # never two at once
            assert two.start - one.start >= 0.29  # the delay between two
    # the hosts were fetched side by side: the crawl took about one host's time, not three
    everything = sorted(sites.hits(), key=lambda h: h.start)
    assert everything[-1].start - everything[0].start < 2 * (len(sites.hits("a")) * 0.3 + 0.5)
    overlaps = sum(1 for h in sites.hits("a") for g in sites.hits("b") if abs(h.start - g.start) < 0.15)
    assert overlaps >= 2


# ---------------------------------------------------------------------------------------------- failures


def _503_then_ok(site, page):  # type: ignore[no-untyped-def]
    calls = []

    def answer(request):  # type: ignore[no-untyped-def]
        calls.append(request.path)
        if len(calls) == 1:
            return Response(status=503, headers=[("Retry-After", "1")], body="busy")
        return Response(body=page)
    return answer


FAILURES = [  # (case, how the bad article is served, the error reason counted (None: it is fetched after all))
    ("404", lambda site, page: Response(status=404, body="gone"), "http_404"),
    ("500", lambda site, page: Response(status=500, body="oops"), "http_5xx"),
    ("503 with Retry-After, then 200", _503_then_ok, None),
    ("a redirect", lambda site, page: Response.redirect_to(site.url("/moved/story")), None),
    ("a redirect loop", lambda site, page: Response.redirect_to(site.url("/loop/b")), "redirect_loop"),
    ("a server that never answers", lambda site, page: Response(hang=True), "timeout"),
    ("a gzip bomb", lambda site, page: Response(raw_gzip=gzip_bomb()), "too_large"),
    ("windows-1256 with no charset anywhere",
     lambda site, page: Response(body=page.replace('<meta charset="utf-8">', "").encode("windows-1256"),
                                 content_type="text/html"), None),
    ("windows-1256 under a utf-8 header",
     lambda site, page: Response(body=page.encode("windows-1256"), content_type="text/html; charset=utf-8"), None),
    ("not HTML", lambda site, page: Response(body=b"%PDF-1.4 binary", content_type="application/pdf"), None),
]


@pytest.mark.parametrize(("case", "serve", "reason"), FAILURES, ids=[c for c, _, _ in FAILURES])
def test_a_failure_is_counted_for_its_source_and_the_crawl_goes_on(case, serve, reason, sites: Sites,  # type: ignore[no-untyped-def]
                                                                   archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME[:4], feed="rss", sitemap=False)
    bad = SOME[1]
    page = article_page(bad, site_name="s", base=site.base, meta_charset="windows-1256" not in case)
    assert "windows-1256" not in case or "charset" not in page.split("<body", 1)[0].lower()
    site.add(article_path(bad), serve(site, page))
    site.add("/moved/story", Response(body=page))
    site.add("/loop/b", Response.redirect_to(site.url(article_path(bad))))
    report = crawl(capsys, archive, built.feed_url)
    got = stored(archive)
    good = [u for u in built.article_urls if not u.endswith(article_path(bad))]
    assert all(u in got for u in good), case  # the others are never lost
    source = next(iter(report["sources"].values()))
    if reason is None:
        if case == "not HTML":
            assert report["skipped"]["non_html"] == 1
            assert site.url(article_path(bad)) not in got
        else:
            assert report["errors"] == {}, case
            stored_bad = [v for u, v in got.items() if v["title"] == bad.title]
            assert stored_bad and bad.paragraphs[0][:30] in stored_bad[0]["text"], case
    else:
        assert report["errors"] == {reason: 1} and source["errors"] == {reason: 1}, case
        listed = marsad_json(capsys, "sources", "list", "--archive", str(archive))
        assert listed == []  # a seed given to one crawl is not a registered source
    if case.startswith("503"):
        tries = [h for h in sites.hits("s") if h.path == article_path(bad)]
        assert [h.status for h in tries] == [503, 200] and tries[1].start - tries[0].start >= 0.95


def test_a_broken_feed_is_reported_and_the_sources_other_listings_still_read(sites: Sites, archive: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    build_news_site(site, SOME, feed="rss", sitemap=True)
    site.add("/feed.xml", Response(body="<rss><channel><title>كسر<item><link>", content_type="application/rss+xml"))
    assert main(["sources", "add", site.url("/"), "--archive", str(archive), "--allow-private"]) == 0
    report = crawl(capsys, archive)
    assert report["errors"] == {"malformed_feed": 1}
    assert len(stored(archive)) == len(SOME)  # from the sitemap
    listed = marsad_json(capsys, "sources", "list", "--archive", str(archive))
    assert listed[0]["errors_by_reason"] == {"malformed_feed": 1}
    assert "malformed feed" in listed[0]["last_error"]["message"]


def test_an_invalid_sitemap_is_reported(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    seed = site.add("/sitemap.xml", Response(body='<?xml version="1.0"?><urlset><url><loc>x</loc></url',
                                             content_type="application/xml"))
    report = crawl(capsys, archive, seed)
    assert report["errors"] == {"invalid_sitemap": 1}


def test_a_bad_certificate_is_an_error_of_its_own(sites: Sites, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("tls", https=True)
    built = build_news_site(site, SOME[:2], feed="rss", sitemap=False)
    report = crawl(capsys, archive, built.feed_url)
    assert report["errors"] == {"bad_certificate": 1}
    assert not sites.hits("tls") or all(h.status is None for h in sites.hits("tls"))


def test_private_addresses_are_refused_unless_allowed(sites: Sites, archive: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = sites.site("s")
    built = build_news_site(site, SOME[:2], feed="rss", sitemap=False)
    report = marsad_json(capsys, "crawl", built.feed_url, "--archive", str(archive), "--no-enrich", "--delay", "0")
    assert report["errors"] == {"private_address": 1}
    assert sites.hits("s") == []  # not one request reached it
    # a name that resolves to a loopback address is refused as well
    report = marsad_json(capsys, "crawl", f"http://localhost:{site.port}/feed.xml", "--archive", str(archive),
                         "--no-enrich", "--delay", "0")
    assert report["errors"] == {"private_address": 1}


def test_the_warc_is_ingested_as_marsad_ingest_would(sites: Sites, archive: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Fetch only, then ingest the WARC files with ``marsad ingest``: the same articles as a crawl's."""
    site = sites.site("s")
    built = build_news_site(site, SOME, feed="rss", sitemap=True)
    report = crawl(capsys, archive, built.feed_url, "--no-ingest", "--warc-dir", str(tmp_path / "w"))
    assert report["ingest"] is None and stored(archive) == {}
    warcs = sorted(str(p) for p in (tmp_path / "w").glob("*.warc.gz"))
    other = tmp_path / "other.db"
    assert main(["ingest", *warcs, "--archive", str(other), "--no-enrich", "--no-progress"]) == 0
    crawl(capsys, archive, built.feed_url, "--warc-dir", str(tmp_path / "w"))  # ingests what is pending
    assert set(stored(other)) == set(stored(archive)) == set(built.article_urls)
    con = sqlite3.connect(other)
    sources = Counter(s for (s,) in con.execute("SELECT source FROM articles"))
    con.close()
    assert sources == {site.host: len(SOME)}
