"""The ``marsad`` command: thin commands over the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __name__ as _pkg
from .errors import MarsadError

log = logging.getLogger(_pkg)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic news in, a clean structured archive out.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("process", help="clean articles and write them as JSON lines")
    p.add_argument("paths", nargs="+", metavar="PATH", help="text, .html, .warc(.gz) or .jsonl(.gz) files, directories, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="where to write (default: standard output)")
    p.add_argument("--source", help="source name for inputs that do not carry one")
    p.add_argument("--fast", action="store_true", help="fast HTML extraction (resiliparse): several times faster, a little less accurate")
    p.add_argument("--drop", action="append", metavar="RULE",
                   help="drop articles by rule (repeatable): low_quality, lang!=ar, lang=fa, duplicate, or a quality flag name; "
                        "dropped articles are counted by reason. Without it nothing is dropped")
    p.add_argument("--thresholds", metavar="FILE", help="quality thresholds (TOML or JSON) instead of FineWeb-2's arb_Arab preset")
    p.add_argument("--no-dedup", action="store_true", help="do not look for duplicates")
    p.add_argument("--dedup-index", metavar="FILE", help="keep the duplicate index in FILE, so later runs are compared with this one")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=cmd_process)

    ev = sub.add_parser("eval", help="measure marsad against gold data")
    ev_sub = ev.add_subparsers(dest="what", required=True)
    ex = ev_sub.add_parser("extraction", help="main text and metadata of HTML pages (trafilatura's evaldata.json form)")
    ex.add_argument("gold", metavar="GOLD.json")
    ex.add_argument("--peers", nargs="*", metavar="PEER", default=None,
                    help="also score peers on the same pages (default with no names: all installed of trafilatura, readability, resiliparse, newspaper4k)")
    ex.add_argument("--fast", action="store_true", help="also score marsad's fast mode")
    ex.add_argument("--pages", action="store_true", help="print one line per page and system")
    ex.add_argument("--json", action="store_true", help="print the scores as JSON")
    ex.set_defaults(func=cmd_eval_extraction)
    return parser


def cmd_eval_extraction(args: argparse.Namespace) -> int:
    from .evaluate.extraction import evaluate, load_gold, systems_for
    from .evaluate.peers import available_peers

    pages = load_gold(args.gold)
    peers = args.peers
    if peers is not None and not peers:
        peers = available_peers()
    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs tracebacks for pages it rejects
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    scores = evaluate(pages, systems_for(peers, fast=args.fast))
    if args.json:
        out = {s.name: {"overall": s.totals(), "pages": [
            {"page": p.key, "tp": p.tp, "fn": p.fn, "fp": p.fp, "title": p.title, "author": p.author, "date": p.date,
             "missed": p.missed, "leaked": p.leaked} for p in s.pages]} for s in scores}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if args.pages:
        for s in scores:
            for p in s.pages:
                flags = "".join(c if ok else "-" for c, ok in (("T", p.title), ("A", p.author), ("D", p.date)))
                print(f"{s.name:12} {flags} with {p.tp}/{p.tp + p.fn} without-leaked {p.fp}/{p.fp + p.tn}  {p.key}")
        print()
    print(f"{len(pages)} pages")
    print(f"{'system':14}{'precision':>10}{'recall':>8}{'F1':>7}{'title':>7}{'author':>8}{'date':>7}{'ms/page':>9}")
    for s in scores:
        t = s.totals()
        print(f"{s.name:14}{t['precision']:10.3f}{t['recall']:8.3f}{t['f1']:7.3f}{t['title']:7.3f}{t['author']:8.3f}"
              f"{t['date']:7.3f}{t['seconds_per_page'] * 1000:9.1f}")
    return 0


def cmd_process(args: argparse.Namespace) -> int:
    from .jobs import ProcessOptions, process_files

    options = ProcessOptions(
        fast=args.fast,
        source=args.source,
        drop=tuple(args.drop or ()),
        thresholds=Path(args.thresholds) if args.thresholds else None,
        dedup=not args.no_dedup,
        dedup_index=Path(args.dedup_index) if args.dedup_index else None,
        progress=False if args.no_progress else None,
    )
    stats = process_files(args.paths, args.output, options)
    for line in stats.summary():
        print(line, file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="marsad: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args))
    except MarsadError as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
