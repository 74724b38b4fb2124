"""The ``marsad`` command: thin commands over the library."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from . import __name__ as _pkg
from .errors import MarsadError
from .runners.local import ErrorLog, RunStats, run
from .steps import default_steps
from .steps.readers import Reader
from .steps.writers import JsonlWriter

log = logging.getLogger(_pkg)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic news in, a clean structured archive out.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("process", help="clean articles and write them as JSON lines")
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files, .jsonl(.gz) files, directories, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="where to write (default: standard output)")
    p.add_argument("--source", help="source name for inputs that do not carry one")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=cmd_process)
    return parser


def cmd_process(args: argparse.Namespace) -> int:
    stats = RunStats()
    errors = ErrorLog(stats)
    reader = Reader(args.paths, source=args.source, on_error=errors.read_error)
    progress = False if args.no_progress else None
    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8")
        except OSError as exc:
            raise MarsadError(f"{args.output}: cannot write: {exc.strerror}") from exc
        with out:
            run(reader, default_steps(), JsonlWriter(out), errors=errors, progress=progress)
    else:
        run(reader, default_steps(), JsonlWriter(sys.stdout), errors=errors, progress=progress)
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
