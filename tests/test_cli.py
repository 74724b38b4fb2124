"""The ``marsad`` command as a user runs it: a real subprocess, real files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIELDS = {
    "id", "origin", "url", "canonical_url", "source", "title", "author", "published", "updated", "crawled",
    "section", "tags", "description", "image", "page_lang", "text", "boilerplate",
    "lang", "lang_score", "quality", "quality_flags", "content_hash", "cluster", "cluster_size", "original",
    "duplicate_of", "entities", "topic", "topic_score", "keyphrases", "quotes", "summary",
}


def marsad(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "marsad.cli", *map(str, args)], input=stdin, capture_output=True, cwd=REPO)


def test_process_bundled_sample_writes_every_article(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = marsad("process", "samples", "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8
    assert all(set(r) == FIELDS for r in rows)
    assert all(r["title"] and r["text"] and r["published"] for r in rows)
    summary = proc.stderr.decode()
    assert "read 8 articles, wrote 8" in summary and "errors: 0" in summary


def test_seed_through_the_command(seed_path):
    proc = marsad("process", seed_path)
    assert proc.returncode == 0
    (row,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert row["author"] == "مدير الموقع" and row["published"] == "2023-03-03"
    assert row["text"].startswith("في تقريرها عن الإرهاب") and row["text"].endswith("والأمن السيبراني.")
    assert {"line": "الاخبار العاجلة", "reason": "ticker"} in row["boilerplate"]


def test_bad_inputs_are_named_counted_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "lines.jsonl").write_text('{"id": "ok", "text": "خبر قصير عن افتتاح مكتبة عامة جديدة في مدينة صفاقس."}\n{broken\n', encoding="utf-8")
    (tmp_path / "good.txt").write_text("عنوان الخبر هنا\n\nأعلنت البلدية افتتاح مكتبة عامة جديدة في وسط المدينة.", encoding="utf-8")
    proc = marsad("process", tmp_path)
    assert proc.returncode == 0
    assert len(proc.stdout.decode().splitlines()) == 2
    err = proc.stderr.decode()
    assert f"{tmp_path / 'empty.txt'}: empty input" in err
    assert f"{tmp_path / 'junk.txt'}: binary data" in err
    assert f"{tmp_path / 'lines.jsonl'}:2: not a JSON object" in err
    assert "errors: 3 (" in err and "empty: 1" in err and "binary: 1" in err and "bad_json: 1" in err


def test_stdin(tmp_path):
    proc = marsad("process", "-", stdin="عنوان\n\nأعلنت البلدية افتتاح مكتبة عامة جديدة في وسط المدينة اليوم.".encode("cp1256"))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["text"].startswith("أعلنت البلدية")


@pytest.mark.parametrize("args", [["process", "samples", "-o", "/nonexistent/dir/out.jsonl"]])
def test_errors_are_one_line_and_exit_non_zero(args):
    proc = marsad(*args)
    assert proc.returncode == 1
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("marsad: error: /nonexistent/dir/out.jsonl")


PERSIAN = (
    "وزیر امور خارجه ایران روز دوشنبه در سفری به پکن با همتای چینی خود دیدار کرد و دو طرف درباره گسترش همکاری‌های اقتصادی گفتگو کردند. "
    "این دیدار در حالی انجام می‌شود که حجم مبادلات تجاری دو کشور در سال گذشته افزایش یافته است و مقام‌های دو کشور از برنامه‌های تازه سخن می‌گویند. "
    "به گفته سخنگوی وزارت خارجه، قرار است در این سفر چند سند همکاری در زمینه انرژی، حمل و نقل و کشاورزی امضا شود و کمیسیون مشترک نیز تشکیل گردد."
)


def test_drop_rules_and_run_summary(tmp_path):
    (tmp_path / "fa.txt").write_text("خبر\n\n" + PERSIAN, encoding="utf-8")
    (tmp_path / "short.txt").write_text(
        "عنوان قصير\n\nافتتحت البلدية صباح اليوم حديقة عامة جديدة في حي الزيتون، وقال رئيس البلدية إنها مفتوحة للجميع مجانا.",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = marsad("process", "samples", tmp_path, "-o", out, "--drop", "lang!=ar", "--drop", "too_few_words")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert all(r["lang"] == "ar" and "too_few_words" not in r["quality_flags"] for r in rows)
    err = proc.stderr.decode()
    assert "dropped:not_ar 1" in err and "dropped:too_few_words" in err
    assert "lang:ar" in err and "lang:fa 1" in err
    assert "articles by cluster size: 1:" in err


def test_nothing_dropped_without_rules(tmp_path):
    (tmp_path / "fa.txt").write_text("خبر\n\n" + PERSIAN, encoding="utf-8")
    proc = marsad("process", tmp_path)
    (row,) = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert row["lang"] == "fa" and row["cluster_size"] == 1 and row["original"] == row["id"]


def test_bad_drop_rule_is_one_clear_error():
    proc = marsad("process", "samples", "--drop", "lang!!=ar")
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("marsad: error:") and len(proc.stderr.decode().strip().splitlines()) == 1


def test_a_reader_that_stops_reading_stops_the_command_quietly():
    """``marsad process samples | head -1``: the reader goes away, and marsad stops without a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "process", "samples"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before marsad has written a line: it has not started yet
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141  # as a command killed by SIGPIPE
    assert "Traceback" not in err and "BrokenPipe" not in err, err
