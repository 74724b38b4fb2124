"""A throwaway PostgreSQL cluster for the tests: ``initdb`` into a temporary folder, a server on a
unix socket in that folder (no TCP port), trust authentication, stopped and removed at the end.

Root may not run the server, so under root it runs as the ``postgres`` user (``runuser``). The
binaries are looked for on ``PATH``, then in Debian's ``/usr/lib/postgresql/<version>/bin``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: set to 1 (as CI does) to fail rather than skip when PostgreSQL is absent
REQUIRE_ENV = "MARSAD_REQUIRE_POSTGRES"


def pg_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


class Cluster:
    """A running throwaway cluster; :meth:`url` of a database in it, :meth:`create_database` to make one."""

    def __init__(self, *, durable: bool = False) -> None:
        """``durable``: PostgreSQL's own settings for writes (a benchmark's); else fsync and the like
        off, as a throwaway cluster for tests can afford."""
        bin_dir = pg_bin()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL's initdb is not installed")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
        self.data = self.root / "data"
        self.socket = self.root  # the socket's folder: short, as a unix socket's path must be
        self.log = self.root / "server.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        fast = "" if durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o",
                  f"-k {self.socket} -c listen_addresses=''{fast} -c max_connections=500", "start")
        self.started = True

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({proc.returncode}): {proc.stderr.strip()}\n{log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}"

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (a copy of ``template`` if given); its URL."""
        import psycopg

        name = f"marsad_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def copy_database(self, url: str) -> str:
        """A new database holding what the database of ``url`` holds (nobody may be connected to it)."""
        from urllib.parse import urlsplit

        return self.create_database(template=urlsplit(url).path.lstrip("/"))

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            finally:
                shutil.rmtree(self.root, ignore_errors=True)
