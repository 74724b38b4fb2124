"""WARC files as the big crawlers write them (Common Crawl, Heritrix, StormCrawler, Scrapy) and as
marsad's own crawler does: payload codings undone, bounded, and one bad record costing only itself."""

import gzip
import io
import subprocess
import sys
import tracemalloc
import zlib
from collections import Counter
from datetime import date, datetime, timezone

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.archive.store import Archive
from marsad.cli import main
from marsad.steps.readers import Reader
from marsad.steps.warc import MAX_PAYLOAD_BYTES, Undecodable, decode_body

FERRY = (
    "افتتاح خط بحري جديد بين صفاقس وجزر قرقنة",
    [
        "دشّنت الشركة الجديدة للنقل بقرقنة صباح الأحد خطا بحريا ثالثا يربط ميناء صفاقس بجزيرة قرقنة، بعد أشهر من شكاوى المسافرين من طول الانتظار.",
        "وقال مدير الشركة إن العبّارة الجديدة تتسع لأربعمائة راكب وستين سيارة، وإنها ستقوم بعشر رحلات يوميا في فصل الصيف.",
        "ويأمل سكان الجزيرة أن يخفف الخط الجديد من الاكتظاظ الذي يعرفه الميناء في نهاية كل أسبوع.",
    ],
)
OLIVES = (
    "مهرجان الزيتون في تستور يستقبل آلاف الزوار",
    [
        "انطلقت مساء الجمعة فعاليات الدورة الجديدة لمهرجان الزيتون بمدينة تستور، بمشاركة عشرات المنتجين من ولايات الشمال.",
        "ويعرض الفلاحون في أروقة المهرجان زيت الزيتون البكر والصابون التقليدي، فيما تنظم ورشات لتعليم الأطفال طرق الجني القديمة.",
    ],
)
CODING = (
    "جامعة المنستير تطلق برنامجا لتعليم البرمجة للأطفال",
    [
        "أعلنت جامعة المنستير عن برنامج مجاني لتعليم أساسيات البرمجة لتلاميذ المدارس الابتدائية خلال العطلة الصيفية.",
        "وأوضحت عميدة كلية العلوم أن الدروس ستقدم باللغة العربية، وأن المتطوعين من طلبة الهندسة سيشرفون على الورشات.",
        "ويشمل البرنامج في مرحلته الأولى ثلاثمائة تلميذ من ولايات الساحل.",
    ],
)

RAIN = (
    "أمطار غزيرة تغمر أحياء في مدينة القيروان",
    [
        "شهدت مدينة القيروان ليلة الثلاثاء أمطارا غزيرة غمرت عددا من الأحياء الشعبية وقطعت الطريق المؤدية إلى السوق القديمة.",
        "وتدخلت فرق الحماية المدنية لإخراج المياه من المنازل، ولم تسجل أي إصابات بحسب بلاغ الولاية.",
    ],
)


def page(story):
    title, paras = story
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<nav><a href="/">الرئيسية</a></nav><article><h1>{title}</h1>{body}</article>'
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode("utf-8")


def chunked(data, size=700):
    """``data`` as a server sends it with ``Transfer-Encoding: chunked``."""
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def raw_deflate(data):
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


WHEN = "2024-05-07T15:00:00Z"


class Crawl:
    """A WARC file written record by record with warcio, as a crawler writes one."""

    def __init__(self, path):
        self.fh = open(path, "wb")
        self.writer = WARCWriter(self.fh, gzip=str(path).endswith(".gz"))

    def warcinfo(self, software):
        self.writer.write_record(self.writer.create_warcinfo_record(
            "crawl.warc.gz", {"software": software, "format": "WARC File Format 1.0"}))

    def request(self, url):
        path = "/" + url.split("/", 3)[-1]
        headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", url.split("/")[2]), ("Accept-Encoding", "gzip, deflate, br")],
                                   is_http_request=True)
        self.writer.write_record(self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers,
                                                                warc_headers_dict={"WARC-Date": WHEN}))

    def response(self, url, body, headers=(), status="200 OK", warc=None):
        http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=UTF-8"), *headers], protocol="HTTP/1.1")
        self.writer.write_record(self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                                warc_headers_dict={"WARC-Date": WHEN, **(warc or {})}))

    def metadata(self, url, text):
        self.writer.write_record(self.writer.create_warc_record(url, "metadata", payload=io.BytesIO(text.encode()),
                                                                warc_content_type="application/warc-fields"))

    def close(self):
        self.fh.close()


def read(paths, **options):
    errors = []
    reader = Reader([str(p) for p in paths], on_error=lambda where, exc: errors.append((str(exc), exc.reason)), **options)
    return list(reader), errors, reader.stats


# ---------------------------------------------------------------- the crawlers' own ways of storing a page


def common_crawl(crawl, url, html):
    """CC-MAIN and CC-NEWS since May 2019: the body stored decoded, the coding fields renamed."""
    crawl.warcinfo("StormCrawler 2.10 https://stormcrawler.net/")
    crawl.request(url)
    crawl.response(url, html, [("X-Crawler-Content-Encoding", "gzip"), ("X-Crawler-Transfer-Encoding", "chunked"),
                               ("Content-Length", str(len(html)))],
                   warc={"WARC-Identified-Payload-Type": "text/html"})
    crawl.metadata(url, "fetchTimeMs: 212\r\n")


def cc_news_before_2019(crawl, url, html):
    """CC-NEWS before May 2019: the body stored decoded under the original, literal coding fields."""
    crawl.request(url)
    crawl.response(url, html, [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])


def heritrix(crawl, url, html):
    """Heritrix (and wget): the bytes of the wire, chunked and gzipped; request and metadata after."""
    crawl.warcinfo("Heritrix/3.4.0-20220727 http://crawler.archive.org")
    crawl.response(url, chunked(gzip.compress(html)), [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                   warc={"WARC-IP-Address": "192.0.2.7"})
    crawl.request(url)
    crawl.metadata(url, "via: https://sahel.example/\r\nhopsFromSeed: L\r\n")


def stormcrawler(crawl, url, html):
    """StormCrawler's WARC module: like Common Crawl, decoded with X-Crawler- fields, request first."""
    crawl.request(url)
    crawl.response(url, html, [("X-Crawler-Content-Encoding", "br")])


def scrapy_wire(crawl, url, html):
    """A Scrapy WARC middleware placed before decompression: the gzip body as received."""
    crawl.response(url, gzip.compress(html), [("Content-Encoding", "gzip")])


def scrapy_decoded(crawl, url, html):
    """After Scrapy's own decoding: Content-Encoding gone, but ``Transfer-Encoding: chunked`` still
    listed over a body the HTTP client has de-chunked."""
    crawl.response(url, html, [("Transfer-Encoding", "chunked")])


def identity(crawl, url, html):
    crawl.response(url, html, [("Content-Encoding", "identity")])


def x_gzip(crawl, url, html):
    crawl.response(url, gzip.compress(html), [("Content-Encoding", "x-gzip")])


def deflate_zlib(crawl, url, html):
    crawl.response(url, zlib.compress(html), [("Content-Encoding", "deflate")])


def deflate_raw(crawl, url, html):
    """Servers (old IIS) that send ``deflate`` without its zlib wrapper."""
    crawl.response(url, raw_deflate(html), [("Content-Encoding", "deflate")])


def brotli_body(crawl, url, html):
    crawl.response(url, chunked(brotli.compress(html)), [("Content-Encoding", "br"), ("Transfer-Encoding", "chunked")])


def gzip_then_br(crawl, url, html):
    crawl.response(url, brotli.compress(gzip.compress(html)), [("Content-Encoding", "gzip, br")])


def gzip_members(crawl, url, html):
    """Two gzip members one after the other are one body (RFC 1952 2.2)."""
    half = len(html) // 2
    crawl.response(url, gzip.compress(html[:half]) + gzip.compress(html[half:]), [("Content-Encoding", "gzip")])


STYLES = [common_crawl, cc_news_before_2019, heritrix, stormcrawler, scrapy_wire, scrapy_decoded, identity, x_gzip,
          deflate_zlib, deflate_raw, brotli_body, gzip_then_br, gzip_members]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
@pytest.mark.parametrize("style", STYLES, ids=lambda f: f.__name__)
def test_each_crawlers_page_comes_out_as_html(tmp_path, style, name):
    crawl = Crawl(tmp_path / name)
    style(crawl, "https://sahel.example/ferry", page(FERRY))
    style(crawl, "https://sahel.example/olives", page(OLIVES))
    crawl.close()
    articles, errors, stats = read([tmp_path / name])
    assert errors == []
    assert [a.url for a in articles] == ["https://sahel.example/ferry", "https://sahel.example/olives"]
    assert FERRY[1][1] in articles[0].raw and OLIVES[1][0] in articles[1].raw
    assert articles[0].raw.startswith("<!DOCTYPE html>") and articles[0].raw.endswith("</html>")
    assert articles[0].crawled == datetime(2024, 5, 7, 15, tzinfo=timezone.utc)
    assert stats["warc_incomplete_payload"] == 0


@pytest.mark.parametrize("style, skipped", [
    (common_crawl, {"skipped:warc_warcinfo": 2, "skipped:warc_request": 2, "skipped:warc_metadata": 2}),
    (heritrix, {"skipped:warc_warcinfo": 2, "skipped:warc_request": 2, "skipped:warc_metadata": 2}),
])
def test_the_other_records_are_counted_and_skipped(tmp_path, style, skipped):
    crawl = Crawl(tmp_path / "c.warc.gz")
    style(crawl, "https://sahel.example/ferry", page(FERRY))
    style(crawl, "https://sahel.example/olives", page(OLIVES))
    crawl.response("https://sahel.example/old", b"", status="301 Moved Permanently")
    crawl.response("https://sahel.example/gone", gzip.compress(b"<html>not here</html>"), [("Content-Encoding", "gzip")],
                   status="404 Not Found")
    crawl.close()
    articles, errors, stats = read([tmp_path / "c.warc.gz"])
    assert len(articles) == 2 and errors == []
    assert {k: stats[k] for k in skipped} == skipped
    assert stats["skipped:redirect"] == 1 and stats["skipped:http_error"] == 1


@pytest.mark.parametrize("style, stored_decoded", [(cc_news_before_2019, 2), (scrapy_decoded, 1), (common_crawl, 0), (heritrix, 0)])
def test_a_body_stored_decoded_under_its_coding_fields_is_read_as_it_is(tmp_path, style, stored_decoded):
    crawl = Crawl(tmp_path / "c.warc")
    style(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    articles, errors, stats = read([tmp_path / "c.warc"])
    assert errors == [] and articles[0].raw == page(FERRY).decode()
    assert stats["warc_stored_decoded"] == stored_decoded


# ---------------------------------------------------------------- bodies that cannot be read


def test_a_corrupt_gzip_body_costs_only_its_record(tmp_path):
    broken = bytearray(gzip.compress(page(OLIVES)))
    broken[40:60] = bytes(20)  # the deflate data no longer decodes (or no longer matches its CRC)
    path = tmp_path / "c.warc.gz"
    crawl = Crawl(path)
    crawl.response("https://sahel.example/olives", bytes(broken), [("Content-Encoding", "gzip")])
    heritrix(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    articles, errors, _ = read([path])
    assert [a.url for a in articles] == ["https://sahel.example/ferry"]
    assert FERRY[1][0] in articles[0].raw
    ((message, reason),) = errors
    assert reason == "corrupt_payload" and message.startswith(f"{path}@0: gzip data is corrupt") and "\n" not in message


@pytest.mark.parametrize("headers, body, reason, words", [
    ([("Content-Encoding", "zstd")], b"\x28\xb5\x2f\xfd\x00\x58\x61\x00\x00", "unsupported_encoding", "'zstd'"),
    ([("Content-Encoding", "gzip")], b"\x00\x01binary junk", "corrupt_payload", "does not start as gzip"),
    ([("Content-Encoding", "br")], b"\xff\xff\xff\xff junk", "corrupt_payload", "br data is corrupt"),
])
def test_bodies_that_cannot_be_decoded_are_named_and_counted(tmp_path, headers, body, reason, words):
    path = tmp_path / "c.warc"
    crawl = Crawl(path)
    crawl.response("https://sahel.example/x", body, headers)
    scrapy_wire(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    articles, errors, stats = read([path])
    assert [a.url for a in articles] == ["https://sahel.example/ferry"]
    ((message, got),) = errors
    assert got == reason and message.startswith(f"{path}@0: ") and words in message
    assert stats[f"error:{reason}"] == 1


def test_an_unknown_coding_over_plain_html_is_a_wrong_label(tmp_path):
    # servers send "Content-Encoding: UTF-8" and the like; browsers show the page, and so does marsad
    crawl = Crawl(tmp_path / "c.warc")
    crawl.response("https://sahel.example/ferry", page(FERRY), [("Content-Encoding", "UTF-8")])
    crawl.close()
    articles, errors, stats = read([tmp_path / "c.warc"])
    assert errors == [] and FERRY[1][2] in articles[0].raw and stats["warc_stored_decoded"] == 1


def test_brotli_without_its_module_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "brotli", None)  # import brotli now raises ImportError
    crawl = Crawl(tmp_path / "c.warc")
    brotli_body(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    articles, errors, _ = read([tmp_path / "c.warc"])
    assert articles == []
    ((message, reason),) = errors
    assert reason == "unsupported_encoding" and "pip install brotli" in message


@settings(max_examples=300, deadline=None)
@given(body=st.one_of(st.binary(max_size=600), st.binary(max_size=300).map(gzip.compress).map(lambda b: b[: len(b) * 3 // 4])),
       content=st.lists(st.sampled_from(["gzip", "x-gzip", "deflate", "br", "identity", "zstd"]), max_size=2),
       transfer=st.lists(st.sampled_from(["chunked", "gzip"]), max_size=1))
def test_decoding_never_raises_anything_but_its_own_error(body, content, transfer):
    try:
        payload = decode_body(body, content, transfer, Counter(), limit=1000)
    except Undecodable as exc:
        assert exc.reason in ("corrupt_payload", "unsupported_encoding", "too_large")
    else:
        assert isinstance(payload, bytes) and len(payload) <= 1001


BOMB_BYTES = 200 * 1024 * 1024


@pytest.fixture(scope="module")
def bomb_warc(tmp_path_factory):
    """200 MB of zeros gzipped to a few hundred kB, then a good page."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    bomb = b"".join(packer.compress(block) for _ in range(BOMB_BYTES >> 20)) + packer.flush()
    assert len(bomb) < 1 << 20
    path = tmp_path_factory.mktemp("bomb") / "bomb.warc.gz"
    crawl = Crawl(path)
    crawl.response("https://sahel.example/bomb", bomb, [("Content-Encoding", "gzip")])
    crawl.response("https://sahel.example/br-bomb", brotli.compress(bytes(BOMB_BYTES), quality=5), [("Content-Encoding", "br")])
    scrapy_wire(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    return path


def test_a_gzip_bomb_is_refused_without_being_decoded(bomb_warc):
    tracemalloc.start()
    try:
        articles, errors, _ = read([bomb_warc])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    assert [a.url for a in articles] == ["https://sahel.example/ferry"]
    assert [reason for _, reason in errors] == ["too_large", "too_large"]
    assert all(f"decodes to more than {MAX_PAYLOAD_BYTES} bytes" in message for message, _ in errors)


def test_a_gzip_bomb_does_not_grow_the_process(bomb_warc):
    # the resident size of a fresh process, where allocations outside Python's (zlib's, fastwarc's) count too
    script = (
        "import resource, sys\n"
        "from marsad.steps.readers import Reader\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "reader = Reader([sys.argv[1]], on_error=lambda where, exc: None)\n"
        "n = len(list(reader))\n"
        "print(n, reader.stats['error:too_large'], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(bomb_warc)], capture_output=True, text=True, check=True)
    articles, refused, grown_kb = map(int, proc.stdout.split())
    assert grown_kb < 100 * 1024
    assert (articles, refused) == (1, 2)


def test_a_truncated_record_gives_what_it_has_and_is_counted(tmp_path):
    html = page(CODING)
    cut = gzip.compress(html)[: len(gzip.compress(html)) * 2 // 3]  # the crawler's size limit struck mid-body
    crawl = Crawl(tmp_path / "c.warc.gz")
    crawl.response("https://sahel.example/coding", cut, [("Content-Encoding", "gzip")], warc={"WARC-Truncated": "length"})
    crawl.close()
    articles, errors, stats = read([tmp_path / "c.warc.gz"])
    assert errors == [] and stats["warc_truncated"] == 1
    assert CODING[1][0] in articles[0].raw and CODING[1][2] not in articles[0].raw


# ---------------------------------------------------------------- what marsad's own crawler writes


@pytest.mark.parametrize("hint, expected, bad", [
    ("2024-05-06T21:15:00+03:00", datetime(2024, 5, 6, 18, 15, tzinfo=timezone.utc), 0),
    ("2024-05-06T18:15:00Z", datetime(2024, 5, 6, 18, 15, tzinfo=timezone.utc), 0),
    ("2024-05-06T18:15:00", datetime(2024, 5, 6, 18, 15, tzinfo=timezone.utc), 0),  # no zone: UTC
    ("2024-05-06", date(2024, 5, 6), 0),  # a sitemap's day only: no time invented
    ("الأحد 6 ماي", None, 1),
    ("2024-13-45T99:00:00Z", None, 1),
])
def test_the_crawlers_source_and_published_hint(tmp_path, hint, expected, bad):
    crawl = Crawl(tmp_path / "c.warc.gz")
    crawl.request("https://sahel.example/ferry")
    crawl.response("https://sahel.example/ferry", gzip.compress(page(FERRY)), [("Content-Encoding", "gzip")],
                   warc={"Marsad-Source": "جريدة الساحل", "Marsad-Published-Hint": hint})
    crawl.response("https://other.example/olives", page(OLIVES))
    crawl.close()
    articles, errors, stats = read([tmp_path / "c.warc.gz"], source="given-on-the-command-line")
    assert errors == []
    ferry, olives = articles
    assert ferry.source == "جريدة الساحل" and ferry.published_hint == expected
    assert olives.source == "given-on-the-command-line" and olives.published_hint is None
    assert stats["warc_bad_hint"] == bad


# ---------------------------------------------------------------- end to end: marsad ingest, then search


def test_ingest_warcs_of_other_crawlers_then_search(tmp_path, capsys):
    crawls = tmp_path / "crawls"
    crawls.mkdir()
    for name, style, url, story in [
        ("CC-NEWS-20240507150000-00001.warc.gz", common_crawl, "https://sahel.example/ferry", FERRY),
        ("heritrix.warc.gz", heritrix, "https://tastour.example/olives", OLIVES),
        ("scrapy.warc", scrapy_wire, "https://monastir.example/coding", CODING),
    ]:
        crawl = Crawl(crawls / name)
        style(crawl, url, page(story))
        crawl.close()
    own = Crawl(crawls / "marsad-crawl.warc.gz")
    own.response("https://kairouan.example/rain", chunked(gzip.compress(page(RAIN))),
                 [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                 warc={"Marsad-Source": "جريدة الساحل", "Marsad-Published-Hint": "2024-05-07T08:00:00+01:00"})
    own.close()
    db = tmp_path / "archive.db"
    argv = ["ingest", str(crawls), "--archive", str(db), "--source", "imported", "--no-progress", "--no-enrich"]
    assert main(argv) == 0
    assert "added 4, updated 0, unchanged 0" in capsys.readouterr().err
    with Archive(db, create=False) as archive:
        assert archive.count() == 4
        (hit,) = archive.search("القيروان الحماية المدنية").results
        assert hit.url == "https://kairouan.example/rain" and hit.source == "جريدة الساحل"
        (hit,) = archive.search("قرقنة العبارة").results
        assert hit.url == "https://sahel.example/ferry" and hit.source == "imported"
        (hit,) = archive.search("تستور").results
        assert hit.url == "https://tastour.example/olives"
        (hit,) = archive.search('"أساسيات البرمجة"').results
        assert hit.url == "https://monastir.example/coding"
        record = archive.get(hit.id)
        assert record is not None and CODING[1][1] in record["text"]
    # a second run reads no file again and stores nothing twice
    assert main(argv) == 0
    assert "added 0, updated 0, unchanged 0" in capsys.readouterr().err
    with Archive(db, create=False) as archive:
        assert archive.count() == 4


def test_ingest_cli_names_a_bad_record_and_goes_on(tmp_path):
    path = tmp_path / "c.warc.gz"
    crawl = Crawl(path)
    crawl.response("https://sahel.example/x", b"\x28\xb5\x2f\xfd junk", [("Content-Encoding", "zstd")])
    heritrix(crawl, "https://sahel.example/ferry", page(FERRY))
    crawl.close()
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(path), "--archive", str(tmp_path / "a.db"),
                           "--no-progress", "--no-enrich"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"{path}@0: unsupported content coding 'zstd'" in proc.stderr
    assert "added 1," in proc.stderr
    with Archive(tmp_path / "a.db", create=False) as archive:
        assert archive.search("قرقنة").total == 1
