"""The archive's SQLite schema, with a version and the migrations that reach it.

``PRAGMA user_version`` holds the version; :func:`migrate` brings an older archive up to date, one
step at a time, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ..errors import ArchiveError

VERSION = 2

# The full-text table is contentless: it holds only the analysed words (exact and stemmed, title and
# body, and the second stems of words whose first letter may be a clitic), which are recomputed from
# ``articles`` when a row has to be deleted.
_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    url TEXT,
    source TEXT,
    title TEXT,
    author TEXT,
    published TEXT,
    day TEXT,
    updated TEXT,
    lang TEXT,
    text TEXT NOT NULL DEFAULT '',
    content_hash TEXT,
    cluster TEXT,
    original TEXT,
    duplicate_of TEXT,
    record TEXT NOT NULL
);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_cluster ON articles(cluster);
CREATE TABLE clusters (id TEXT PRIMARY KEY, size INTEGER NOT NULL, original TEXT) WITHOUT ROWID;
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, articles INTEGER, done_at TEXT) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(
    title_exact, title_stem, body_exact, body_stem,
    content='', tokenize='unicode61 remove_diacritics 0'
);
"""

# Version 2 adds a column of second stems (بمصر is also indexed as مصر): the full-text table is
# rebuilt and filled again from the stored articles.
_V2 = """
DROP TABLE fts;
CREATE VIRTUAL TABLE fts USING fts5(
    title_exact, title_stem, body_exact, body_stem, alt,
    content='', tokenize='unicode61 remove_diacritics 0'
);
"""


def _refill_fts(db: sqlite3.Connection) -> None:
    from .store import fts_values

    rows = db.cursor().execute("SELECT rowid, title, text FROM articles")  # streamed: not the whole archive in memory
    db.executemany(
        "INSERT INTO fts (rowid, title_exact, title_stem, body_exact, body_stem, alt) VALUES (?,?,?,?,?,?)",
        ((rowid, *fts_values(title, text)) for rowid, title, text in rows),
    )


MIGRATIONS: dict[int, tuple[str, Callable[[sqlite3.Connection], None] | None]] = {
    1: (_V1, None),
    2: (_V2, _refill_fts),
}


def migrate(db: sqlite3.Connection) -> None:
    """Create or upgrade the schema to :data:`VERSION`."""
    (current,) = db.execute("PRAGMA user_version").fetchone()
    if current > VERSION:
        raise ArchiveError(f"archive schema version {current} is newer than this marsad ({VERSION}): upgrade marsad")
    for version in range(current + 1, VERSION + 1):
        script, fill = MIGRATIONS[version]
        try:
            db.execute("BEGIN IMMEDIATE")
            for statement in script.split(";"):
                if statement.strip():
                    db.execute(statement)
            if fill is not None and current > 0:  # a new archive has nothing to fill
                fill(db)
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.execute("ROLLBACK")
            raise ArchiveError(f"cannot migrate the archive to version {version}: {exc}") from exc
