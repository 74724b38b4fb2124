"""HTML files and WARC crawls through the reader and the pipeline, with bad pages among good ones."""

import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.pipeline import chain
from marsad.steps import default_steps
from marsad.steps.readers import Reader

BODY = [
    "أعلنت وزارة الفلاحة التونسية عن برنامج جديد لدعم صغار الفلاحين في ولايات الشمال الغربي خلال الموسم المقبل.",
    "وقال المدير العام للإنتاج الفلاحي إن البرنامج يشمل توزيع البذور الممتازة بأسعار مدعمة وتوفير قروض موسمية دون فوائد.",
    "ويأتي هذا البرنامج بعد موسمين متتاليين من الجفاف أثرا بشكل كبير على محاصيل الحبوب في المنطقة.",
]


def page(title="برنامج لدعم صغار الفلاحين في الشمال الغربي", charset="utf-8", canonical=None, byline="منذ ساعتين", declare=True):
    head = f'<meta charset="{charset}">' if declare else ""
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}<title>{title} | جريدة الساحل</title></head><body>'
        '<nav><a href="/">الرئيسية</a> <a href="/eco">اقتصاد</a></nav>'
        f'<article><h1>{title}</h1><div class="byline">{byline}</div>{paras}</article>'
        "<footer>&copy; 2023 جريدة الساحل. جميع الحقوق محفوظة</footer></body></html>"
    )


def run(paths):
    errors = []
    reader = Reader([str(p) for p in paths], on_error=lambda where, exc: errors.append((where, exc.reason)))
    return list(chain(reader, default_steps())), errors, reader.stats


def check_article(a):
    assert a.title == "برنامج لدعم صغار الفلاحين في الشمال الغربي"
    assert a.text.startswith("أعلنت وزارة الفلاحة التونسية") and a.text.endswith("في المنطقة.")
    assert "الرئيسية" not in a.text and "جميع الحقوق" not in a.text


@pytest.mark.parametrize(
    "encoding, declare",
    [("utf-8", True), ("windows-1256", True), ("iso-8859-6", True), ("windows-1256", False), ("iso-8859-1", True)],
    ids=["utf8", "cp1256", "iso-8859-6", "cp1256-undeclared", "cp1256-declared-latin1"],
)
def test_html_file_in_arabic_encodings(tmp_path, encoding, declare):
    codec = "cp1256" if encoding in ("windows-1256", "iso-8859-1") else encoding
    (tmp_path / "p.html").write_bytes(page(charset=encoding, declare=declare, canonical="https://sahel.example/eco/1").encode(codec))
    (a,), errors, _ = run([tmp_path])
    assert errors == []
    check_article(a)
    assert a.url == "https://sahel.example/eco/1" and a.source == "sahel.example"
    assert a.page_lang == "ar"


def write_warc(path, records):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        for url, status, ctype, body, kind in records:
            if kind == "response":
                headers = StatusAndHeaders(status, [("Content-Type", ctype)] if ctype else [], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                                warc_headers_dict={"WARC-Date": "2024-05-07T15:00:00Z"})
            else:
                rec = writer.create_warc_record(url, kind, payload=io.BytesIO(body))
            writer.write_record(rec)


GOOD = page().encode("utf-8")
RECORDS = [
    ("https://sahel.example/a", "200 OK", "text/html; charset=utf-8", GOOD, "response"),
    ("https://sahel.example/old", "301 Moved Permanently", None, b"", "response"),
    ("https://sahel.example/missing", "404 Not Found", "text/html", b"<html>not found</html>", "response"),
    ("https://sahel.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100), "response"),
    ("https://sahel.example/b", "200 OK", "text/html; charset=windows-1256", page().encode("cp1256"), "response"),
    ("https://sahel.example/meta", "200 OK", None, b"{}", "metadata"),
]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_pages_with_crawl_time_and_skips(tmp_path, name):
    write_warc(tmp_path / name, RECORDS)
    articles, errors, stats = run([tmp_path / name])
    assert errors == []
    assert [a.url for a in articles] == ["https://sahel.example/a", "https://sahel.example/b"]
    for a in articles:
        check_article(a)
        assert a.crawled == datetime(2024, 5, 7, 15, tzinfo=timezone.utc)
        assert a.published == a.crawled - timedelta(hours=2)  # "منذ ساعتين" against the crawl time
        assert a.origin.path.endswith(name) and isinstance(a.origin.record, int)
    assert articles[0].origin.record == 0 and articles[1].origin.record > 0
    assert stats["skipped:redirect"] == 1 and stats["skipped:http_error"] == 1 and stats["skipped:non_html"] == 1
    assert stats["skipped:warc_metadata"] == 1


def test_corrupt_warc_record_costs_only_that_record(tmp_path):
    path = tmp_path / "bad.warc"
    write_warc(path, [RECORDS[0], RECORDS[0], RECORDS[4]])
    data = bytearray(path.read_bytes())
    second = data.find(b"WARC/1.", 10)
    length = data.find(b"Content-Length", second)
    data[length : length + 20] = b"Content-Lenxth: abcd"  # the record's length can no longer be read
    path.write_bytes(bytes(data))
    articles, errors, _ = run([path])
    assert len(articles) == 2
    assert [r for _, r in errors] == ["corrupt_record"]


def test_bad_pages_are_reported_and_the_good_ones_extracted(tmp_path):
    (tmp_path / "1_good.html").write_bytes(GOOD)
    (tmp_path / "2_truncated.html").write_bytes(GOOD[: len(GOOD) * 2 // 3])
    (tmp_path / "3_binary.html").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "4_empty.html").write_bytes(b"")
    big = tmp_path / "5_huge.html"
    with open(big, "wb") as fh:
        fh.write(b"<html><body>")
        fh.write((b"<p>" + "كلمة ".encode() * 1000 + b"</p>") * 5200)
    (tmp_path / "6_good.html").write_bytes(page().encode("cp1256"))
    articles, errors, _ = run([tmp_path])
    assert sorted(e for _, e in errors) == ["binary", "empty", "too_large"]
    assert len(articles) == 3
    check_article(articles[0])
    check_article(articles[-1])
    assert articles[1].text.startswith("أعلنت وزارة الفلاحة")  # the truncated page still gives what it has


def test_cli_mixes_html_warc_and_text(tmp_path):
    (tmp_path / "p.html").write_bytes(GOOD)
    write_warc(tmp_path / "c.warc.gz", RECORDS)
    (tmp_path / "t.txt").write_text("عنوان خبر قصير هنا\n\n" + BODY[0], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "process", str(tmp_path / "p.html"), str(tmp_path / "c.warc.gz"),
                           str(tmp_path / "t.txt"), "-o", str(out)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4
    assert rows[1]["origin"].startswith(str(tmp_path / "c.warc.gz") + ":")
    assert rows[1]["crawled"] == "2024-05-07T15:00:00+00:00"
