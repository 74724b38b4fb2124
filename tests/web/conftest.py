"""The observatory as a user meets it: a real archive, built by ``marsad ingest`` from the articles
in ``fixtures/``, and the real server, ``marsad serve``, on a free localhost port; one of each per
test session.

``fixtures/articles.jsonl`` is news written for these tests (four sources carrying one agency story,
other stories spread over March and April 2024, one English article); ``fixtures/hostile.jsonl``
holds articles whose title, body, author, source, id and URL try to break out of the page.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
TOKEN = "test-token-7f3a"
#: the ids of the articles whose fields are hostile
HOSTILE_IDS = [json.loads(line)["id"] for line in (FIXTURES / "hostile.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
#: a word that only the hostile articles use
HOSTILE_WORD = "زعفرانية"
#: the story four sources carry, and its original
STORY_ORIGINAL = "mashriq-2024-04-08-power-link"


def marsad(*args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The ``marsad`` command, as a subprocess of this Python."""
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8")
    if check and proc.returncode != 0:
        raise AssertionError(f"marsad {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    archive: Path
    token: str
    hostile_ids: tuple[str, ...] = tuple(HOSTILE_IDS)
    hostile_word: str = HOSTILE_WORD
    story: str = STORY_ORIGINAL

    def cli(self, *args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``marsad`` as a subprocess (``--archive`` is not added: the caller says where)."""
        return marsad(*args, check=check)


@pytest.fixture(scope="session")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "web.db"
    marsad("ingest", FIXTURES / "articles.jsonl", FIXTURES / "hostile.jsonl", "--archive", path, "--no-progress")
    db = sqlite3.connect(path)
    try:
        # the fixtures must give the pages something to show: a story of four sources, tagged names
        (size, sources), = db.execute("SELECT count(*), count(DISTINCT source) FROM articles WHERE cluster = ?",
                                      (STORY_ORIGINAL,)).fetchall()
        assert (size, sources) == (4, 4), "the syndicated story is not one cluster of four sources"
        people = {n for (n,) in db.execute("SELECT DISTINCT name FROM entities WHERE label = 'PER'")}
        places = {n for (n,) in db.execute("SELECT DISTINCT name FROM entities WHERE label = 'LOC'")}
        orgs = {n for (n,) in db.execute("SELECT DISTINCT name FROM entities WHERE label = 'ORG'")}
        assert "سامر الحديدي" in people and "العقبة" in places and "البنك الدولي" in orgs, (people, places, orgs)
        (n,) = db.execute("SELECT count(*) FROM articles WHERE id IN (%s)" % ",".join("?" * len(HOSTILE_IDS)),
                          HOSTILE_IDS).fetchone()
        assert n == len(HOSTILE_IDS)
    finally:
        db.close()
    return path


def _start(archive: Path | str, token: str | None, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = [sys.executable, "-m", "marsad.cli", "serve", "--archive", str(archive), "--port", str(port)]
    if token:
        args += ["--token", token]
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
    out = log.open("wb")
    proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"marsad serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/api/stats", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"marsad serve did not answer in 60 s:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def serving() -> tuple[Callable[[Path | str, str | None, Path], tuple[subprocess.Popen[bytes], str]],
                       Callable[[subprocess.Popen[bytes]], None]]:
    """How the tests start ``marsad serve`` over an archive (a path or a database URL) and stop it."""
    return _start, _stop


@pytest.fixture(scope="session")
def server(archive_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``marsad serve`` over the fixture archive, with a token (so that ingest can be tested)."""
    proc, url = _start(archive_path, TOKEN, tmp_path_factory.mktemp("logs") / "serve.log")
    try:
        yield Server(url=url, archive=archive_path, token=TOKEN)
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def names_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """``marsad serve`` over the archive of ``tests/archive/fixtures/names.jsonl`` (one name in two
    spellings, by two publishers), read-only."""
    path = tmp_path_factory.mktemp("names") / "names.db"
    marsad("ingest", HERE.parent / "archive" / "fixtures" / "names.jsonl", "--archive", path, "--no-progress")
    proc, url = _start(path, None, tmp_path_factory.mktemp("logs") / "serve-names.log")
    try:
        with httpx.Client(base_url=url, timeout=30) as c:
            yield c
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
