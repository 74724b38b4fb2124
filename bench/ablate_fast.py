"""What each part of fast mode costs and earns: fast mode with one part left out at a time, scored on
the dev half of a peer suite and timed on its fixed sample, beside fast mode whole and trafilatura.

    python bench/ablate_fast.py --suite ../shared/data/peer_suites/trafilatura_eval.tar.gz

The parts: the mending (``html.mend``), htmldate as the last date source, the written bylines near the
headline (``html.authors._written_bylines``), and resiliparse's reading of the whole page as the check on
fast mode's own story block (without it, a block of 200+ characters in 3+ lines of running text is
taken as it is). Time is CPU time of extraction and cleanup (what trafilatura also does), best of
``--rounds`` passes, mending's name caches cleared before each pass (as ``bench_extract.py``).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from bench_extract import cpu_seconds, extraction  # this folder is on the path when run as a script

PARTS = ("mending", "htmldate", "written bylines", "resiliparse check")


@contextlib.contextmanager
def without(parts: tuple[str, ...]) -> Iterator[None]:
    """Fast mode with ``parts`` left out, for the duration of the block."""
    from marsad.html import authors, main, meta
    from marsad.steps import extract

    saved = [(extract, "mend", extract.mend), (meta, "_htmldate", meta._htmldate),
             (authors, "_written_bylines", authors._written_bylines),
             (extract, "extract_text_fast", extract.extract_text_fast)]
    if "mending" in parts:
        extract.mend = lambda tree: []  # type: ignore[assignment]
    if "htmldate" in parts:
        meta._htmldate = lambda html, tree, reference: None  # type: ignore[assignment]
    if "written bylines" in parts:
        authors._written_bylines = lambda tree, story: []  # type: ignore[assignment]
    if "resiliparse check" in parts:
        whole = main.extract_text_fast

        def block_first(page: str, tree: object = None, url: str | None = None) -> str:
            block = main.story_text(tree) if tree is not None else ""  # type: ignore[arg-type]
            if (len(block) >= main.FAST_BLOCK and block.count("\n") >= 2 and main.has_prose(block)
                    and not main.looks_like_headline_list(block)):
                return block
            return whole(page, tree, url)  # type: ignore[arg-type]

        extract.extract_text_fast = block_first  # type: ignore[assignment]
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=200, help="pages timed (the suite's fixed sample)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    import trafilatura

    from marsad.evaluate.extraction import evaluate, marsad_extractor, systems_for
    from marsad.evaluate.suites import load_gold, read_pages, select_pages

    suite = load_gold(args.suite)
    dev = select_pages(suite, half="dev", sample=None, limit=None)
    timed = [html for _, html in read_pages(select_pages(suite, half="all", sample=args.sample, limit=None))]

    fast_run = extraction(True)
    base = cpu_seconds(timed, lambda html: trafilatura.bare_extraction(html, with_metadata=True), args.rounds) / len(timed)
    (peer,) = evaluate(dev, {"trafilatura": systems_for(["trafilatura"], fast=False)["trafilatura"]}, progress=False)
    rows = [("trafilatura", peer.totals(), base)]
    for left_out in [(), *((part,) for part in PARTS), PARTS]:
        with without(left_out):
            (score,) = evaluate(dev, {"fast": marsad_extractor(fast=True)}, progress=False)
            seconds = cpu_seconds(timed, fast_run, args.rounds) / len(timed)
        name = "marsad --fast" + ("".join(f" without {p}" for p in left_out) if len(left_out) < len(PARTS) else " without all four")
        rows.append((name, score.totals(), seconds))
    print(f"dev half: {len(dev)} pages scored; {len(timed)} pages timed, best of {args.rounds} passes, one core (CPU time)")
    print("| system | F1 | title | author | date | ms a page | times faster than trafilatura |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, totals, seconds in rows:
        print(f"| {name} | {totals['f1']:.3f} | {totals['title']:.3f} | {totals['author']:.3f} | {totals['date']:.3f} "
              f"| {seconds * 1000:.1f} | {base / seconds:.1f}× |")


if __name__ == "__main__":
    main()
