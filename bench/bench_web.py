"""The observatory under load: `marsad serve` on an archive, 50 concurrent clients on localhost over a
seeded mix of API requests drawn from the archive itself, then the same for the HTML pages:
throughput and p50/p95/p99 latency per kind of request, and errors.

    python bench/bench_web.py /tmp/ant.db                     # 50 clients: 5,000 API requests, then 1,500 page requests
    python bench/bench_web.py /tmp/ant.db --workers 2         # the server with two worker processes
    python bench/bench_web.py /tmp/ant.db --cache-mb 0        # no answers kept: every request computed
    python bench/bench_web.py /tmp/ant.db --think 500         # each client pauses 500 ms on average between requests
    python bench/bench_web.py /tmp/ant.db --requests 20000 --seconds 120 --json > web.json

The archive of issue 12's goal is all of ANT (``marsad ingest ../shared/data/ant_multisource/articles.jsonl.gz
--archive /tmp/ant.db``). The server runs as a subprocess (``python -m marsad.cli serve`` on a free
port, read-only, with ``--workers``, ``--threads`` and ``--cache-mb`` passed on when given). The
clients are coroutines of this one process, each with its own keep-alive connection: a minimal
HTTP/1.1 client on asyncio streams (:class:`Connection`), because httpx.AsyncClient took about 3 ms
of CPU per request at 50 connections, as much as the server, on the same cores (``--client httpx``
to see it). On a small machine the two sides still share its cores: the report gives the CPU
seconds each used.

By default a client sends its next request as soon as it has an answer (a closed loop with no pause):
the server is never idle, so the latency under load is mostly time spent queueing behind the other
49 clients' requests, about 50 / throughput. ``--think`` adds a pause, like a person reading a page.

Phases, in this order:

* ``warm-up``: ``--warmup`` requests (default 300) of a mix drawn with another seed, at full
  concurrency, so that the server has imported and opened everything and the archive's pages are in
  the OS cache. Not reported.
* ``sequential``: one client, ``--sequential`` API requests (default 300) and 20 of each page, one
  after the other: the latency of a request alone, for reference.
* ``load api``: ``--clients`` clients (default 50) share ``--requests`` requests (default 5,000) of
  the API mix, stopping after ``--seconds`` (default 60) if not done.
* ``load pages``: the same clients over ``--page-requests`` requests (default 1,500) of the pages mix.

The API mix (weights): search 30 (one to three words of a real headline, or an entity's name; some
with a source, a month, an entity filter, ``sort=date``, an offset), article 20 (``/api/articles/{id}``
of a random article), entity 13 (``/api/entities/{name}`` of one of the 3,000 most named), trends 15
(a word or an entity over the archive's span by week or month, all articles per source by month, the
last 30 days), entities 12 (most named or rising, over 7, 30 or 90 days ending on a random day,
sometimes one label), clusters 8 (a story with copies, or an article alone), sources 2 (``/api/sources``,
``/api/stats``). One request in 30 of the article, entity and cluster kinds asks for an unknown
id on purpose: its 404 is expected. Any other status but 2xx counts as an error, as does a timeout
or a dropped connection. The pages mix: home 30, search 25, article 20, cluster 10, entity 10, sources 5.

Percentiles are nearest-rank over each kind's latencies (from sending the request to having the whole
body). The server keeps answers until the archive changes, so the report gives the share of each
phase's requests that were asked before (in it or an earlier phase): at most those can be served from
memory; the rest are computed. The goal of issue 12: at 50 clients, the API's p95 under 100 ms and p99 under 300 ms, and the
home page under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# Words a reader does not search for alone: skipped when query words are drawn from headlines.
STOP = set(
    "في من على إلى الى عن مع بعد قبل أن ان إن هذا هذه التي الذي الذين ما لا لم لن قد كان كانت و أو او ثم حتى"
    " بين هل عند منذ خلال حول ضد كل بعض غير أي أول يوم".split()
)
API_WEIGHTS = {"search": 30, "article": 20, "trends": 15, "entity": 13, "entities": 12, "clusters": 8, "sources": 2}
PAGE_WEIGHTS = {"home": 30, "search page": 25, "article page": 20, "cluster page": 10, "entity page": 10, "sources page": 5}
#: one request in this many of the article, entity and cluster kinds asks for an unknown id (a 404 is expected)
UNKNOWN_EVERY = 30


@dataclass(frozen=True, slots=True)
class Req:
    kind: str
    path: str
    expect: int = 200  # 404: an unknown id asked for on purpose


@dataclass(slots=True)
class Pools:
    """What the mix draws from, read once from the archive."""

    articles: list[tuple[str, str, str | None, str | None]]  # id, title, source, cluster
    entities: list[str]
    clusters: list[str]
    sources: list[str]
    first: date
    last: date


def read_pools(path: Path, rng: random.Random, *, sample: int = 5_000) -> Pools:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (top,) = db.execute("SELECT max(rowid) FROM articles").fetchone()
        rowids = sorted({rng.randint(1, top) for _ in range(sample)})
        articles = []
        for i in range(0, len(rowids), 500):
            chunk = rowids[i : i + 500]
            articles += db.execute(
                f"SELECT id, coalesce(title, ''), source, cluster FROM articles WHERE rowid IN ({','.join('?' * len(chunk))})",
                chunk).fetchall()
        entities = [n for (n,) in db.execute(
            "SELECT name FROM entity_days GROUP BY name ORDER BY sum(n) DESC, name LIMIT 3000")]
        clusters = [c for (c,) in db.execute("SELECT id FROM clusters WHERE size > 1 ORDER BY id")]
        sources = [s for (s,) in db.execute("SELECT DISTINCT source FROM source_days ORDER BY 1")]
        lo, hi = db.execute("SELECT min(day), max(day) FROM days WHERE day > 0 AND n > 0").fetchone()
    finally:
        db.close()
    return Pools(articles, entities, clusters, sources, date.fromordinal(lo), date.fromordinal(hi))


def _words(title: str) -> list[str]:
    return [w.strip("«»\"'()،:؟!.,-") for w in title.split() if w not in STOP and len(w) > 2]


def _q(path: str, **params: Any) -> str:
    shown = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urlencode(shown) if shown else "")


def _query(rng: random.Random, pools: Pools) -> str:
    if rng.random() < 0.2:
        return rng.choice(pools.entities)
    while True:
        words = _words(rng.choice(pools.articles)[1])
        if words:
            k = min(len(words), rng.choice((1, 1, 2, 2, 3)))
            i = rng.randrange(len(words) - k + 1)
            return " ".join(words[i : i + k])


def _month(rng: random.Random, pools: Pools) -> tuple[date, date]:
    """A month of the archive's busy end (its last two years, where most of ANT is)."""
    start = max(pools.first, pools.last - timedelta(days=730))
    day = start + timedelta(days=rng.randrange((pools.last - start).days + 1))
    return day.replace(day=1), min(day.replace(day=1) + timedelta(days=30), pools.last)


def api_request(rng: random.Random, pools: Pools) -> Req:
    kind = rng.choices(list(API_WEIGHTS), weights=list(API_WEIGHTS.values()))[0]
    unknown = rng.randrange(UNKNOWN_EVERY) == 0
    if kind == "search":
        p: dict[str, Any] = {"q": _query(rng, pools)}
        if rng.random() < 0.15:
            p["source"] = rng.choice(pools.sources)
        if rng.random() < 0.15:
            a, b = _month(rng, pools)
            p["from"], p["to"] = a.isoformat(), b.isoformat()
        if rng.random() < 0.1:
            p["entity"] = rng.choice(pools.entities[:300])
        if rng.random() < 0.15:
            p["sort"] = "date"
        if rng.random() < 0.15:
            p["offset"] = rng.choice((10, 20, 50))
        if rng.random() < 0.2:
            p["limit"] = 20
        return Req(kind, _q("/api/search", **p))
    if kind == "article":
        if unknown:
            return Req(kind, f"/api/articles/no-such-article-{rng.randrange(10**9)}", 404)
        return Req(kind, "/api/articles/" + quote(rng.choice(pools.articles)[0], safe=""))
    if kind == "entity":
        if unknown:
            return Req(kind, "/api/entities/" + quote(f"لا-أحد-{rng.randrange(10**9)}", safe=""), 404)
        return Req(kind, _q("/api/entities/" + quote(rng.choice(pools.entities), safe=""),
                            interval=rng.choice((None, "week", "month"))))
    if kind == "clusters":
        if unknown:
            return Req(kind, f"/api/clusters/no-such-story-{rng.randrange(10**9)}", 404)
        if rng.random() < 0.7:
            cid = rng.choice(pools.clusters)
        else:  # the story of a random article, most often an article alone
            article_id, _, _, story = rng.choice(pools.articles)
            cid = story or article_id
        return Req(kind, "/api/clusters/" + quote(cid, safe=""))
    if kind == "trends":
        r = rng.random()
        span = {"from": pools.first.isoformat(), "to": pools.last.isoformat()}
        if r < 0.35:
            return Req(kind, _q("/api/trends", q=_query(rng, pools), interval=rng.choice(("week", "month")), **span))
        if r < 0.6:
            return Req(kind, _q("/api/trends", entity=rng.choice(pools.entities), interval=rng.choice(("week", "month")), **span))
        if r < 0.75:
            return Req(kind, _q("/api/trends", by="source", interval="month", **span))
        if r < 0.9:
            a, b = _month(rng, pools)
            return Req(kind, _q("/api/trends", q=_query(rng, pools), source=rng.choice(pools.sources),
                                interval="day", **{"from": a.isoformat(), "to": b.isoformat()}))
        return Req(kind, "/api/trends")
    if kind == "entities":
        days = rng.choice((7, 30, 90))
        end = _month(rng, pools)[1] if rng.random() < 0.7 else None
        return Req(kind, _q("/api/entities", sort=rng.choice(("count", "change")),
                            label=rng.choice((None, None, "PER", "LOC", "ORG")), limit=rng.choice((None, 50)),
                            **({"from": (end - timedelta(days=days - 1)).isoformat(), "to": end.isoformat()} if end else {})))
    return Req(kind, rng.choice(("/api/sources", "/api/stats")))


def page_request(rng: random.Random, pools: Pools) -> Req:
    kind = rng.choices(list(PAGE_WEIGHTS), weights=list(PAGE_WEIGHTS.values()))[0]
    if kind == "home":
        return Req(kind, "/")
    if kind == "search page":
        p: dict[str, Any] = {"q": _query(rng, pools)}
        if rng.random() < 0.2:
            p["page"] = 2
        return Req(kind, _q("/search", **p))
    if kind == "article page":
        return Req(kind, "/articles/" + quote(rng.choice(pools.articles)[0], safe=""))
    if kind == "cluster page":
        return Req(kind, "/clusters/" + quote(rng.choice(pools.clusters), safe=""))
    if kind == "entity page":
        return Req(kind, "/entities/" + quote(rng.choice(pools.entities), safe=""))
    return Req(kind, "/sources")


def mix(make: Any, rng: random.Random, pools: Pools, n: int) -> list[Req]:
    return [make(rng, pools) for _ in range(n)]


# ---------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``marsad serve`` on a free port, as a subprocess; its CPU time (with its workers') from /proc."""

    def __init__(self, archive: Path, workers: int, cache_mb: int | None, threads: int | None) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench_web_", suffix=".log", delete=False)
        cmd = [sys.executable, "-m", "marsad.cli", "serve", "--archive", str(archive), "--port", str(self.port)]
        if workers > 1:
            cmd += ["--workers", str(workers)]
        if cache_mb is not None:
            cmd += ["--cache-mb", str(cache_mb)]
        if threads is not None:
            cmd += ["--threads", str(threads)]
        env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}  # read-only, as a public server
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped (exit {self.proc.returncode}):\n{self.tail()}")
            try:
                if httpx.get(self.base + "/api/articles/-", timeout=2).status_code == 404:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def cpu(self) -> float:
        """CPU seconds used so far by the server process and its children (uvicorn's workers)."""
        tick = os.sysconf("SC_CLK_TCK")
        tree, total = {self.proc.pid}, 0.0
        stats = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    text = (entry / "stat").read_text()
                except OSError:
                    continue
                fields = text[text.rindex(")") + 2 :].split()
                stats.append((int(entry.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick))
        grew = True
        while grew:
            grew = False
            for pid, ppid, _ in stats:
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid, _, seconds in stats:
            if pid in tree:
                total += seconds
        return total

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)


# ---------------------------------------------------------------- the clients

@dataclass(slots=True)
class Phase:
    name: str
    clients: int
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)  # the first few errors, for the report


class Connection:
    """One keep-alive HTTP/1.1 connection, GET only: a few lines of asyncio instead of httpx, whose
    client took about 3 ms of CPU per request at 50 connections here (httpcore's pool), as much as
    the server, on the same two cores (``--client httpx`` measures with it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        headers = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection") == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_phase(server: Server, name: str, requests: list[Req], clients: int, seconds: float,
                    timeout: float, use_httpx: bool = False, think: float = 0.0) -> Phase:
    phase = Phase(name, clients)
    pauses = random.Random(f"{name}-think")  # each client's pause after an answer: exponential, mean ``think`` ms
    todo: Iterator[Req] = iter(requests)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        conn = Connection("127.0.0.1", server.port)
        for req in todo:  # the clients share one iterator: each request is sent once
            if time.perf_counter() > deadline:
                break
            t = time.perf_counter()
            try:
                if use_httpx:
                    status: int | str = (await http.get(req.path)).status_code
                else:
                    status = await asyncio.wait_for(conn.get(req.path), timeout)
            except (httpx.HTTPError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    asyncio.TimeoutError, ValueError) as exc:
                status = type(exc).__name__
                conn.close()
            ms = (time.perf_counter() - t) * 1000
            phase.times[req.kind].append(ms)
            if status != req.expect and not (req.expect == 200 and isinstance(status, int) and 200 <= status < 300):
                phase.errors[req.kind] += 1
                if len(phase.examples) < 5:
                    phase.examples.append(f"{status} {req.path}")
            if think > 0:
                await asyncio.sleep(pauses.expovariate(1000.0 / think))
        conn.close()

    cpu0, own0 = server.cpu(), time.process_time()
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=timeout) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    phase.wall = time.perf_counter() - t0
    phase.server_cpu, phase.client_cpu = server.cpu() - cpu0, time.process_time() - own0
    return phase


# ---------------------------------------------------------------- the report

def pct(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def summary(times: list[float], errors: int, wall: float) -> dict[str, Any]:
    s = sorted(times)
    return {"requests": len(s), "errors": errors, "rps": round(len(s) / wall, 1) if wall else 0.0,
            "p50": round(pct(s, 0.50), 1), "p95": round(pct(s, 0.95), 1), "p99": round(pct(s, 0.99), 1),
            "max": round(s[-1], 1)}


def phase_report(phase: Phase, overall: str) -> dict[str, Any]:
    kinds = {k: summary(v, phase.errors.get(k, 0), phase.wall) for k, v in sorted(phase.times.items())}
    every = [t for v in phase.times.values() for t in v]
    return {"phase": phase.name, "clients": phase.clients, "wall_s": round(phase.wall, 2),
            "server_cpu_s": round(phase.server_cpu, 1), "client_cpu_s": round(phase.client_cpu, 1),
            "kinds": kinds, overall: summary(every, sum(phase.errors.values()), phase.wall),
            "error_examples": phase.examples}


def markdown(report: dict[str, Any]) -> str:
    cache = "default" if report["cache_mb"] is None else report["cache_mb"]
    threads = report.get("threads") or "default"
    lines = [f"{report['archive']} ({report['articles']:,} articles), server workers: {report['workers']},"
             f" threads: {threads}, cache: {cache} MB, client: {report['client']}, think: {report.get('think_ms', 0):g} ms,"
             f" {report['machine']}", "",
             "| phase | kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for ph in report["phases"]:
        rows = [(k, v) for k, v in ph["kinds"].items()] + [(f"**{k}**", ph[k]) for k in ("all API", "all pages") if k in ph]
        for kind, s in rows:
            rps = "—" if s["rps"] is None else f"{s['rps']:,.1f}"
            lines.append(f"| {ph['phase']} ({ph['clients']}) | {kind} | {s['requests']:,} | {s['errors']} | {rps} |"
                         f" {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} |")
    lines.append("")
    for ph in report["phases"][1:]:
        lines.append(f"- {ph['phase']}: {ph['wall_s']} s wall; {ph['repeated']:.0%} of its requests asked before;"
                     f" CPU seconds: server {ph['server_cpu_s']},"
                     f" clients {ph['client_cpu_s']}" + (f"; errors e.g. {', '.join(ph['error_examples'])}" if ph["error_examples"] else ""))
    g = report["goals"]
    lines.append(f"- goals at {report['clients']} clients: API p95 {g['api_p95']} ms (< 100: {'met' if g['api_p95'] < 100 else 'missed'}),"
                 f" p99 {g['api_p99']} ms (< 300: {'met' if g['api_p99'] < 300 else 'missed'});"
                 f" home page p95 {g['home_p95']} ms under load, p50 {g['home_alone_p50']} ms alone"
                 f" (< 200: {'met' if g['home_p95'] < 200 else 'missed'})")
    return "\n".join(lines)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    archive = Path(args.archive)
    if not archive.exists():
        raise SystemExit(f"{archive}: no archive (build it with marsad ingest)")
    rng = random.Random(args.seed)
    pools = read_pools(archive, rng)
    warm_rng = random.Random(args.seed + 1000)
    warm = mix(api_request, warm_rng, pools, args.warmup) + mix(page_request, warm_rng, pools, args.warmup // 3)
    alone = mix(api_request, rng, pools, args.sequential)
    alone += [page_request(random.Random(f"{args.seed}-{k}-{i}"), pools) for k in PAGE_WEIGHTS for i in range(20)]
    api = mix(api_request, rng, pools, args.requests)
    pages = mix(page_request, rng, pools, args.page_requests)
    repeats: dict[str, float] = {}  # the share of a phase's requests asked before (a kept answer can serve them)
    with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as db:
        (articles,) = db.execute("SELECT count(*) FROM articles").fetchone()

    seen: set[str] = set()
    for name, reqs in (("warm-up", warm), ("sequential", alone), ("load api", api), ("load pages", pages)):
        again = 0
        for r in reqs:
            again += r.path in seen
            seen.add(r.path)
        repeats[name] = round(again / len(reqs), 3) if reqs else 0.0
    server = Server(archive, args.workers, args.cache_mb, args.threads)
    try:
        server.wait()
        h = args.client == "httpx"
        await run_phase(server, "warm-up", warm, args.clients, args.seconds, args.timeout, h)
        phases = [await run_phase(server, "sequential", alone, 1, args.seconds, args.timeout, h),
                  await run_phase(server, "load api", api, args.clients, args.seconds, args.timeout, h, args.think),
                  await run_phase(server, "load pages", pages, args.clients, args.seconds, args.timeout, h, args.think)]
    finally:
        server.stop()
    seq = phases[0]
    api_kinds = {k: v for k, v in seq.times.items() if k in API_WEIGHTS}
    page_kinds = {k: v for k, v in seq.times.items() if k in PAGE_WEIGHTS}
    reports = []
    for part, kinds, overall in (("sequential", api_kinds, "all API"), ("sequential", page_kinds, "all pages")):
        sub = Phase(part, 1, wall=seq.wall, server_cpu=seq.server_cpu, client_cpu=seq.client_cpu)
        sub.times.update(kinds)
        sub.errors.update({k: v for k, v in seq.errors.items() if k in kinds})
        sub.examples = [e for e in seq.examples if (" /api/" in e) == (overall == "all API")]
        r = phase_report(sub, overall)
        for s in [*r["kinds"].values(), r[overall]]:  # one client, one request at a time: no throughput to speak of
            s["rps"] = None
        reports.append(r)
    reports.append(phase_report(phases[1], "all API"))
    reports.append(phase_report(phases[2], "all pages"))
    for r, name in zip(reports, ("sequential", "sequential", "load api", "load pages"), strict=True):
        r["repeated"] = repeats[name]
    load_api, load_pages = reports[2]["all API"], reports[3]["kinds"].get("home", {})
    home_alone = reports[1]["kinds"].get("home", {})
    return {
        "archive": str(archive), "articles": articles, "workers": args.workers, "cache_mb": args.cache_mb,
        "threads": args.threads, "think_ms": args.think, "clients": args.clients, "client": args.client,
        "machine": machine(), "seed": args.seed, "phases": reports,
        "goals": {"api_p95": load_api["p95"], "api_p99": load_api["p99"], "home_p95": load_pages.get("p95", float("nan")),
                  "home_alone_p50": home_alone.get("p50", float("nan"))},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive", help="an archive built by marsad ingest (e.g. all of ANT)")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--requests", type=int, default=5000, help="API requests under load (default 5000)")
    ap.add_argument("--page-requests", type=int, default=1500, help="page requests under load (default 1500)")
    ap.add_argument("--seconds", type=float, default=60.0, help="each phase stops after this long (default 60)")
    ap.add_argument("--sequential", type=int, default=300, help="API requests of the one-client pass (default 300)")
    ap.add_argument("--warmup", type=int, default=300, help="API requests to warm up with (default 300, plus a third as many pages)")
    ap.add_argument("--workers", type=int, default=1, help="the server's worker processes (marsad serve --workers; default 1)")
    ap.add_argument("--think", type=float, default=0.0, metavar="MS",
                    help="under load, each client pauses after each answer, exponentially, this many ms on average"
                         " (default 0: the next request at once, the server never idle)")
    ap.add_argument("--threads", type=int, help="marsad serve --threads (default: the server's)")
    ap.add_argument("--cache-mb", type=int, help="marsad serve --cache-mb (default: the server's; 0: no answers kept)")
    ap.add_argument("--timeout", type=float, default=30.0, help="a request taking longer is an error (default 30 s)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="raw: a minimal keep-alive HTTP/1.1 client on asyncio (default); httpx: httpx.AsyncClient")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args()
    report = asyncio.run(bench(args))
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else markdown(report))


if __name__ == "__main__":
    main()
