"""Each article's time in a step is bounded: past the limit it is left out, counted and named, and the
run goes on with the others (as datatrove time-boxes extraction)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from marsad.article import Article
from marsad.cli import main
from marsad.pipeline import BatchStep, Map
from marsad.runners.local import ErrorLog, RunStats, run


class Stuck(Map):
    """A step that never ends on one article (a pathological page), in pure Python."""

    name = "stuck"

    def process(self, article: Article) -> Article:
        while article.raw == "loop":
            pass
        return article


class StuckInBatch(BatchStep):
    name = "batch"

    def process_batch(self, batch: list[Article]) -> list[Article]:
        return self.each(batch, lambda a: time.sleep(30) if a.raw == "loop" else None)


@pytest.mark.parametrize("step", [Stuck(), StuckInBatch()], ids=["map", "batch"])
def test_an_article_past_the_time_limit_is_left_out_counted_and_the_run_goes_on(step) -> None:  # type: ignore[no-untyped-def]
    step.time_limit = 0.3
    articles = [Article(id=f"a{i}", raw="loop" if i == 1 else "نص") for i in range(3)]
    stats = RunStats()
    written: list[str] = []
    started = time.monotonic()
    run(articles, [step], lambda a: written.append(a.id), errors=ErrorLog(stats), progress=False)
    assert time.monotonic() - started < 5
    assert written == ["a0", "a2"]
    assert stats.errors == {f"{step.name}_timeout": 1} and step.stats["timeout"] == 1


def test_the_cli_limit_reaches_every_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "text": "خبر قصير عن افتتاح مدرسة جديدة في المدينة."}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    assert main(["process", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-progress", "--step-timeout",
                 "0.000001"]) == 0
    err = capsys.readouterr().err
    assert "timeout" in err and "x" in err
    assert (tmp_path / "out.jsonl").read_text() == ""
    assert main(["process", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-progress"]) == 0
    assert json.loads((tmp_path / "out.jsonl").read_text())["id"] == "x"
