"""The archive's SQLite schema, with a version and the migrations that reach it.

``PRAGMA user_version`` holds the version; :func:`migrate` brings an older archive up to date, one
step at a time, each in its own transaction.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import date

from ..errors import ArchiveError

log = logging.getLogger(__name__)

VERSION = 4

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


# Version 3 keys the full-text index by publication day (see :func:`docno`), so that date order and
# date ranges are rowid order and rowid ranges inside FTS5 and a search never ranks every match; adds
# columns for the entities and topic a search can filter on; and a narrow table of what a search
# groups and filters by, so it does not read the wide ``articles`` rows for every match.
_V3 = """
DROP TABLE fts;
CREATE VIRTUAL TABLE fts USING fts5(
    title_exact, title_stem, body_exact, body_stem, alt, entities, topic,
    content='', tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE docs (docno INTEGER PRIMARY KEY, cluster TEXT NOT NULL, source TEXT, lang TEXT);
CREATE TABLE entities (article INTEGER NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, mentions INTEGER NOT NULL);
CREATE INDEX entities_article ON entities(article);
CREATE INDEX entities_name ON entities(name);
ALTER TABLE articles ADD COLUMN topic TEXT
"""


def _fill_v3(db: sqlite3.Connection) -> None:
    import json

    from .store import entity_rows

    db.execute("INSERT INTO docs (docno, cluster, source, lang)"
               " SELECT docno(day, rowid), coalesce(cluster, id), source, lang FROM articles")
    rows = db.cursor().execute("SELECT rowid, record FROM articles")
    for rowid, record in rows:  # the full-text index is filled by version 4, which splits it by year
        fields = json.loads(record)
        db.executemany("INSERT INTO entities (article, name, label, mentions) VALUES (?,?,?,?)",
                       entity_rows(rowid, fields.get("entities") or []))
        if fields.get("topic"):
            db.execute("UPDATE articles SET topic = ? WHERE rowid = ?", (fields["topic"], rowid))


#: article rowids stay below 2**32; the day's ordinal takes the bits above
ROWID_BITS = 32
ROWID_MASK = (1 << ROWID_BITS) - 1


def docno(day: str | None, rowid: int) -> int:
    """The full-text rowid of an article: its publication day's ordinal above its own rowid, so
    that FTS5's rowid order is date order (undated articles sort oldest)."""
    ordinal = date.fromisoformat(day).toordinal() if day else 0
    return (ordinal << ROWID_BITS) | rowid


def day_range(date_from: date | None, date_to: date | None) -> tuple[int, int]:
    """The docno range of the articles published from ``date_from`` to ``date_to``, both included."""
    lo = (date_from.toordinal() << ROWID_BITS) if date_from else 0
    hi = ((date_to.toordinal() << ROWID_BITS) | ROWID_MASK) if date_to else (1 << 62)
    return lo, hi


def connect_functions(db: sqlite3.Connection) -> None:
    """SQL functions the schema's statements use."""
    db.create_function("docno", 2, docno, deterministic=True)


# Version 4 splits the full-text index by year of publication (see :func:`part_name`): FTS5 ranks
# with BM25, whose first step reads every article holding each query word (its document frequency),
# so a relevance search over a million articles paid for all of them before ranking the few thousand
# newest matches it looks at. A search now reads the newest year's index first and the older ones only
# while it needs more matches. ``days`` counts the articles of each publication day, from which a
# search estimates its total without counting every match.
_V4 = """
DROP TABLE fts;
CREATE TABLE days (day INTEGER PRIMARY KEY, n INTEGER NOT NULL)
"""


def _fill_v4(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO days (day, n) SELECT docno >> 32, count(*) FROM docs GROUP BY 1")
    _reindex(db)


def _reindex(db: sqlite3.Connection) -> None:
    import json

    from .store import index_article

    parts = Partitions()
    rows = db.cursor().execute("SELECT rowid, day, title, text, record FROM articles")
    for rowid, day, title, text, record in rows:  # streamed: not the whole archive in memory
        fields = json.loads(record)
        index_article(db, rowid, day, title, text, fields.get("entities") or [], fields.get("topic"), parts=parts,
                      full_text_only=True)
    for table in parts.known:  # one segment per table, as a long ingest leaves it (Archive.tidy)
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


FTS_COLUMNS = "title_exact, title_stem, body_exact, body_stem, alt, entities, topic"
_PART = re.compile(r"fts_(\d{4})")


def part_name(number: int) -> str:
    """The full-text table of docno ``number``: ``fts_YYYY`` for its year of publication,
    ``fts_0000`` for undated articles."""
    ordinal = number >> ROWID_BITS
    return f"fts_{date.fromordinal(ordinal).year:04d}" if ordinal else "fts_0000"


def part_range(name: str) -> tuple[int, int]:
    """The docno range a full-text table covers, both ends included."""
    year = int(name[4:])
    if year == 0:
        return 0, ROWID_MASK
    lo = date(year, 1, 1).toordinal() << ROWID_BITS
    return lo, (date(year, 12, 31).toordinal() << ROWID_BITS) | ROWID_MASK


def partitions(db: sqlite3.Connection, lo: int = 0, hi: int = 1 << 62) -> list[str]:
    """The full-text tables holding docnos in ``lo..hi``, newest first."""
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_[0-9][0-9][0-9][0-9]'")]
    found = [n for n in names if _PART.fullmatch(n) and part_range(n)[1] >= lo and part_range(n)[0] <= hi]
    return sorted(found, reverse=True)


class Partitions:
    """The full-text tables of one connection, created on first use."""

    def __init__(self) -> None:
        self.known: set[str] = set()

    def table(self, db: sqlite3.Connection, number: int) -> str:
        name = part_name(number)
        if name not in self.known:
            db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({FTS_COLUMNS},"
                       " content='', tokenize='unicode61 remove_diacritics 0')")
            self.known.add(name)
        return name


MIGRATIONS: dict[int, tuple[str, Callable[[sqlite3.Connection], None] | None]] = {
    1: (_V1, None),
    2: (_V2, None),  # its refill is left to version 3, which rebuilds the index again
    3: (_V3, _fill_v3),
    4: (_V4, _fill_v4),
}


def migrate(db: sqlite3.Connection) -> None:
    """Create or upgrade the schema to :data:`VERSION` (and register the SQL functions its
    statements, and the store's, use)."""
    connect_functions(db)
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
                (rows,) = db.execute("SELECT count(*) FROM articles").fetchone()
                log.warning("upgrading the archive to version %d: rebuilding its search index for %d articles"
                            " (about a minute per 50,000)", version, rows)
                fill(db)
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.execute("ROLLBACK")
            raise ArchiveError(f"cannot migrate the archive to version {version}: {exc}") from exc
