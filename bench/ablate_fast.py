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
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from marsad.evaluate.extraction import Extraction

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


def cpu_per_page(pages: list[bytes], run: Callable[[bytes], object], rounds: int) -> float:
    from marsad.html.mend import _junk_marker, _junk_name

    for html in pages[:3]:
        run(html)
    best = float("inf")
    for _ in range(rounds):
        _junk_name.cache_clear()
        _junk_marker.cache_clear()
        start = time.process_time()
        for html in pages:
            run(html)
        best = min(best, time.process_time() - start)
    return best / len(pages)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=200, help="pages timed (the suite's fixed sample)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    import trafilatura

    from marsad.article import Article
    from marsad.evaluate.extraction import evaluate, marsad_extractor
    from marsad.evaluate.suites import load_gold, read_pages, select_pages
    from marsad.pipeline import chain
    from marsad.steps.clean import TextCleaner
    from marsad.steps.decode import decode_html
    from marsad.steps.extract import HtmlExtractor

    suite = load_gold(args.suite)
    dev = select_pages(suite, half="dev", sample=None, limit=None)
    timed = [html for _, html in read_pages(select_pages(suite, half="all", sample=args.sample, limit=None))]

    def fast_run(html: bytes) -> object:
        article = Article(id="page", raw=decode_html(html, "page"), format="html")
        return list(chain([article], [HtmlExtractor(fast=True), TextCleaner()]))

    base = cpu_per_page(timed, lambda html: trafilatura.bare_extraction(html, with_metadata=True), args.rounds)
    (peer,) = evaluate(dev, {"trafilatura": _trafilatura}, progress=False)
    rows = [("trafilatura", peer.totals(), base)]
    for left_out in [(), *((part,) for part in PARTS), PARTS]:
        with without(left_out):
            (score,) = evaluate(dev, {"fast": marsad_extractor(fast=True)}, progress=False)
            seconds = cpu_per_page(timed, fast_run, args.rounds)
        name = "marsad --fast" + ("".join(f" without {p}" for p in left_out) if len(left_out) < len(PARTS) else " without all four")
        rows.append((name, score.totals(), seconds))
    print(f"dev half: {len(dev)} pages scored; {len(timed)} pages timed, best of {args.rounds} passes, one core (CPU time)")
    print("| system | F1 | title | author | date | ms a page | times faster than trafilatura |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, totals, seconds in rows:
        print(f"| {name} | {totals['f1']:.3f} | {totals['title']:.3f} | {totals['author']:.3f} | {totals['date']:.3f} "
              f"| {seconds * 1000:.1f} | {base / seconds:.1f}× |")


def _trafilatura(html: bytes, url: str | None) -> Extraction:
    from marsad.evaluate.peers import run_peer

    return run_peer("trafilatura", html, url)


if __name__ == "__main__":
    main()
