import gzip
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from marsad.steps.readers import Reader, parse_timestamp

BODY = "أعلنت الحكومة التونسية اليوم عن خطة لدعم صغار الفلاحين في ولايات الشمال الغربي.\n\nوقالت الوزارة إن الخطة تشمل قروضا ميسرة."


def read(paths, **kw):
    errors = []
    reader = Reader([str(p) for p in paths], on_error=lambda where, exc: errors.append((where, exc.reason)), **kw)
    return list(reader), errors, reader.stats


def write_jsonl(path, records, opener=open):
    with opener(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")


def test_text_file_in_every_encoding(tmp_path):
    for i, enc in enumerate(["utf-8", "utf-8-sig", "utf-16", "cp1256"]):
        (tmp_path / f"{i}.txt").write_bytes(BODY.encode(enc))
    articles, errors, _ = read([tmp_path])
    assert errors == []
    assert len(articles) == 4
    assert all(a.raw.startswith("أعلنت الحكومة التونسية") for a in articles)
    assert len({a.id for a in articles}) == 4


def test_jsonl_keeps_given_id_and_metadata(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [
        {"id": "tn-1", "url": "https://example.tn/a", "source": "مثال", "title": "عنوان", "author": "سامي",
         "time": "Sun, 18 Feb 2018 21:35:43 +0400", "text": BODY},
        {"text": BODY, "published": "2024-05-05"},
        {"text": BODY, "published": "الأحد 5 مايو 2024"},
    ])
    articles, errors, _ = read([path])
    assert errors == []
    first, second, third = articles
    assert (first.id, first.url, first.source, first.title, first.author) == ("tn-1", "https://example.tn/a", "مثال", "عنوان", "سامي")
    assert first.published == datetime(2018, 2, 18, 21, 35, 43, tzinfo=timezone(timedelta(hours=4)))
    assert str(first.origin) == f"{path}:1"
    assert second.published == date(2024, 5, 5)
    assert third.published == date(2024, 5, 5)
    assert second.id != third.id


def test_bad_lines_are_reported_and_the_rest_is_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    write_jsonl(path, [{"id": "1", "text": BODY}, "{not json", '"a string"', {"id": "4", "title": "بلا نص"}, {"id": "5", "text": BODY}])
    articles, errors, stats = read([path])
    assert [a.id for a in articles] == ["1", "5"]
    assert errors == [(f"{path}:2", "bad_json"), (f"{path}:3", "bad_json"), (f"{path}:4", "no_text")]
    assert stats["error:bad_json"] == 2


def test_truncated_gzip_keeps_the_articles_before_the_break(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    write_jsonl(path, [{"id": str(i), "text": BODY * 5} for i in range(200)], opener=gzip.open)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    good = tmp_path / "good.jsonl.gz"
    write_jsonl(good, [{"id": "g", "text": BODY}], opener=gzip.open)
    articles, errors, _ = read([path, good])
    assert 0 < len(articles) - 1 < 200
    assert articles[-1].id == "g"
    assert errors == [(str(path), "corrupt_gzip")]


def test_directory_is_read_recursively_by_extension(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text(BODY, encoding="utf-8")
    write_jsonl(tmp_path / "a" / "two.jsonl", [{"text": BODY}])
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    articles, errors, stats = read([tmp_path])
    assert len(articles) == 2 and errors == []
    assert stats["skipped:unsupported_file"] == 1


def test_bad_files_are_counted_and_do_not_stop_the_run(tmp_path):
    (tmp_path / "1_empty.txt").write_bytes(b"")
    (tmp_path / "2_binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "3_good.txt").write_text(BODY, encoding="utf-8")
    articles, errors, _ = read([tmp_path, tmp_path / "missing.txt"])
    assert len(articles) == 1
    assert [r for _, r in errors] == ["empty", "binary", "missing"]


def test_stdin_text_and_jsonl():
    articles, _, _ = read(["-"], stdin=io.BytesIO(BODY.encode("cp1256")))
    assert articles[0].raw.startswith("أعلنت")
    stream = io.BytesIO((json.dumps({"id": "s1", "text": BODY}) + "\n" + json.dumps({"id": "s2", "text": BODY})).encode())
    articles, _, _ = read(["-"], stdin=stream)
    assert [a.id for a in articles] == ["s1", "s2"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-03-03", date(2023, 3, 3)),
        ("2023-03-03T10:15:00+03:00", datetime(2023, 3, 3, 10, 15, tzinfo=timezone(timedelta(hours=3)))),
        ("2023-03-03T10:15:00Z", datetime(2023, 3, 3, 10, 15, tzinfo=timezone.utc)),
        ("Mon, 26 Feb 2018 02:20:10 GMT", datetime(2018, 2, 26, 2, 20, 10, tzinfo=timezone.utc)),
        ("3 مارس 2023", date(2023, 3, 3)),
        ("", None),
        ("غير معروف", None),
        (None, None),
    ],
)
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected
