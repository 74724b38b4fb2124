"""The PostgreSQL archive's schema, with a version and the migrations that reach it.

``marsad_schema`` holds one row per migration applied; :func:`migrate` applies the missing ones in
order, in one transaction, under an advisory lock (several processes opening a new
database at once migrate it once). The tables are SQLite's (:mod:`marsad.archive.schema`, version
8) with PostgreSQL types, so that the views, names and the store read both with the same SQL, and
one full-text table (``fts``, see :mod:`marsad.archive.pg_search`) instead of FTS5 parts. Text
compares by code point (``COLLATE "C"``), as SQLite compares it: orders and ties are the same on
both backends, whatever the database's locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import ArchiveError
from .connection import Connection

VERSION = 2

_V1 = """
CREATE TABLE articles (
    rowid BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    url TEXT, source TEXT, title TEXT, author TEXT, published TEXT, day TEXT, updated TEXT, lang TEXT,
    text TEXT NOT NULL DEFAULT '',
    content_hash TEXT, cluster TEXT, original TEXT, duplicate_of TEXT,
    record TEXT NOT NULL,
    topic TEXT
);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_cluster ON articles(cluster);
CREATE INDEX articles_topic ON articles(topic);
CREATE TABLE clusters (id TEXT PRIMARY KEY, size INTEGER NOT NULL, original TEXT);
CREATE TABLE files (path TEXT PRIMARY KEY, size BIGINT, mtime_ns BIGINT, articles INTEGER, done_at TEXT);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT, data BYTEA);
CREATE TABLE docs (docno BIGINT PRIMARY KEY, cluster TEXT NOT NULL, source TEXT, lang TEXT);
CREATE TABLE fts (
    docno BIGINT PRIMARY KEY,
    title_exact TSVECTOR NOT NULL, title_stem TSVECTOR NOT NULL, body_exact TSVECTOR NOT NULL,
    body_stem TSVECTOR NOT NULL, alt TSVECTOR NOT NULL, entities TSVECTOR NOT NULL, topic TSVECTOR NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX fts_title_exact ON fts USING gin (title_exact);
CREATE INDEX fts_title_stem ON fts USING gin (title_stem);
CREATE INDEX fts_body_exact ON fts USING gin (body_exact);
CREATE INDEX fts_body_stem ON fts USING gin (body_stem);
CREATE INDEX fts_alt ON fts USING gin (alt);
CREATE INDEX fts_entities ON fts USING gin (entities);
CREATE INDEX fts_topic ON fts USING gin (topic);
CREATE TABLE entities (article BIGINT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, mentions INTEGER NOT NULL);
CREATE INDEX entities_article ON entities(article);
CREATE INDEX entities_name ON entities(name);
CREATE TABLE days (day INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE source_days (
    source TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL, n INTEGER NOT NULL, flagged INTEGER NOT NULL,
    PRIMARY KEY (source, day, lang)
);
CREATE INDEX source_days_day ON source_days(day, source, n);
CREATE TABLE entity_days (
    name TEXT NOT NULL, label TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (name, label, day)
);
CREATE INDEX entity_days_day ON entity_days(day, label, name, n);
CREATE TABLE name_forms (
    form TEXT PRIMARY KEY, grp TEXT NOT NULL, label TEXT NOT NULL, n INTEGER NOT NULL, surfaces TEXT NOT NULL,
    key TEXT NOT NULL, stemmed INTEGER NOT NULL
);
CREATE INDEX name_forms_grp ON name_forms(grp, n);
CREATE INDEX name_forms_key ON name_forms(key);
CREATE TABLE name_edits (seq BIGSERIAL PRIMARY KEY, op TEXT NOT NULL, a TEXT NOT NULL, b TEXT, at TEXT NOT NULL);
CREATE TABLE entity_refs (
    name TEXT NOT NULL, label TEXT NOT NULL, ref TEXT, ref_label TEXT, name_key TEXT NOT NULL, ref_key TEXT,
    PRIMARY KEY (name, label)
);
CREATE INDEX entity_refs_ref ON entity_refs(ref);
CREATE INDEX entity_refs_name_key ON entity_refs(name_key);
CREATE INDEX entity_refs_ref_key ON entity_refs(ref_key);
CREATE FUNCTION docno(day TEXT, rowid BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ((CASE WHEN day IS NULL OR day = '' THEN 0 ELSE day::date - DATE '0001-01-01' + 1 END)::bigint << 32) | rowid $$;
CREATE SEQUENCE marsad_generation
"""

def _script(sql: str) -> list[str]:
    """The statements of a script, every TEXT column compared by code point (the function's
    parameter types stay plain)."""
    out = []
    for statement in sql.split(";\n"):
        statement = statement.strip()
        if not statement:
            continue
        if not statement.startswith("CREATE FUNCTION"):
            statement = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', statement)
        out.append(statement)
    return out


#: version 2: the words of the stems that names searched as written share with them (SQLite's version 9)
_V2 = """
CREATE TABLE name_stems (stem TEXT PRIMARY KEY, forms TEXT NOT NULL, names TEXT NOT NULL)
"""


def _fill_names(db: Connection) -> None:
    from .names import refresh

    db.execute("LOCK TABLE name_forms, name_stems, entity_refs, entity_days IN EXCLUSIVE MODE")  # as learn_names
    refresh(db)


MIGRATIONS: dict[int, tuple[str, Callable[[Connection], None] | None]] = {
    1: (_V1, None),
    2: (_V2, _fill_names),
}


def has_schema(db: Connection) -> bool:
    (found,) = db.execute("SELECT to_regclass('marsad_schema') IS NOT NULL").fetchone()
    return bool(found)


def current_version(db: Connection) -> int:
    if not has_schema(db):
        return 0
    (version,) = db.execute("SELECT coalesce(max(version), 0) FROM marsad_schema").fetchone()
    return int(version)


def migrate(db: Connection, shown: str, *, create: bool = True) -> None:
    """Create or upgrade the schema to :data:`VERSION`; with ``create`` false, a database without a
    marsad schema is an :class:`ArchiveError`."""
    current = current_version(db)
    if current == 0 and not create:
        raise ArchiveError(f"{shown}: no marsad archive in this database (run `marsad ingest --archive URL` first)")
    if current > VERSION:
        raise ArchiveError(f"{shown}: archive schema version {current} is newer than this marsad ({VERSION}): upgrade marsad")
    if current == VERSION:
        return
    db.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
    try:
        db.execute("SELECT pg_advisory_xact_lock(hashtext('marsad schema'))")  # one migrating process at a time
        db.execute("CREATE TABLE IF NOT EXISTS marsad_schema (version INTEGER PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())")
        (current,) = db.execute("SELECT coalesce(max(version), 0) FROM marsad_schema").fetchone()
        for version in range(current + 1, VERSION + 1):
            script, fill = MIGRATIONS[version]
            for statement in _script(script):
                db.execute(statement)
            if fill is not None and current > 0:
                fill(db)
            db.execute("INSERT INTO marsad_schema (version) VALUES (?)", (version,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
