"""Sharded runs in this process: the output does not depend on how the input is cut, what one shard
cannot see alone (a site's repeated lines, a copy in another shard) is learned from all of them, and
an interrupted run resumes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from corpus import SITES, kill_after_shards, marsad, write_pages

from marsad.errors import ConfigError, MarsadError
from marsad.jobs import ProcessOptions, process_files
from marsad.pipeline import chain
from marsad.runners.sharded import RunnerOptions
from marsad.steps.clean import TextCleaner
from marsad.steps.readers import Reader

FAST = ProcessOptions(enrich=False, progress=False)
SAMPLES = Path(__file__).parents[2] / "samples"


def records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def inputs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """JSON lines, crawled texts and HTML pages: three kinds of shard."""
    return [str(corpus), str(SAMPLES / "text"), str(write_pages(tmp_path_factory.mktemp("html")))]


@pytest.fixture(scope="module")
def whole(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    """The output of a run with every input in one shard each (files: all in one)."""
    out = tmp_path_factory.mktemp("whole") / "out.jsonl"
    process_files(inputs, str(out), FAST, runner=RunnerOptions(shard_lines=10_000, shard_files=10_000))
    return records(out)


@pytest.mark.parametrize("lines, files", [(1, 1), (2, 3), (7, 2), (53, 500)])
def test_the_output_does_not_depend_on_the_shards(inputs, whole, tmp_path, lines, files):
    out = tmp_path / "out.jsonl"
    stats = process_files(inputs, str(out), FAST, runner=RunnerOptions(shard_lines=lines, shard_files=files))
    assert records(out) == whole
    assert stats.read == stats.written == len(whole)


def test_what_one_shard_cannot_see_is_learned_from_all(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    process_files([str(corpus)], str(out), FAST, runner=RunnerOptions(shard_lines=2))
    got = records(out)
    # every page opens with its site's slogan: with two lines a shard, no shard holds the three pages
    # of a site that make a line the site's furniture, yet none is left
    for _, slogan, _ in SITES.values():
        assert not any(slogan in str(r["text"]) for r in got), slogan
    # the same cleanup as one cleaner that saw the whole input at once
    at_once = list(chain(Reader([str(corpus)]), [TextCleaner(batch_size=10_000)]))
    assert [(r["text"], r["author"], r["boilerplate"]) for r in got] == [
        (a.text, a.author, [{"line": b.line, "reason": b.reason} for b in a.boilerplate]) for a in at_once]
    by_id = {r["id"]: r for r in got}
    # a site crediting its own name on all its pages has no author
    assert by_id["p000"]["author"] is None and by_id["p001"]["author"] is None
    # copies in other shards are found, and the earliest is the original
    assert by_id["c000"]["duplicate_of"] == "same_text" and by_id["c000"]["original"] == "p000"
    assert by_id["w000"]["duplicate_of"] == "near_duplicate" and by_id["w000"]["cluster"] == by_id["p000"]["cluster"]
    assert by_id["p000"]["cluster_size"] == 3
    assert [r["id"] for r in got[:4]] == ["p000", "w000", "c000", "p001"]  # input order


def test_copies_are_dropped_by_their_final_standing(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    options = ProcessOptions(enrich=False, progress=False, drop=("duplicate",))
    stats = process_files([str(corpus)], str(out), options, runner=RunnerOptions(shard_lines=3))
    kept = records(out)
    assert all(r["duplicate_of"] is None for r in kept)
    assert stats.steps["drop"]["dropped:duplicate"] == 53 - len(kept) > 0


def test_resume_refuses_another_runs_work(corpus, tmp_path):
    work = tmp_path / "work"
    runner = RunnerOptions(shard_lines=5, resume=True, work_dir=work)
    process_files([str(corpus)], str(tmp_path / "a.jsonl"), FAST, runner=runner)
    assert not work.exists()  # a finished run leaves no work behind
    (work / "read").mkdir(parents=True)
    (work / "plan.json").write_text('{"shards": ["other.jsonl:1-5"]}')
    with pytest.raises(ConfigError, match="other inputs or options"):
        process_files([str(corpus)], str(tmp_path / "b.jsonl"), FAST, runner=runner)


def test_resume_needs_a_work_folder_for_standard_output(corpus):
    with pytest.raises(MarsadError, match="--work-dir"):
        process_files([str(corpus)], None, FAST, runner=RunnerOptions(resume=True))


def test_a_killed_local_run_resumes_with_nothing_lost_or_repeated(corpus, tmp_path):
    expected = tmp_path / "expected.jsonl"
    process_files([str(corpus)], str(expected), FAST, runner=RunnerOptions(shard_lines=4))
    out, work = tmp_path / "out.jsonl", tmp_path / "work"
    args = [str(corpus), "-o", str(out), "--no-enrich", "--shard-lines", "4", "--work-dir", str(work), "--resume"]
    kill_after_shards(marsad("process", *args), work)
    done = len(list(work.glob("*/*.done")))
    assert done and not out.exists()
    result = subprocess.run(marsad("process", *args), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    # what the killed run finished is not done again
    assert f"resumed: {done} shard passes" in result.stderr and done >= 1
