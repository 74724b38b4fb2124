"""``marsad eval extraction``: reading the peer suites in their shipped forms, scoring them the way each
suite scores itself, and reporting where marsad falls behind. Small suites are written here; one test
runs the command on a fixed sample of each shipped suite (../shared/data/peer_suites)."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
import types
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.errors import InputError
from marsad.evaluate import extraction
from marsad.evaluate.extraction import EvalOptions, evaluate, evaluate_suite, half_of, load_gold, score_page
from marsad.evaluate.peers import Extraction
from marsad.evaluate.scoring import names_authors, same_day, same_title, shingle_counts
from marsad.evaluate.suites import BODY, SNIPPETS, GoldPage, read_pages, select_pages

REPO = Path(__file__).resolve().parents[1]
SUITES = Path(__file__).resolve().parents[2] / "shared" / "data" / "peer_suites"
TRAFILATURA_TAR = SUITES / "trafilatura_eval.tar.gz"
ZYTE_TAR = SUITES / "zyte_article_extraction.tar.gz"


def page_html(title: str, paragraphs: list[str], *, author: str | None = None, junk: str = "Impressum Kontakt") -> bytes:
    meta = f'<meta name="author" content="{author}">' if author else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{meta}</head><body>"
            f"<nav>{junk}</nav><article><h1>{title}</h1>{body}</article><footer>{junk}</footer></body></html>").encode()


LEAD = "Der Gemeinderat hat am Montag nach langer Debatte den neuen Haushalt für das kommende Jahr beschlossen."
SECOND = "Die Opposition kritisierte vor allem die geplanten Kürzungen bei Schulen und Bibliotheken der Stadt."
ARABIC = "قال وزير الخارجية في مؤتمر صحفي عقده في الرباط إن المفاوضات بين الطرفين ستستأنف الأسبوع المقبل بعد توقف دام شهرين."

# key -> (folder, evaldata.json entry, page)
SNIPPET_SUITE: dict[str, tuple[str, dict[str, object], bytes]] = {
    "https://example.de/haushalt": ("cache", {
        "file": "haushalt.html", "title": "Haushalt beschlossen", "author": ["Anna Schmidt", "Jan Roth"],
        "date": "2020-01-02", "with": [LEAD, SECOND], "without": ["Impressum"],
    }, page_html("Haushalt beschlossen", [LEAD, SECOND], author="Anna Schmidt; Jan Roth")),
    "hard::bare.html": ("eval", {
        "file": "bare.html", "with": [SECOND], "without": [],
    }, page_html("Ohne Metadaten", [LEAD, SECOND])),
    "https://example.ma/news/1": ("pages", {
        "file": "rabat.html", "url": "https://example.ma/news/1", "title": "", "author": None, "date": "",
        "with": [ARABIC], "without": ["Impressum Kontakt"],
    }, page_html("الرباط", [ARABIC], author="أحمد الريدي")),
    "https://example.de/beside": ("", {
        "file": "beside.html", "title": "Beside", "author": "Lars Fischer und Alina Schadwinkel", "date": "2021-05-06",
        "with": [LEAD], "without": [],
    }, page_html("Beside", [LEAD])),
}

ZYTE_KEYS = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3)]
ZYTE_SUITE: dict[str, tuple[dict[str, str], bytes]] = {
    ZYTE_KEYS[0]: ({"articleBody": f"{LEAD}\n{SECOND}", "url": "https://example.de/a"}, page_html("A", [LEAD, SECOND])),
    ZYTE_KEYS[1]: ({"articleBody": ARABIC, "url": "https://example.ma/b"}, page_html("B", [ARABIC])),
    ZYTE_KEYS[2]: ({"articleBody": SECOND, "url": "https://example.de/c"}, page_html("C", [SECOND])),
}


def write_snippet_suite(root: Path) -> Path:
    gold = {}
    for key, (folder, entry, html) in SNIPPET_SUITE.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / str(entry["file"])).write_bytes(html)
        gold[key] = entry
    path = root / "evaldata.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def write_zyte_suite(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    for key, (_, html) in ZYTE_SUITE.items():
        (root / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html))
    path = root / "ground-truth.json"
    path.write_text(json.dumps({k: entry for k, (entry, _) in ZYTE_SUITE.items()}, ensure_ascii=False), encoding="utf-8")
    return path


def tar_of(folder: Path, out: Path, prefix: str) -> Path:
    with tarfile.open(out, "w:gz") as tar:
        tar.add(folder, arcname=prefix)
    return out


def text_of(html: bytes) -> str:
    """A stand-in extractor's text: the page's paragraphs, one a line."""
    import re

    return "\n".join(re.findall(r"<p>(.*?)</p>", html.decode()))


def stand_in(html: bytes, url: str | None) -> Extraction:
    import re

    author = re.search(rb'name="author" content="([^"]*)"', html)
    title = re.search(rb"<title>(.*?)</title>", html)
    return Extraction(title=title and title.group(1).decode(), author=author and author.group(1).decode(),
                      date="2020-01-02T10:00:00", text=text_of(html))


# ---------------------------------------------------------------- the split


@pytest.mark.parametrize("key, half", [
    ("https://die-partei.net/luebeck/2012/05/31/das-ministerium-fur-club-kultur-informiert/", "held"),
    ("hard::jamaicaobserver.com-attacks.html", "dev"),
    ("042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856", "dev"),
    ("https://www.aljazeera.net/news/1", "held"),
    ("مرصد", "dev"),
])
def test_half_of_is_fixed(key, half):
    assert half_of(key) == half
    assert half_of(key) == ("dev" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "held")


def test_halves_partition_and_sample_is_fixed(tmp_path):
    pages = [GoldPage(key=f"https://example.com/{i}", path=tmp_path / f"{i}.html", url=None) for i in range(40)]
    dev, held = select_pages(pages, half="dev"), select_pages(pages, half="held")
    assert {p.key for p in dev} | {p.key for p in held} == {p.key for p in pages}
    assert not {p.key for p in dev} & {p.key for p in held}
    sample = select_pages(list(reversed(pages)), sample=5)
    by_hash = sorted(pages, key=lambda p: hashlib.sha1(p.key.encode()).hexdigest())[:5]
    assert {p.key for p in sample} == {p.key for p in by_hash}  # the same five, whatever the gold order
    assert [p.key for p in select_pages(pages, half="held", limit=3)] == [p.key for p in held[:3]]


# ---------------------------------------------------------------- reading the suites


def test_snippet_gold_finds_pages_beside_and_in_cache_eval_pages(tmp_path):
    pages = load_gold(write_snippet_suite(tmp_path))
    assert [p.key for p in pages] == list(SNIPPET_SUITE)
    assert {p.form for p in pages} == {SNIPPETS}
    got = {p.key: html for p, html in read_pages(pages)}
    assert got == {k: html for k, (_, _, html) in SNIPPET_SUITE.items()}
    first = pages[0]
    assert first.author == ["Anna Schmidt", "Jan Roth"] and first.url == "https://example.de/haushalt"
    bare = pages[1]
    assert (bare.title, bare.author, bare.date, bare.url) == (None, None, None, None)  # "hard::" is no URL
    assert (pages[2].title, pages[2].author, pages[2].date) == (None, None, None)  # empty values are missing


def test_snippet_gold_names_a_missing_page(tmp_path):
    gold = write_snippet_suite(tmp_path)
    (tmp_path / "eval" / "bare.html").unlink()
    with pytest.raises(InputError, match="bare.html"):
        load_gold(gold)


def test_zyte_gold_reads_gzipped_pages_and_body(tmp_path):
    pages = load_gold(write_zyte_suite(tmp_path))
    assert [p.key for p in pages] == ZYTE_KEYS
    assert {p.form for p in pages} == {BODY}
    assert pages[1].body == ARABIC and pages[1].url == "https://example.ma/b"
    assert {p.key: html for p, html in read_pages(pages)} == {k: html for k, (_, html) in ZYTE_SUITE.items()}


@pytest.mark.parametrize("write, prefix", [(write_snippet_suite, "tests"), (write_zyte_suite, "article-benchmark")])
def test_a_suite_tar_reads_as_its_unpacked_gold(tmp_path, write, prefix):
    gold = write(tmp_path / "suite")
    archive = tar_of(tmp_path / "suite", tmp_path / "suite.tar.gz", prefix)
    on_disk, in_tar = load_gold(gold), load_gold(archive)
    assert [(p.key, p.form, p.url, p.title, p.author, p.date, p.with_, p.without, p.body) for p in in_tar] == \
           [(p.key, p.form, p.url, p.title, p.author, p.date, p.with_, p.without, p.body) for p in on_disk]
    assert all(p.path == archive and p.member for p in in_tar)
    assert dict((p.key, h) for p, h in read_pages(in_tar)) == dict((p.key, h) for p, h in read_pages(on_disk))


def test_a_tar_without_gold_is_an_input_error(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "page.html").write_bytes(b"<html></html>")
    with pytest.raises(InputError, match="evaldata.json"):
        load_gold(tar_of(tmp_path / "x", tmp_path / "x.tar.gz", "x"))


# ---------------------------------------------------------------- scoring


@pytest.mark.parametrize("found, gold, right", [
    ("Anna Schmidt; Jan Roth", ["Anna Schmidt", "Jan Roth"], True),
    ("Jan Roth, Anna Schmidt", ["Anna Schmidt", "Jan Roth"], True),
    ("Anna Schmidt", ["Anna Schmidt", "Jan Roth"], False),  # one of two authors is not the byline
    ("Lars Fischer; Alina Schadwinkel", "Lars Fischer und Alina Schadwinkel", True),
    ("Lars Fischer", "Lars Fischer und Alina Schadwinkel", False),
    ("By DAVID BRAND", "David Brand", True),
    ("Von Roland Brockmann und Sebastian Drescher", "Von Roland Brockmann und Sebastian Drescher", True),
    ("Gabor Munier", "Gàbor Muniér", True),
    ("Michael Rädel, Redaktion", "Michael Rädel", True),  # a desk credit beside the name
    ("View all posts by Daniel Lemire", "Daniel Lemire", False),  # link text, not a byline
    ("Daniel", "Daniel Lemire", False),
    ("Lemire Daniel", "Daniel Lemire", False),
    ("أحمد الريدي", "أحمد الريدى", True),
    ("بقلم: أحمد الريدي", "أحمد الريدي", True),
    (None, "Daniel Lemire", False),
])
def test_author_names_the_gold_authors(found, gold, right):
    assert names_authors(found, gold) is right


@pytest.mark.parametrize("found, gold, right", [
    ("Haushalt beschlossen", "Haushalt beschlossen", True),
    ("HAUSHALT  beschlossen!", "Haushalt beschlossen", True),
    ("Sheila Atim: „The Woman King“", 'Sheila Atim: "The Woman King"', True),
    ("Haushalt beschlossen | Stadtanzeiger", "Haushalt beschlossen", False),  # a site name is not the headline
    ("الاتحاد الأوروبى يقرر", "الاتحاد الاوروبي يقرر", True),
    (None, "Haushalt beschlossen", False),
])
def test_title(found, gold, right):
    assert same_title(found, gold) is right


@pytest.mark.parametrize("found, gold, right", [
    ("2020-01-02", "2020-01-02", True),
    ("2020-01-02T23:10:00+01:00", "2020-01-02", True),
    ("2020-01-03", "2020-01-02", False),
    (None, "2020-01-02", False),
])
def test_date(found, gold, right):
    assert same_day(found, gold) is right


def test_missing_gold_fields_are_not_scored(tmp_path):
    pages = load_gold(write_snippet_suite(tmp_path))
    (score,) = evaluate(pages, {"stand-in": stand_in}, progress=False)
    haushalt, bare, rabat, beside = score.pages
    assert (haushalt.title, haushalt.author, haushalt.date) == (True, True, True)
    assert (bare.title, bare.author, bare.date) == (None, None, None)
    assert (rabat.title, rabat.author, rabat.date) == (None, None, None)  # it names an author the gold does not have
    assert (beside.title, beside.author, beside.date) == (True, False, False)
    totals = score.totals()
    assert (totals["title_n"], totals["author_n"], totals["date_n"]) == (2, 2, 2)
    assert (totals["title"], totals["author"], totals["date"]) == (1.0, 0.5, 0.5)


def snippet_page(with_: list[str], without: list[str]) -> GoldPage:
    return GoldPage(key="k", path=Path("k.html"), url=None, with_=with_, without=without)


@pytest.mark.parametrize("text, with_, without, counts, f1", [
    ("a b. c d.", ["a b.", "c d."], ["x"], (2, 0, 0), 1.0),
    ("a b. x", ["a b.", "c d."], ["x"], (1, 1, 1), 0.5),
    ("", ["a b."], ["x"], (0, 1, 0), 0.0),
    ("a   b.\nc d.", ["a b. c d."], [], (1, 0, 0), 1.0),  # white space squeezed on both sides
    ("anything", [], [], (0, 0, 0), 1.0),  # nothing asked, nothing wrong
])
def test_snippet_page_scores(text, with_, without, counts, f1):
    score = score_page(snippet_page(with_, without), Extraction(None, None, None, text), 0.0)
    assert (score.tp, score.fn, score.fp) == counts
    assert score.f1 == pytest.approx(f1)


@pytest.mark.parametrize("true, pred, tp_fp_fn", [
    ("one two three four five", "one two three four five", (1.0, 0.0, 0.0)),
    ("one two three four five", "", (0.0, 0.0, 1.0)),
    ("", "one two three four five", (0.0, 1.0, 0.0)),
    ("", "", (0.0, 0.0, 0.0)),
    ("short text", "short text", (1.0, 0.0, 0.0)),  # fewer than four tokens: one shingle of them all
    ("one two three four five", "one two three four six", (1 / 3, 1 / 3, 1 / 3)),
])
def test_shingle_counts(true, pred, tp_fp_fn):
    assert shingle_counts(true, pred) == pytest.approx(tp_fp_fn)


def zyte_module() -> types.ModuleType:
    """The benchmark's own evaluate.py, read from the shipped tar (or the unpacked copy)."""
    source = None
    if ZYTE_TAR.is_file():
        with tarfile.open(ZYTE_TAR, "r:gz") as tar:
            handle = tar.extractfile("evaluate.py")
            source = handle.read().decode("utf-8") if handle else None
    elif Path("/tmp/suites/zyte/evaluate.py").is_file():
        source = Path("/tmp/suites/zyte/evaluate.py").read_text(encoding="utf-8")
    if source is None:
        pytest.skip("the Zyte suite is absent")
    module = types.ModuleType("zyte_evaluate")
    exec(compile(source, "evaluate.py", "exec"), module.__dict__)  # noqa: S102  # the benchmark's own scorer
    return module


BODIES = [
    (LEAD + " " + SECOND, LEAD + " " + SECOND),  # exact
    (LEAD + " " + SECOND, LEAD),  # half missed
    (SECOND, "Startseite Impressum " + SECOND + " Kommentare (3) Teilen"),  # boilerplate kept
    (ARABIC, ""),  # nothing extracted
    ("Kurz gesagt", "Kurz gesagt"),  # a body under four words
    ("eins zwei drei vier eins zwei drei vier", "eins zwei drei vier"),  # repeated shingles count
    (ARABIC, ARABIC.replace("الرباط", "الدار البيضاء") + " اقرأ أيضا"),
    ("", "Eine Seite, deren Gold leer ist."),
]


def test_zyte_scorer_gives_the_benchmarks_numbers():
    theirs = zyte_module()
    gold = {f"p{i}": {"articleBody": true} for i, (true, _) in enumerate(BODIES)}
    pred = {f"p{i}": {"articleBody": got} for i, (_, got) in enumerate(BODIES)}
    expected = theirs.evaluate(gold, pred, 0)
    pages = [GoldPage(key=k, path=Path(k), url=None, body=gold[k]["articleBody"], form=BODY) for k in gold]
    scores = [score_page(p, Extraction(None, None, None, pred[p.key]["articleBody"]), 0.0) for p in pages]
    for page, score in zip(pages, scores, strict=True):
        tp, fp, fn = theirs.string_shingle_matching(true=page.body, pred=pred[page.key]["articleBody"])
        assert (score.tp, score.fp, score.fn) == pytest.approx((tp, fp, fn))
        assert score.precision == pytest.approx(theirs.precision_score(tp, fp, fn))
        assert score.recall == pytest.approx(theirs.recall_score(tp, fp, fn))
    totals = extraction.SystemScore("x", scores, form=BODY).totals()
    for metric in ("precision", "recall", "f1"):
        assert totals[metric] == pytest.approx(expected[metric], abs=1e-12)


# ---------------------------------------------------------------- the command


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    assert main(["eval", "extraction", *map(str, args)]) == 0
    return capsys.readouterr().out


def test_a_raising_extractor_is_scored_empty_and_reported(tmp_path, monkeypatch, capsys):
    gold = write_zyte_suite(tmp_path)

    def raising(*, fast: bool = False):
        def run(html: bytes, url: str | None) -> Extraction:
            if url == "https://example.ma/b":
                raise ValueError("no body\nfound here")
            return stand_in(html, url)
        return run

    monkeypatch.setattr(extraction, "marsad_extractor", raising)
    report = json.loads(run_cli(capsys, gold, "--json"))
    marsad = report["systems"]["marsad"]
    assert marsad["overall"]["errors"] == 1 and marsad["overall"]["empty"] == 1
    assert marsad["errors"] == [{"page": ZYTE_KEYS[1], "file": f"{ZYTE_KEYS[1]}.html.gz", "error": "ValueError: no body found here"}]
    (failed,) = [p for p in marsad["pages"] if p["error"]]
    assert failed["f1"] == 0.0 and failed["fn"] == 1.0
    text = run_cli(capsys, gold)
    assert "marsad raised on 1 pages" in text and f"{ZYTE_KEYS[1]}.html.gz: ValueError: no body found here" in text


def test_report_compares_with_a_peer_page_by_page(tmp_path, monkeypatch):
    gold = write_snippet_suite(tmp_path)

    def weak(*, fast: bool = False):
        def run(html: bytes, url: str | None) -> Extraction:
            got = stand_in(html, url)
            return Extraction(got.title, got.author, got.date, "" if url == "https://example.de/beside" else got.text)
        return run

    monkeypatch.setattr(extraction, "marsad_extractor", weak)
    monkeypatch.setattr(extraction, "run_peer", lambda name, html, url: stand_in(html, url))
    report = evaluate_suite(gold, EvalOptions(peers=("trafilatura",), worst=5, progress=False))
    (comparison,) = report.comparisons
    assert (comparison.ours, comparison.peer, comparison.behind) == ("marsad", "trafilatura", 1)
    assert [(w.key, w.ours, w.peer) for w in comparison.worst] == [("https://example.de/beside", 0.0, 1.0)]
    groups = report.by_language()
    assert groups["de"]["pages"] == 3 and groups["ar"]["pages"] == 1
    assert groups["ar"]["marsad"] == groups["ar"]["trafilatura"] == 1.0


@pytest.mark.parametrize("write, prefix", [(write_snippet_suite, "tests"), (write_zyte_suite, "bench")])
def test_command_reads_gold_in_place_and_as_tar(tmp_path, write, prefix):
    gold = write(tmp_path / "suite")
    archive = tar_of(tmp_path / "suite", tmp_path / "suite.tar.gz", prefix)
    outputs = []
    for path in (gold, archive):
        proc = subprocess.run([sys.executable, "-m", "marsad.cli", "eval", "extraction", str(path), "--json"],
                              capture_output=True, cwd=REPO)
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stderr == b""  # piped: no progress bar
        outputs.append(json.loads(proc.stdout))
    for out in outputs:
        pages = out["systems"]["marsad"]["pages"]
        assert out["pages"] == len(pages) == (4 if write is write_snippet_suite else 3)
        assert out["systems"]["marsad"]["overall"]["errors"] == 0
    strip = [[{k: v for k, v in p.items() if k != "seconds"} for p in out["systems"]["marsad"]["pages"]] for out in outputs]
    assert strip[0] == strip[1]


@pytest.mark.parametrize("suite, form", [(TRAFILATURA_TAR, SNIPPETS), (ZYTE_TAR, BODY)])
def test_shipped_suites_sample_is_read_whole(suite, form, capsys):
    if not suite.is_file():
        pytest.skip(f"{suite} is absent")
    expected = select_pages(load_gold(suite), half="dev", sample=6)
    assert len(expected) == 6
    report = json.loads(run_cli(capsys, suite, "--half", "dev", "--sample", "6", "--json", "--no-progress"))
    assert report["form"] == form and report["pages"] == 6
    pages = report["systems"]["marsad"]["pages"]
    assert [p["page"] for p in pages] == [p.key for p in expected]
    assert all(half_of(p["page"]) == "dev" for p in pages)
    assert sum(p["empty"] for p in pages) < 6  # the pages were read: marsad found text on them
