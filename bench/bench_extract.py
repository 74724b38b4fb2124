"""Pages per second on one core: marsad (default and --fast) against trafilatura and resiliparse,
on the same pages in one run; then peak memory of ``marsad process`` as the page count grows 10x.

    python bench/html_gold/generate.py --out build/html_gold      # the pages (once)
    python bench/bench_extract.py [--pages build/html_gold/pages] [--rounds 3]
    python bench/bench_extract.py --suite ../shared/data/peer_suites/trafilatura_eval.tar.gz --sample 200 --no-memory

Each system gets the page bytes, as from a crawl, and does everything a user would ask of it:
marsad its whole per-page pipeline (decoding, metadata, main text, cleanup, language, quality signals,
enrichment), and, as a second line, only the part trafilatura also does (decoding, metadata, main text
and its cleanup); trafilatura
``bare_extraction(with_metadata=True)``; resiliparse encoding detection and main-content text.
Times are CPU seconds of this process (``time.process_time``), the best of ``--rounds`` passes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PAGES = HERE.parent / "build" / "html_gold" / "pages"


def systems() -> dict[str, Callable[[bytes], object]]:
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    import marsad

    def resiliparse(html: bytes) -> object:
        tree = HTMLTree.parse_from_bytes(html, detect_encoding(html))
        return extract_plain_text(tree, main_content=True)

    return {
        "marsad": lambda html: marsad.process_html(html),
        "marsad --fast": lambda html: marsad.process_html(html, fast=True),
        "marsad, extraction and cleanup": extraction(False),
        "marsad --fast, extraction and cleanup": extraction(True),
        "trafilatura": lambda html: trafilatura.bare_extraction(html, with_metadata=True),
        "resiliparse": resiliparse,
    }


def extraction(fast: bool) -> Callable[[bytes], object]:
    """What trafilatura does for a user: decoding, metadata, main text and its cleanup; without the
    steps it has no counterpart for (language, quality signals, enrichment)."""
    from marsad.article import Article
    from marsad.pipeline import chain
    from marsad.steps.clean import TextCleaner
    from marsad.steps.decode import decode_html
    from marsad.steps.extract import HtmlExtractor

    def run(html: bytes) -> object:
        article = Article(id="page", raw=decode_html(html, "page"), format="html")
        return list(chain([article], [HtmlExtractor(fast=fast), TextCleaner()]))

    return run


def cpu_seconds(pages: list[bytes], run: Callable[[bytes], object], rounds: int) -> float:
    """CPU seconds of ``run`` over all ``pages``, the best of ``rounds`` cold passes."""
    from marsad.html.mend import _junk_marker, _junk_name

    for html in pages[:3]:  # warm up: imports, lazy tables
        run(html)
    best = float("inf")
    for _ in range(rounds):
        _junk_name.cache_clear()  # each pass starts cold: no class name judged in an earlier pass
        _junk_marker.cache_clear()
        start = time.process_time()
        for html in pages:
            run(html)
        best = min(best, time.process_time() - start)
    return best


def speed(pages: list[bytes], rounds: int) -> dict[str, float]:
    return {name: len(pages) / cpu_seconds(pages, run, rounds) for name, run in systems().items()}


CHILD = r"""
import json, os, resource, sys
from marsad.runners.local import ErrorLog, RunStats, run
from marsad.steps import default_steps
from marsad.steps.readers import Reader
from marsad.steps.writers import JsonlWriter
stats = RunStats()
with open(os.devnull, "w", encoding="utf-8") as out:
    run(Reader([sys.argv[1]]), default_steps(fast=sys.argv[2] == "fast"), JsonlWriter(out), errors=ErrorLog(stats), progress=False)
print(json.dumps({"pages": stats.written, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def memory(pages: list[bytes], copies: int, mode: str) -> dict[str, float]:
    """Peak RSS of ``marsad process`` on a WARC holding the pages ``copies`` times."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.warc.gz"
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for c in range(copies):
                for i, html in enumerate(pages):
                    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                    rec = writer.create_warc_record(f"https://example.com/{c}/{i}", "response", payload=io.BytesIO(html), http_headers=headers)
                    writer.write_record(rec)
        cmd = [sys.executable, "-c", CHILD, str(path), mode]
        if os.path.exists("/usr/bin/taskset"):
            cmd = ["taskset", "-c", "0", *cmd]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--suite", type=Path, help="real pages instead: a peer suite (gold file or .tar.gz, as marsad eval reads it)")
    ap.add_argument("--sample", type=int, default=None, help="with --suite: its fixed sample of N pages")
    args = ap.parse_args()
    if args.suite:
        from marsad.evaluate.suites import load_gold, read_pages, select_pages

        chosen = select_pages(load_gold(args.suite), half="all", sample=args.sample, limit=None)
        pages = [html for _, html in read_pages(chosen)]
    else:
        files = sorted(p for p in args.pages.iterdir() if p.suffix in (".html", ".htm"))
        if not files:
            sys.exit(f"no pages in {args.pages}: run bench/html_gold/generate.py first")
        pages = [p.read_bytes() for p in files]
    rates = speed(pages, args.rounds)
    base = rates["trafilatura"]
    print(f"{len(pages)} pages, best of {args.rounds} passes, one core (CPU time)")
    print("| system | pages/s | time vs trafilatura |")
    print("|---|---:|---:|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:.0f} | {base / rate:.2f}x |")
    if not args.no_memory:
        print("\n| mode | pages | peak RSS MB |")
        print("|---|---:|---:|")
        for mode in ("default", "fast"):
            for copies in (2, 20):
                r = memory(pages, copies, mode)
                print(f"| {mode} | {r['pages']} | {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
