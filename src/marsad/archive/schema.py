"""The archive's SQLite schema, with a version and the migrations that reach it.

``PRAGMA user_version`` holds the version; :func:`migrate` brings an older archive up to date, one
step at a time, each in its own transaction.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date

from ..errors import ArchiveError
from .connection import Connection

log = logging.getLogger(__name__)

VERSION = 10

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
    for rowid, record in rows:  # the full-text index is filled by version 4, which splits it in parts
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


# Version 4 splits the full-text index into parts by publication date (see :class:`Partitions`):
# FTS5 ranks with BM25, whose first step reads every article holding each query word (its document
# frequency), so a relevance search over a million articles paid for all of them before ranking the
# few thousand newest matches it looks at. A search now reads the newest part first and older ones
# only while it needs more matches. ``days`` counts the articles of each publication day, from
# which a search extrapolates its total when it stops counting.
FTS_COLUMNS = "title_exact, title_stem, body_exact, body_stem, alt, entities, topic"
_FTS_OPTIONS = "content='', tokenize='unicode61 remove_diacritics 0'"
_V4 = f"""
DROP TABLE fts;
CREATE TABLE days (day INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE parts (name TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts_1 USING fts5({FTS_COLUMNS}, {_FTS_OPTIONS});
INSERT INTO parts VALUES ('fts_1', 0, {1 << 62}, 0)
"""

#: a full-text part that grows past this many articles is split in two at its median date
SPLIT_AT = 200_000
#: the largest part a re-index fills (it cuts the archive into equal parts no larger): between the
#: half of SPLIT_AT a split leaves and SPLIT_AT, room to grow before the next split
FILL_SIZE = 3 * SPLIT_AT // 4
MAX_DOCNO = 1 << 62
_PART = re.compile(r"fts_[0-9]+")


def create_part(db: sqlite3.Connection, name: str) -> None:
    if not _PART.fullmatch(name):
        raise ArchiveError(f"not a full-text part name: {name!r}")
    db.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({FTS_COLUMNS}, {_FTS_OPTIONS})")


def insert_row(db: sqlite3.Connection, table: str, number: int, values: Sequence[str]) -> None:
    """Index one article's full-text values (:func:`~marsad.archive.store.fts_values`) in a part."""
    db.execute(f"INSERT INTO {table} (rowid, {FTS_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", (number, *values))


def delete_row(db: sqlite3.Connection, table: str, number: int, values: Sequence[str]) -> None:
    """Take one article out of a part (contentless: FTS5 needs the values it indexed)."""
    db.execute(f"INSERT INTO {table} ({table}, rowid, {FTS_COLUMNS}) VALUES ('delete',?,?,?,?,?,?,?,?)", (number, *values))


def optimize(db: sqlite3.Connection, table: str) -> None:
    """Merge a part's index segments into one (FTS5 ``optimize``)."""
    db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def _fill_v4(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO days (day, n) SELECT docno >> 32, count(*) FROM docs GROUP BY 1")
    numbers = [n for (n,) in db.execute("SELECT docno FROM docs ORDER BY docno")]
    # parts of equal size, at most FILL_SIZE articles each, by date, before any article goes in
    k = -(-len(numbers) // FILL_SIZE)
    cuts = [numbers[len(numbers) * i // k] for i in range(1, k)]
    if cuts:
        bounds = [0, *cuts, MAX_DOCNO + 1]
        db.execute("DELETE FROM parts")
        db.execute("DROP TABLE fts_1")
        for i, (lo, nxt) in enumerate(zip(bounds, bounds[1:]), start=1):
            create_part(db, f"fts_{i}")
            db.execute("INSERT INTO parts VALUES (?, ?, ?, 0)", (f"fts_{i}", lo, nxt - 1))
    _reindex(db)


def _reindex(db: sqlite3.Connection) -> None:
    import json

    from .store import index_article

    parts = Partitions(db)
    rows = db.cursor().execute("SELECT rowid, day, title, text, record FROM articles")
    for rowid, day, title, text, record in rows:  # streamed: not the whole archive in memory
        fields = json.loads(record)
        index_article(db, rowid, day, title, text, fields.get("entities") or [], fields.get("topic"), parts=parts)
    parts.flush()
    for name in parts.names():  # one segment per part, as a long ingest leaves it (Archive.tidy)
        optimize(db, name)


class Partitions:
    """The full-text parts of an archive: FTS5 tables ``fts_1``, ``fts_2`` ..., each holding the
    articles of one range of docnos (so of publication dates; undated articles sort first), the
    ranges covering every docno without overlap, as the ``parts`` table records them.

    An archive starts with one part; a part that grows past :data:`SPLIT_AT` articles is split
    at its median date (:meth:`split`), so that every part of a large archive holds between half
    of that and all of it: BM25's statistics stay those of a large sample, and a search reads
    only the newest parts it needs. One object per connection; :meth:`load` again after a rollback.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.load()

    def load(self) -> None:
        self.ranges = sorted((lo, hi, name) for name, lo, hi in self.db.execute("SELECT name, lo, hi FROM parts"))
        self.los = [lo for lo, _, _ in self.ranges]
        self.added: dict[str, int] = {}  # articles added (or removed) per part, not yet in ``parts``
        self.inserted: dict[str, int] = {}  # rows inserted per part since the last flush

    def names(self) -> list[str]:
        return [name for _, _, name in self.ranges]

    def table(self, number: int) -> str:
        """The part holding docno ``number``."""
        lo, hi, name = self.ranges[bisect_right(self.los, number) - 1]
        if not lo <= number <= hi:
            raise ArchiveError(f"the archive's full-text parts do not cover docno {number}")
        return name

    def insert(self, number: int, values: Sequence[str]) -> None:
        """Index an article's full-text values in the part holding its docno, and count it."""
        name = self.table(number)
        insert_row(self.db, name, number, values)
        self.added[name] = self.added.get(name, 0) + 1
        self.inserted[name] = self.inserted.get(name, 0) + 1

    def remove(self, number: int, values: Sequence[str]) -> None:
        """Take an article out of the part holding its docno, and count it."""
        name = self.table(number)
        delete_row(self.db, name, number, values)
        self.added[name] = self.added.get(name, 0) - 1

    def flush(self) -> dict[str, int]:
        """Write the articles counted since the last flush to ``parts`` (inside the caller's
        transaction); the rows inserted into each part since then."""
        self.db.executemany("UPDATE parts SET n = n + ? WHERE name = ?", [(n, name) for name, n in self.added.items() if n])
        inserted, self.added, self.inserted = self.inserted, {}, {}
        return inserted

    def oversized(self) -> list[str]:
        return [name for (name,) in self.db.execute("SELECT name FROM parts WHERE n > ?", (SPLIT_AT,))]

    def split(self, name: str) -> str:
        """Move the older half of part ``name`` into a new part (inside the caller's transaction;
        the moved articles are analysed again, as FTS5 needs a contentless row's words to delete
        it). The new part's name."""
        from .store import fts_row

        lo, hi = self.db.execute("SELECT lo, hi FROM parts WHERE name = ?", (name,)).fetchone()
        (held,) = self.db.execute("SELECT count(*) FROM docs WHERE docno BETWEEN ? AND ?", (lo, hi)).fetchone()
        if held < 2:  # nothing to split (its count had drifted): put the count right
            self.db.execute("UPDATE parts SET n = ? WHERE name = ?", (held, name))
            return name
        (middle,) = self.db.execute("SELECT docno FROM docs WHERE docno BETWEEN ? AND ? ORDER BY docno LIMIT 1 OFFSET ?",
                                    (lo, hi, held // 2)).fetchone()
        (last,) = self.db.execute("SELECT max(CAST(substr(name, 5) AS INTEGER)) FROM parts").fetchone()
        new = f"fts_{last + 1}"
        create_part(self.db, new)
        moved = 0
        rows = self.db.cursor().execute(
            "SELECT d.docno, a.title, a.text, a.record FROM docs d JOIN articles a ON a.rowid = d.docno & ?"
            " WHERE d.docno BETWEEN ? AND ?", (ROWID_MASK, lo, middle - 1))
        for number, title, text, record in rows:
            values = fts_row(title, text, record)
            insert_row(self.db, new, number, values)
            delete_row(self.db, name, number, values)
            moved += 1
        self.db.execute("UPDATE parts SET lo = ?, n = ? WHERE name = ?", (middle, held - moved, name))
        self.db.execute("INSERT INTO parts VALUES (?, ?, ?, ?)", (new, lo, middle - 1, moved))
        for table in (new, name):
            optimize(self.db, table)
        self.load()
        return new


def partitions(db: Connection, lo: int = 0, hi: int = MAX_DOCNO) -> list[tuple[str, int, int]]:
    """The full-text parts holding docnos in ``lo..hi``, newest first: (name, first docno, last docno)."""
    return [tuple(r) for r in db.execute(  # type: ignore[misc]
        "SELECT name, lo, hi FROM parts WHERE hi >= ? AND lo <= ? ORDER BY lo DESC", (lo, hi))]


# Version 5 keeps per-day counts for what the observatory charts: articles per source (with their
# language and how many quality flagged) and articles naming each entity, so that trends, rising
# entities and source profiles read a few rows per day instead of every article. Days are ordinals
# (0: undated), as in ``days``.
_V5 = """
CREATE TABLE source_days (
    source TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL, n INTEGER NOT NULL, flagged INTEGER NOT NULL,
    PRIMARY KEY (source, day, lang)
) WITHOUT ROWID;
CREATE INDEX source_days_day ON source_days(day, source, n);
CREATE TABLE entity_days (
    name TEXT NOT NULL, label TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (name, label, day)
) WITHOUT ROWID;
CREATE INDEX entity_days_day ON entity_days(day, label, name, n)
"""


def _fill_v5(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO source_days (source, day, lang, n, flagged)"
        " SELECT coalesce(source, ''), docno(day, rowid) >> 32, coalesce(lang, ''), count(*),"
        " sum(coalesce(json_array_length(record, '$.quality_flags'), 0) > 0) FROM articles GROUP BY 1, 2, 3")
    db.execute(
        "INSERT INTO entity_days (name, label, day, n)"
        " SELECT e.name, e.label, docno(a.day, a.rowid) >> 32, count(*) FROM entities e"
        " JOIN articles a ON a.rowid = e.article GROUP BY 1, 2, 3")


# Version 6 indexes the topic, so that counts by topic (``marsad stats``, ``/api/stats``) read the
# index and not every article's row.
_V6 = """
CREATE INDEX articles_topic ON articles(topic)
"""

# Version 7 holds the archive's name lexicon (see :mod:`marsad.archive.names`): every name with its
# spelling group and written forms, the edits a user made to the groups, and each tagged entity's
# referent; ``entity_days`` then counts referents (ترامب, ترمب and دونالد ترامب are one), refilled here.
_V7 = """
CREATE TABLE name_forms (
    form TEXT PRIMARY KEY, grp TEXT NOT NULL, label TEXT NOT NULL, n INTEGER NOT NULL, surfaces TEXT NOT NULL,
    key TEXT NOT NULL, stemmed INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX name_forms_grp ON name_forms(grp, n);
CREATE INDEX name_forms_key ON name_forms(key);
CREATE TABLE name_edits (seq INTEGER PRIMARY KEY, op TEXT NOT NULL, a TEXT NOT NULL, b TEXT, at TEXT NOT NULL);
CREATE TABLE entity_refs (
    name TEXT NOT NULL, label TEXT NOT NULL, ref TEXT, ref_label TEXT, name_key TEXT NOT NULL, ref_key TEXT,
    PRIMARY KEY (name, label)
) WITHOUT ROWID;
CREATE INDEX entity_refs_ref ON entity_refs(ref);
CREATE INDEX entity_refs_name_key ON entity_refs(name_key);
CREATE INDEX entity_refs_ref_key ON entity_refs(ref_key)
"""


def _fill_names(db: sqlite3.Connection) -> None:
    """Learn the names (version 7's tables and version 9's), once, when the last of them is made."""
    from .names import refresh

    refresh(db)


# Version 8 holds what the crawler follows and where it stands (see :mod:`marsad.archive.crawl_state`):
# the sources a user registered (or seeds given to one crawl, ``kept`` 0), each source's listings (feeds,
# sitemaps, seed pages) with the validators of conditional requests, the frontier of article URLs, and
# the errors met, per source. A sitemap an index lists has the index as ``parent``; ``ok`` is the time a
# listing was last read whole (200 or 304), ``fetched`` the last time it was asked for. ``robots`` keeps
# each origin's robots.txt for a day, so that a watch does not ask for it every round.
_V8 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
    kept INTEGER NOT NULL DEFAULT 1, added TEXT NOT NULL, last_fetch TEXT, last_new TEXT,
    interval REAL, next_due TEXT
);
CREATE TABLE listings (
    url TEXT PRIMARY KEY, source INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, kind TEXT NOT NULL,
    parent TEXT, etag TEXT, last_modified TEXT, fetched TEXT, ok TEXT, status INTEGER, entries INTEGER, error TEXT
) WITHOUT ROWID;
CREATE INDEX listings_source ON listings(source);
CREATE INDEX listings_parent ON listings(parent);
CREATE TABLE frontier (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, source INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    host TEXT NOT NULL, hint TEXT, updated TEXT, state TEXT NOT NULL, tries INTEGER NOT NULL DEFAULT 0,
    found TEXT NOT NULL, fetched TEXT, status INTEGER, reason TEXT
) WITHOUT ROWID;
CREATE INDEX frontier_queue ON frontier(state, host, hint);
CREATE INDEX frontier_source ON frontier(source, found);
CREATE TABLE crawl_errors (
    id INTEGER PRIMARY KEY, source INTEGER REFERENCES sources(id) ON DELETE CASCADE, at TEXT NOT NULL,
    url TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX crawl_errors_source ON crawl_errors(source, at);
CREATE TABLE robots (origin TEXT PRIMARY KEY, body TEXT NOT NULL, fetched TEXT NOT NULL) WITHOUT ROWID
"""

# Version 9 holds, for each stem that a name searched as written shares with words (بوتين → تين,
# الكاميرون → امير), the archive's words of that stem that are not such names: a word typed matches by
# its stem only in articles holding one of them, so التين finds figs, not Putin (see
# :func:`marsad.archive.names.word_forms`). Filled by learning the names.
_V9 = """
CREATE TABLE name_stems (stem TEXT PRIMARY KEY, forms TEXT NOT NULL, names TEXT NOT NULL) WITHOUT ROWID
"""


# Version 10 makes ``meta`` a rowid table. As a WITHOUT ROWID table it keeps each row whole in its
# B-tree, and a lookup compares the key with the rows it passes: the saved dedup index (38 MB on ANT,
# growing with the archive) was read whole for every small value (50 ms a read on ANT; every ingest
# asks whether its names are due). A rowid table keeps the names in an index of their own.
_V10 = """
CREATE TABLE meta_v10 (name TEXT PRIMARY KEY, value BLOB);
INSERT INTO meta_v10 (name, value) SELECT name, value FROM meta;
DROP TABLE meta;
ALTER TABLE meta_v10 RENAME TO meta
"""


MIGRATIONS: dict[int, tuple[str, Callable[[sqlite3.Connection], None] | None]] = {
    1: (_V1, None),
    2: (_V2, None),  # its refill is left to version 3, which rebuilds the index again
    3: (_V3, _fill_v3),
    4: (_V4, _fill_v4),
    5: (_V5, _fill_v5),
    6: (_V6, None),
    7: (_V7, None),  # filled with version 9's table, which the learning writes too
    8: (_V8, None),
    9: (_V9, _fill_names),
    10: (_V10, None),
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
                log.warning("upgrading the archive to version %d: %s for %d articles (about a minute per 50,000)",
                            version, "learning its names" if fill is _fill_names else "rebuilding its search index", rows)
                fill(db)
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.execute("ROLLBACK")
            raise ArchiveError(f"cannot migrate the archive to version {version}: {exc}") from exc
