"""Fixtures of the crawl tests: real sites on loopback addresses, and marsad's commands run on them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main

from .server import sites  # noqa: F401 - the fixture, for every crawl test

#: a child process running a marsad command (for kill -9 and SIGTERM)
CHILD = "import sys; from marsad.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


def marsad_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """Run ``marsad ARGS --json`` in this process; its JSON output."""
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out)  # type: ignore[no-any-return]


def crawl(capsys: pytest.CaptureFixture[str], archive: Path, *args: str, delay: str = "0.05") -> dict[str, Any]:
    """``marsad crawl`` as a test runs it: loopback allowed, short delay, no enrichment."""
    return marsad_json(capsys, "crawl", *args, "--archive", str(archive), "--allow-private", "--delay", delay,
                       "--no-enrich", "--no-progress", "--timeout", "2")


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def stored(archive: Path) -> dict[str, dict[str, Any]]:
    """The archive's articles by URL."""
    con = sqlite3.connect(archive)
    try:
        rows = con.execute("SELECT url, title, source, published, text FROM articles").fetchall()
    finally:
        con.close()
    return {url: {"title": title, "source": source, "published": published, "text": text}
            for url, title, source, published, text in rows}


def warc_records(folder: Path) -> list[tuple[str, str, str | None, int | None]]:
    """Every record of the crawl's WARC files: (type, target URI, Marsad-Role, HTTP status)."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                status = int(record.http_headers.get_statuscode()) if record.rec_type == "response" else None
                out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                            record.rec_headers.get_header("Marsad-Role"), status))
    return out
