"""The HTML gold-set generator (bench/html_gold): its pages decode, hold their gold, vary, and repeat."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import lxml.html
import pytest

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ANT = DATA / "ant_multisource" / "articles.jsonl.gz"
GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "html_gold" / "generate.py"
CODECS = {"utf-8": "utf-8", "windows-1256": "cp1256", "iso-8859-6": "iso-8859-6"}
_CHARSET = re.compile(rb"""charset=["']?([\w-]+)""", re.IGNORECASE)
_ISO_DAY = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")


@pytest.fixture(scope="module")
def generator(load_script) -> ModuleType:  # type: ignore[no-untyped-def]
    if not DATA.is_dir() or not ANT.is_file():
        pytest.skip("../shared/data (ANT corpus) is absent")
    return load_script("html_gold_generate", GENERATOR)


@pytest.fixture(scope="module")
def gold_set(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("html_gold")
    gold_path = generator.generate(out, n=48, seed=1, data=ANT)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    variants = json.loads((out / "variants.json").read_text(encoding="utf-8"))
    return out, gold, variants


def _file(out: Path, entry: dict) -> Path:
    path = Path(entry["file"])
    return path if path.is_absolute() else out / "pages" / path


def _visible_text(raw: bytes, codec: str) -> str:
    doc = lxml.html.document_fromstring(raw.decode(codec))
    for node in doc.xpath("//script|//style|//template|//noscript"):
        node.drop_tree()
    return " ".join(doc.find("body").text_content().split())


def _generated(gold: dict) -> dict:
    return {url: e for url, e in gold.items() if not e["template"].startswith("real:")}


def test_entries_and_files(gold_set):
    out, gold, _ = gold_set
    generated = _generated(gold)
    real = {url: e for url, e in gold.items() if e["template"].startswith("real:")}
    assert len(generated) >= 48
    assert {e["template"] for e in real.values()} == {"real:assabah", "real:cnn_arabic"}
    for url, entry in gold.items():
        assert entry["url"] == url
        assert _file(out, entry).is_file(), entry["file"]
        assert re.fullmatch(r"(\d{4}-\d\d-\d\d)?", entry["date"])
        assert entry["title"] and isinstance(entry["author"], str)
    for entry in real.values():
        assert Path(entry["file"]).is_absolute()
    cnn = next(e for e in real.values() if e["template"] == "real:cnn_arabic")
    assert cnn["title"] == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert (cnn["date"], cnn["author"]) == ("2013-08-28", "")


def test_pages_decode_in_declared_encoding(gold_set):
    out, gold, _ = gold_set
    for entry in _generated(gold).values():
        raw = _file(out, entry).read_bytes()
        codec = CODECS[entry["encoding"]]
        html = raw.decode(codec)  # strict: the page is valid in its charset
        assert re.search(r'<html[^>]*lang="ar"[^>]*dir="rtl"', html), entry["file"]
        declared = _CHARSET.search(raw)
        if declared:
            assert CODECS[declared.group(1).decode().lower()] == codec, entry["file"]
        else:
            assert codec == "cp1256", entry["file"]
        if codec != "utf-8":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")


def test_snippets_are_in_the_page_text(gold_set):
    out, gold, variants = gold_set
    for url, entry in gold.items():
        raw = _file(out, entry).read_bytes()
        text = _visible_text(raw, CODECS.get(entry["encoding"], "utf-8"))
        assert 3 <= len(entry["with"]) <= 6 and 3 <= len(entry["without"]) <= 6, entry["file"]
        for snippet in entry["with"]:
            assert snippet in text, (entry["file"], snippet)
        assert not set(entry["with"]) & set(entry["without"])
        if url in variants:  # generated pages (the copied assabah gold has a snippet its page lacks)
            for snippet in entry["without"]:
                assert snippet in text, (entry["file"], snippet)
            assert all(3 <= len(s.split()) <= 8 for s in entry["with"]), entry["file"]
            assert entry["title"] in text
            assert variants[url]["date_text"] in text  # the visible date the gold date was rendered from


def test_same_seed_same_set(generator, gold_set, tmp_path):
    out, gold, _ = gold_set
    again = generator.generate(tmp_path / "again", n=48, seed=1, data=ANT)
    assert again.read_bytes() == (out / "gold.json").read_bytes()
    for entry in _generated(gold).values():
        assert (tmp_path / "again" / "pages" / entry["file"]).read_bytes() == _file(out, entry).read_bytes()
    other = json.loads(generator.generate(tmp_path / "other", n=48, seed=2, data=ANT).read_text(encoding="utf-8"))
    assert set(other) != set(gold)


def test_variety(gold_set):
    out, gold, variants = gold_set
    generated = _generated(gold)
    assert len({e["template"] for e in generated.values()}) >= 8
    assert len({e["source"] for e in generated.values()}) >= 8
    assert {v["ant_source"] for v in variants.values()} == {"alarabia", "BBC", "CNN", "france24", "skynews"}
    encodings = [e["encoding"] for e in generated.values()]
    assert encodings.count("windows-1256") >= 6
    assert encodings.count("iso-8859-6") >= 2
    undeclared = [e for e in generated.values() if not _CHARSET.search(_file(out, e).read_bytes())]
    assert len(undeclared) >= 2 and {e["encoding"] for e in undeclared} == {"windows-1256"}

    with_jsonld = without_jsonld = text_only_date = 0
    for url, entry in generated.items():
        html = _file(out, entry).read_bytes().decode(CODECS[entry["encoding"]])
        if "application/ld+json" in html:
            with_jsonld += 1
        else:
            without_jsonld += 1
        machine = ("datePublished" in html or "published_time" in html or "datetime=" in html
                   or _ISO_DAY.search(html) or re.search(r"/20\d\d[/-]", url))
        if not machine:
            text_only_date += 1
            assert entry["date"] and not variants[url]["machine_date"]
    assert with_jsonld >= 5 and without_jsonld >= 5
    assert text_only_date >= 5
    assert any(e["author"] for e in generated.values()) and any(not e["author"] for e in generated.values())
