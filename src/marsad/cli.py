"""The ``marsad`` command: thin commands over the library."""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __name__ as _pkg
from .errors import ConfigError, MarsadError

if TYPE_CHECKING:  # the runners load with the command that runs them (search starts fast without them)
    from .runners.local import RunStats
    from .runners.sharded import RunnerOptions

log = logging.getLogger(_pkg)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic news in, a clean structured archive out.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("process", help="clean articles and write them as JSON lines")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="text, .html, .warc(.gz), .jsonl(.gz) or .parquet files, directories, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT.jsonl|OUT.parquet",
                   help="where to write: JSON lines, or Parquet when the name ends in .parquet (default: standard output)")
    p.add_argument("--step-timeout", type=float, default=60.0, metavar="S",
                   help="seconds one article may take in one step before it is left out and counted (default: 60)")
    p.add_argument("--parquet-file-mb", type=int, default=512, metavar="MB",
                   help="a Parquet output larger than this is split into OUT-00000.parquet, OUT-00001.parquet, ..."
                        " (default: 512)")
    p.add_argument("--source", help="source name for inputs that do not carry one")
    p.add_argument("--fast", action="store_true", help="fast HTML extraction (resiliparse): several times faster, a little less accurate")
    p.add_argument("--drop", action="append", metavar="RULE",
                   help="drop articles by rule (repeatable): low_quality, lang!=ar, lang=fa, duplicate, or a quality flag name; "
                        "dropped articles are counted by reason. Without it nothing is dropped")
    p.add_argument("--thresholds", metavar="FILE", help="quality thresholds (TOML or JSON) instead of FineWeb-2's arb_Arab preset")
    p.add_argument("--no-dedup", action="store_true", help="do not look for duplicates")
    p.add_argument("--dedup-index", metavar="FILE", help="keep the duplicate index in FILE, so later runs are compared with this one")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.add_argument("--no-enrich", action="store_true", help="skip entities, topic, key phrases, quotations and summary")
    _runner_arguments(p)
    p.set_defaults(func=cmd_process)

    ig = sub.add_parser("ingest", help="run the pipeline and store the articles in an archive (idempotent, resumable)")
    ig.add_argument("paths", nargs="+", metavar="PATH", help="as for `marsad process`")
    ig.add_argument("--archive", default="marsad.db", help="the archive: a SQLite file, or a PostgreSQL URL postgresql://user@host/db (default: marsad.db)")
    ig.add_argument("--source", help="source name for inputs that do not carry one")
    ig.add_argument("--fast", action="store_true", help="fast HTML extraction")
    ig.add_argument("--drop", action="append", metavar="RULE", help="as for `marsad process`: nothing is dropped without it")
    ig.add_argument("--thresholds", metavar="FILE", help="quality thresholds (TOML or JSON)")
    ig.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    ig.add_argument("--no-enrich", action="store_true", help="skip entities, topic, key phrases, quotations and summary")
    ig.add_argument("--step-timeout", type=float, default=60.0, metavar="S",
                    help="seconds one article may take in one step before it is left out and counted (default: 60)")
    _runner_arguments(ig)
    ig.set_defaults(func=cmd_ingest)

    er = sub.add_parser("enrich", help="add entities, topic, key phrases, quotations and summary to articles stored without them")
    er.add_argument("--archive", default="marsad.db", help="the archive: a SQLite file, or a PostgreSQL URL postgresql://user@host/db (default: marsad.db)")
    er.add_argument("--all", dest="everything", action="store_true",
                    help="enrich every article again, not only those stored without enrichment (after a model changed)")
    er.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    er.set_defaults(func=cmd_enrich)

    se = sub.add_parser("search", help="search the archive")
    se.add_argument("query", help='words, "exact phrases", OR, -excluded, prefix*')
    se.add_argument("--archive", default="marsad.db")
    se.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (YYYY-MM-DD)")
    se.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (YYYY-MM-DD)")
    se.add_argument("--source")
    se.add_argument("--lang")
    se.add_argument("--entity", help="only articles naming this entity (e.g. المغرب)")
    se.add_argument("--topic", help="only articles of this topic (internationalNews, middleEast, sport, economy, technology, culture)")
    se.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    se.add_argument("--limit", type=int, default=10)
    se.add_argument("--offset", type=int, default=0)
    se.add_argument("--exact-names", action="store_true",
                    help='search a name only as typed, without its other spellings (as "quoting" it does)')
    se.add_argument("--json", action="store_true", help="print the results as JSON")
    se.set_defaults(func=cmd_search)

    sh = sub.add_parser("show", help="print one stored article with all its fields")
    sh.add_argument("id")
    sh.add_argument("--archive", default="marsad.db")
    sh.set_defaults(func=cmd_show)

    st = sub.add_parser("stats", help="counts by source, language, month and cluster size")
    st.add_argument("--archive", default="marsad.db")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)

    xp = sub.add_parser("export", help="write the archive, or a search's results, as JSON lines or Parquet")
    xp.add_argument("--archive", default="marsad.db")
    xp.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    xp.add_argument("--query", help="export this search's results instead of everything")
    xp.add_argument("--limit", type=int, default=1000, help="with --query: how many results")
    xp.add_argument("-o", "--output", required=True, metavar="FILE")
    xp.set_defaults(func=cmd_export)

    nm = sub.add_parser("names", help="the spelling groups of names (ترامب/ترمب): list, merge, split",
                        description="marsad names [QUERY]: the groups of spellings learned from the archive (those of"
                                    " the names holding QUERY); marsad names merge A B: one name; marsad names split A:"
                                    " A is a name of its own; marsad names learn: learn them again now. Edits persist"
                                    " and win over what is learned.")
    nm.add_argument("words", nargs="*", metavar="QUERY | merge A B | split A | learn")
    nm.add_argument("--archive", default="marsad.db")
    nm.add_argument("--all", action="store_true", help="also names of one spelling")
    nm.add_argument("--limit", type=int, default=30)
    nm.add_argument("--json", action="store_true")
    nm.set_defaults(func=cmd_names)

    sv = sub.add_parser("serve", help="open the observatory: the web page and the HTTP API over an archive")
    sv.add_argument("--archive", default="marsad.db", help="the archive: a SQLite file, or a PostgreSQL URL postgresql://user@host/db (default: marsad.db)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--token", help="enable the write endpoints (POST /api/ingest), which then require this token"
                                    " (default: the MARSAD_TOKEN environment variable; without either, read-only)")
    sv.add_argument("--workers", type=int, default=1, help="worker processes, each with its own connections (default: 1)")
    sv.add_argument("--cache-mb", type=int, default=64, metavar="MB",
                    help="memory each process may keep answers in until the archive changes (default: 64; 0: none)")
    sv.add_argument("--threads", type=int, default=4,
                    help="requests each process answers at a time; the rest wait their turn (default: 4)")
    sv.set_defaults(func=cmd_serve)

    from .cli_crawl import add_parsers as add_crawl_parsers

    add_crawl_parsers(sub)

    ev = sub.add_parser("eval", help="measure marsad against gold data")
    ev_sub = ev.add_subparsers(dest="what", required=True)
    ex = ev_sub.add_parser("extraction", help="main text and metadata of HTML pages against a gold suite")
    ex.add_argument("gold", metavar="GOLD",
                    help="trafilatura's evaldata.json, Zyte's ground-truth.json (pages beside it), or either suite's .tar.gz as shipped")
    ex.add_argument("--peers", nargs="*", metavar="PEER", default=None,
                    help="also score peers on the same pages (default with no names: all installed of trafilatura, readability, resiliparse, newspaper4k)")
    ex.add_argument("--fast", action="store_true", help="also score marsad's fast mode")
    ex.add_argument("--half", choices=["dev", "held", "all"], default="all",
                    help="the fixed half of the suite to score (by the SHA-1 of each page's key; default: all)")
    ex.add_argument("--sample", type=int, metavar="N", help="a fixed sample: the first N pages by the SHA-1 of their key")
    ex.add_argument("--limit", type=int, metavar="N", help="only the first N pages (in gold order)")
    ex.add_argument("--worst", type=int, default=10, metavar="N",
                    help="list the N pages where marsad is furthest below each peer (default: 10)")
    ex.add_argument("--pages", action="store_true", help="print one line per page and system")
    ex.add_argument("--json", action="store_true", help="print the report as JSON")
    ex.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    ex.set_defaults(func=cmd_eval_extraction)
    en = ev_sub.add_parser("ner", help="named entities of a CoNLL file (exact spans, per type and overall)")
    en.add_argument("conll", metavar="FILE.conll", help="token TAG lines (B-/I-PERS, LOC, ORG, MISC), blank line between sentences")
    en.add_argument("--model", metavar="DIR", help="a model folder (default: the committed model)")
    en.add_argument("--json", action="store_true")
    en.set_defaults(func=cmd_eval_ner)
    et = ev_sub.add_parser("topic", help="topic accuracy with each source held out in turn (six labels and world news merged)")
    et.add_argument("data", metavar="ARTICLES.jsonl[.gz]", help="articles with source, category, title and text (ANT's form)")
    et.add_argument("--json", action="store_true")
    et.set_defaults(func=cmd_eval_topic)

    tr = sub.add_parser("train", help="train a model from labelled data")
    tr_sub = tr.add_subparsers(dest="what", required=True)
    tn = tr_sub.add_parser("ner", help="the named-entity CRF")
    tn.add_argument("train", nargs="+", metavar="TRAIN.conll")
    tn.add_argument("--extra", action="append", default=[], metavar="FILE", help="extra CoNLL training data (e.g. WikiFANE mapped to coarse types)")
    tn.add_argument("--out", metavar="DIR", help="where to write the model (default: the committed model's folder)")
    tn.set_defaults(func=cmd_train_ner)
    tt = tr_sub.add_parser("topic", help="the topic classifier")
    tt.add_argument("data", metavar="ARTICLES.jsonl[.gz]")
    tt.add_argument("--out", metavar="DIR", help="where to write the model (default: the committed model's folder)")
    tt.set_defaults(func=cmd_train_topic)
    return parser


def cmd_eval_ner(args: argparse.Namespace) -> int:
    from .nlp.ner import evaluate_ner

    report = evaluate_ner(_existing(args.conll), model_path=Path(args.model) if args.model else None)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if args.json else report.format())
    return 0


def cmd_eval_topic(args: argparse.Namespace) -> int:
    from .nlp.topic import evaluate_topic

    report = evaluate_topic(_existing(args.data))
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if args.json else report.format())
    return 0


def cmd_train_ner(args: argparse.Namespace) -> int:
    from .nlp.ner import MODEL_DIR, train_ner

    out = Path(args.out) if args.out else MODEL_DIR
    return _trained(train_ner([_existing(p) for p in args.train], out, extra=[_existing(p) for p in args.extra]), out)


def cmd_train_topic(args: argparse.Namespace) -> int:
    from .nlp.topic import MODEL_DIR, train_topic

    out = Path(args.out) if args.out else MODEL_DIR
    return _trained(train_topic(_existing(args.data), out), out)


def _trained(summary: dict[str, object], out: Path) -> int:
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    print(f"model written to {out}", file=sys.stderr)
    return 0


def _existing(path: str) -> Path:
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: no such file")
    return Path(path)


def cmd_eval_extraction(args: argparse.Namespace) -> int:
    from .evaluate.extraction import EvalOptions, evaluate_suite
    from .evaluate.peers import available_peers

    peers = args.peers
    if peers is not None and not peers:
        peers = available_peers()
    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs tracebacks for pages it rejects
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    for name in ("sample", "limit", "worst"):
        if getattr(args, name) is not None and getattr(args, name) < 0:
            raise ConfigError(f"--{name} must be 0 or more")
    options = EvalOptions(peers=tuple(peers or ()), fast=args.fast, half=args.half, sample=args.sample,
                          limit=args.limit, worst=args.worst, progress=False if args.no_progress else None)
    report = evaluate_suite(args.gold, options)
    print(report.to_json() if args.json else report.format(per_page=args.pages))
    return 0


def _runner_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("runner", "where the shards of the input run: in this process, or on Ray's workers")
    g.add_argument("--runner", choices=("local", "ray"), default="local",
                   help="local (default): in this process; ray: on a Ray cluster's workers (pip install 'marsad[ray]')")
    g.add_argument("--address", metavar="ADDR",
                   help="the Ray cluster to use (e.g. ray://head:10001, or auto); without it a local Ray starts with this machine's cores")
    g.add_argument("--workers", type=int, metavar="N", help="shards run at once (default: every core)")
    g.add_argument("--resume", action="store_true",
                   help="go on with an interrupted run: the shards it finished (markers in the work folder) are not run again")
    g.add_argument("--work-dir", metavar="DIR",
                   help="where the shards' work and completion markers go (default: OUTPUT.work or ARCHIVE.work with --runner ray"
                        " or --resume, else a temporary folder); every Ray worker must see it")
    g.add_argument("--shard-lines", type=int, default=5000, metavar="N",
                   help="a JSON lines file is cut into shards of N lines (default: 5000); WARC and Parquet files are a shard each")


def _runner_options(args: argparse.Namespace) -> RunnerOptions:
    from .runners.sharded import RunnerOptions

    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    if args.shard_lines < 1:
        raise ConfigError("--shard-lines must be at least 1")
    if args.address and args.runner != "ray":
        raise ConfigError("--address is for --runner ray")
    return RunnerOptions(runner=args.runner, address=args.address, workers=args.workers, resume=args.resume,
                         work_dir=Path(args.work_dir) if args.work_dir else None, shard_lines=args.shard_lines)


def _report_shards(stats: RunStats) -> int:
    """Exit status of a run: 1 when shards failed for good (their articles are missing from the output)."""
    failed = stats.errors.get("shard_failed", 0)
    if failed:
        print(f"{failed} shards failed and are not in the output: run again with --resume to retry them", file=sys.stderr)
        return 1
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
        enrich=not args.no_enrich,
        parquet_file_bytes=max(1, args.parquet_file_mb) * 1024 * 1024,
        step_timeout=args.step_timeout if args.step_timeout > 0 else None,
    )
    stats = process_files(args.paths, args.output, options, runner=_runner_options(args))
    for line in stats.summary():
        print(line, file=sys.stderr)
    if len(stats.outputs) > 1:
        print(f"wrote {len(stats.outputs)} Parquet files: {', '.join(stats.outputs)}", file=sys.stderr)
    return _report_shards(stats)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} must be a date like 2024-05-07, not {value!r}") from None


def cmd_ingest(args: argparse.Namespace) -> int:
    from .jobs import ProcessOptions, ingest_files

    options = ProcessOptions(
        fast=args.fast, source=args.source, drop=tuple(args.drop or ()),
        thresholds=Path(args.thresholds) if args.thresholds else None, progress=False if args.no_progress else None,
        enrich=not args.no_enrich, step_timeout=args.step_timeout if args.step_timeout > 0 else None,
    )
    stats, counts = ingest_files(args.paths, args.archive, options, runner=_runner_options(args))
    for line in stats.summary():
        print(line, file=sys.stderr)
    print(f"archive {args.archive}: added {counts['added']}, updated {counts['updated']}, unchanged {counts['unchanged']}",
          file=sys.stderr)
    return _report_shards(stats)


def cmd_enrich(args: argparse.Namespace) -> int:
    from .jobs import enrich_archive

    stats, counts = enrich_archive(args.archive, everything=args.everything, progress=False if args.no_progress else None)
    for line in stats.summary()[1:]:
        print(line, file=sys.stderr)
    print(f"archive {args.archive}: enriched {counts['enriched']} of {counts['pending']} articles to enrich", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .archive import Archive

    with Archive(args.archive, create=False) as archive:
        found = archive.search(
            args.query, date_from=_date(args.date_from, "--from"), date_to=_date(args.date_to, "--to"),
            source=args.source, lang=args.lang, entity=args.entity, topic=args.topic, sort=args.sort,
            limit=args.limit, offset=args.offset, exact_names=args.exact_names,
        )
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    about = "" if found.total_exact else "about "
    console.print(f"{about}{found.total:,} result{'s' if found.total != 1 else ''}")
    for typed, added in found.also.items():
        console.print(f"[dim]also searched: {escape('، '.join(added))} (for {escape(typed)}; --exact-names for it alone)[/dim]")
    for i, hit in enumerate(found.results, start=args.offset + 1):
        copies = f"  [dim]({hit.copies} copies)[/dim]" if hit.copies > 1 else ""
        console.print(f"\n[bold]{i}. {escape(hit.title or '(no title)')}[/bold]{copies}")
        console.print(f"[dim]{escape(hit.source or '-')} · {hit.published or '-'} · {hit.id}[/dim]")
        snippet = escape(html.unescape(hit.snippet).replace("<mark>", "\x00").replace("</mark>", "\x01"))
        console.print(snippet.replace("\x00", "[bold yellow]").replace("\x01", "[/bold yellow]"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .archive import Archive

    with Archive(args.archive, create=False) as archive:
        record = archive.get(args.id)
    if record is None:
        raise MarsadError(f"no article {args.id!r} in {args.archive}")
    print(json.dumps(record, ensure_ascii=False, indent=1))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .archive import Archive

    with Archive(args.archive, create=False) as archive:
        stats = archive.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    print(f"articles: {stats['articles']}")
    for title, key in (("by source", "sources"), ("by language", "languages"), ("by month", "months"),
                       ("articles by cluster size", "cluster_sizes")):
        print(f"\n{title}:")
        for name, n in stats[key]:
            print(f"  {name}\t{n}")
    if stats["topics"]:
        print("\nby topic:")
        for name, n in stats["topics"]:
            print(f"  {name}\t{n}")
    if stats["entities"]:
        print("\ntop entities (articles naming them):")
        for name, label, n in stats["entities"]:
            print(f"  {name}\t{label}\t{n}")
    return 0


def cmd_names(args: argparse.Namespace) -> int:
    from .archive import Archive

    words = list(args.words)
    op = words[0] if words and words[0] in ("merge", "split", "learn") else None
    with Archive(args.archive, create=False) as archive:
        if op == "learn":
            if len(words) != 1:
                raise ConfigError("names learn takes no words")
            done = archive.learn_names()
            print(f"{done['names']} names, {done['groups']} with several spellings; {done['entities']} entities,"
                  f" {done['not_names']} tagged words counted as not names", file=sys.stderr)
            return 0
        if op is not None:
            want = 3 if op == "merge" else 2
            if len(words) != want:
                raise ConfigError(f"names {op} takes {'two spellings: merge A B' if op == 'merge' else 'one spelling: split A'}")
            archive.edit_names(op, *words[1:])
            words = words[1:2]
        groups = archive.names(" ".join(words) or None, limit=args.limit, everything=args.all)
    if args.json:
        print(json.dumps(groups, ensure_ascii=False, indent=1))
        return 0
    if not groups:
        print("no name groups" + (f" holding {' '.join(words)!r}" if words else ""), file=sys.stderr)
        return 0
    for g in groups:
        spellings = "، ".join(f"{s['spelling']} {s['articles']}" for s in g["spellings"])
        edited = "  (edited)" if g["edited"] else ""
        print(f"{g['name']}\t{g['label'] or '-'}\t{spellings}{edited}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .archive import Archive
    from .archive.export import export

    with Archive(args.archive, create=False) as archive:
        n = export(archive, args.output, fmt=args.format, query=args.query, limit=args.limit)
    print(f"wrote {n} articles to {args.output}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .web.app import serve
    except ImportError as exc:  # the web extras are dependencies; a broken install says which is missing
        raise ConfigError(f"the web application needs {exc.name}: pip install marsad") from exc
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1-65535, not {args.port}")
    print(f"marsad: serving {args.archive} at http://{args.host}:{args.port}/ "
          f"({'writes need the token' if args.token or os.environ.get('MARSAD_TOKEN') else 'read-only'}); Ctrl-C stops",
          file=sys.stderr)
    serve(args.archive, host=args.host, port=args.port, token=args.token, workers=args.workers, cache_mb=args.cache_mb,
          threads=args.threads)
    return 0


#: a search query may open with an excluded word (``-رياضة ترامب``): a word after ``search`` that
#: starts with "-" and is none of its options is the query, not an unknown option
_QUOTED = "\x00"


def _query_first(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    # the command is the first word that is not an option ("-v" is the only one before it)
    at = next((i for i, arg in enumerate(argv) if not arg.startswith("-")), None)
    if at is None or argv[at] != "search" or "--" in argv:
        return argv
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["search"]
    options = {o: a for a in sub._actions for o in a.option_strings}
    out = list(argv)
    i = at + 1
    while i < len(out):
        arg = out[i]
        name = arg.split("=", 1)[0]
        if name in options:
            takes = options[name].nargs != 0 and "=" not in arg
            i += 2 if takes else 1
            continue
        if arg.startswith("-") and len(arg) > 1:
            out[i] = _QUOTED + arg
            break
        i += 1
    return out


def _reader_gone() -> bool:
    """Standard output is a pipe whose reader has closed it (poll says so at once)."""
    import select

    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poll.poll(0))
    except (OSError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(_query_first(list(sys.argv[1:] if argv is None else argv), parser))
    if isinstance(getattr(args, "query", None), str):
        args.query = args.query.removeprefix(_QUOTED)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="marsad: %(message)s",
        stream=sys.stderr,
    )
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # here, not at exit, so that a reader gone away is met below
        return code
    except BrokenPipeError:  # the reader stopped reading (marsad names | head): stop quietly, as cat does
        if not _reader_gone():
            raise  # another pipe or socket than standard output
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except MarsadError as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
