"""Floor for known-item search: a headline retyped with the usual spelling changes finds its article.

The archive is built in a temporary folder from the first 1,500 ANT articles (../shared/data; the
test skips without it) with ``marsad.jobs.ingest_files``; 150 queries are drawn the way
bench/eval_search.py draws them (its functions, imported from the file): 3-5 content words of the
headline, two or three kinds of change each (hamza, yeh, teh marbuta, harakat, clitics). marsad must
reach its floor and beat a plain FTS5 table over the same rows. The full measure (30k articles, 1,000
queries) is docs/bench_search_quality.md.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
ARTICLES = 1500
QUERIES = 150
SEED = 1

# Measured on this subset when the floor was set (commit d63af1c): marsad MRR@10 0.993 (recall@10
# 1.000), the plain FTS5 baseline 0.000; the same queries before any spelling change give marsad 0.997,
# FTS5 0.956. Seeds 2-5 give marsad 0.986-0.997. Before d63af1c (82d13d8) seed 1 gave 0.965: the
# floor sits between, so a return of the clitic misses fails it.
MRR_FLOOR = 0.97


@pytest.fixture(scope="module")
def bench(load_script) -> ModuleType:  # type: ignore[no-untyped-def]
    return load_script("eval_search", ROOT / "bench" / "eval_search.py")


@pytest.fixture(scope="module")
def evaluation(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not ANT.is_file():
        pytest.skip("../shared/data is absent")
    from marsad.jobs import ProcessOptions, ingest_files

    folder = tmp_path_factory.mktemp("known_item")
    source = folder / "ant_head.jsonl"
    with gzip.open(ANT, "rt", encoding="utf-8") as fh, open(source, "w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i == ARTICLES:
                break
            out.write(line)
    archive = folder / "archive.db"
    ingest_files([str(source)], archive, ProcessOptions(progress=False))
    pool = bench.load_pool(archive)
    queries, _ = bench.draw_queries(pool, QUERIES, SEED)
    return bench.evaluate(archive, pool, queries, plain=False)


def test_queries_are_drawn_as_asked(bench: ModuleType, evaluation) -> None:  # type: ignore[no-untyped-def]
    queries = evaluation.queries
    assert len(queries) == QUERIES
    assert all(3 <= len(q.plain) <= 5 and len(q.query.split()) == len(q.plain) for q in queries)
    assert sum(len(q.kinds) >= 2 for q in queries) >= 0.95 * QUERIES
    assert set(bench.KINDS) == {k for q in queries for k in q.kinds}  # every kind is exercised


def test_marsad_reaches_its_floor_and_beats_plain_fts5(evaluation) -> None:  # type: ignore[no-untyped-def]
    marsad, baseline = evaluation.score("marsad"), evaluation.score("baseline")
    assert marsad.mrr >= MRR_FLOOR, f"marsad MRR@10 {marsad.mrr:.3f} < floor {MRR_FLOOR}"
    assert marsad.mrr >= 0.9
    assert marsad.mrr > baseline.mrr


@pytest.mark.parametrize(
    "kind, words, allowed",
    [
        ("hamza_strip", ["سوريا", "إيران"], [["سوريا", "ايران"]]),
        ("hamza_add", ["ترامب", "انتخابات"], [["ترامب", "أنتخابات"], ["ترامب", "إنتخابات"]]),
        ("hamza_add", ["الانتخابات"], [["الأنتخابات"], ["الإنتخابات"]]),
        ("yeh", ["مستشفى"], [["مستشفي"]]),
        ("teh", ["غزة"], [["غزه"]]),
        ("clitic_remove", ["للمرة"], [["المرة"], ["مرة"]]),
        ("clitic_remove", ["لبنان"], [None]),  # ل is a root letter here: left alone
        ("clitic_add", ["الاتحاد"], [["والاتحاد"]]),  # the one form of the archive's words
        ("clitic_add", ["أنقذت"], [None]),  # no ال on a verb: not a word of the archive
        ("clitic_add", ["مو"], [None]),  # too short to take a clitic
    ],
)
def test_a_change_does_what_its_name_says(
    bench: ModuleType, kind: str, words: list[str], allowed: list[list[str] | None]
) -> None:
    import random

    vocab = {"المره", "مره", "والاتحاد", "مو", "ومو"}  # the archive's words, folded as load_pool folds them
    for seed in range(5):
        assert bench.KINDS[kind](words, random.Random(seed), vocab) in allowed


def test_stop_words_are_not_query_words(bench: ModuleType) -> None:
    assert bench.content_words("ترامب: لن نتراجع عن الرسوم على الصين في هذا العام") == [
        "ترامب", "نتراجع", "الرسوم", "الصين", "العام",
    ]
