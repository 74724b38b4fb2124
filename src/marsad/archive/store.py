"""The archive: one SQLite file holding every article, its analysed words for search, its cluster.

Writes come in batches, one transaction each, so an interrupted ingest (Ctrl-C, kill -9) keeps every
batch already committed; running the same ingest again skips what is stored unchanged, updates what
changed (same canonical URL or id, new text or ``updated`` date) and adds the rest.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..article import Article, Entity
from ..errors import ArchiveError
from ..text.analysis import alternative, exact_field, stem, tokens
from ..text.urls import canonical_url
from . import schema
from . import names
from .names import entity_ref_rows
from .schema import ROWID_BITS, Partitions, docno, migrate
from . import views
from .connection import Connection
from .crawl_state import CrawlState
from .search import Results, _snapshot, search

if TYPE_CHECKING:  # dedup (numpy, the cleanup rules) loads only for a command that writes
    from ..steps.dedup import DedupIndex

log = logging.getLogger(__name__)

BATCH = 500
#: an ingest that wrote this many rows to a part of the full-text index merges its segments (see Archive.tidy)
OPTIMIZE_AFTER = 5_000


def article_key(article: Article) -> str:
    """What makes two records the same article: its canonical URL, else its id."""
    url = article.canonical_url or article.url
    return canonical_url(url) if url else f"id:{article.id}"


def row_values(article: Article, key: str) -> tuple[str | None, tuple[Any, ...]]:
    """An article's day and its ``articles`` row (id, key, url, source, title, author, published, day,
    updated, lang, text, content_hash, cluster, original, duplicate_of, topic, record)."""
    record = json.dumps({k: v for k, v in article.to_dict().items() if k != "text"}, ensure_ascii=False)
    day = (_iso(article.published) or "")[:10] or None
    return day, (
        article.id, key, article.url, article.source, article.title, article.author, _iso(article.published),
        day, _iso(article.updated), article.lang, article.text,
        article.content_hash, article.cluster, article.original, article.duplicate_of, article.topic, record,
    )


def _doc(article: Article) -> Doc:
    """What an article's ``docs`` row holds: its cluster, source, language, and whether it is flagged."""
    return (article.cluster or article.id, article.source, article.lang, bool(article.quality_flags))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


#: between two entity names in the ``entities`` column, so that a phrase cannot run across names
ENTITY_SEPARATOR = " xx "


EntityLike = Entity | dict[str, Any]


def _entity_pairs(entities: Iterable[EntityLike]) -> list[tuple[str, str]]:
    """(canonical name, label) of each mention, from Entity objects or their stored dicts."""
    pairs = []
    for e in entities:
        if isinstance(e, Entity):
            pairs.append((e.canonical or e.text, e.label))
        else:
            pairs.append((str(e.get("canonical") or e.get("text") or ""), str(e.get("label") or "")))
    return [(n, lab) for n, lab in pairs if n]


def entity_rows(rowid: int, entities: Iterable[EntityLike]) -> list[tuple[int, str, str, int]]:
    """One ``entities`` row per distinct (name, label) of an article, with its number of mentions."""
    counts = Counter(_entity_pairs(entities))
    return [(rowid, name, label, n) for (name, label), n in counts.items()]


def fts_values(title: str | None, text: str, entities: Iterable[EntityLike] = (),
               topic: str | None = None) -> tuple[str, str, str, str, str, str, str]:
    """The full-text columns of an article (each text analysed once: normalised words, their stems,
    second stems), as :func:`~marsad.text.analysis.exact_field`, ``stem_field`` and ``alt_field``
    would write them."""
    head, body = tokens(title or ""), tokens(text)
    names = dict.fromkeys(exact_field(n) for n, _ in _entity_pairs(entities))
    alts = [a for a in map(alternative, head + body) if a]
    return (" ".join(head), " ".join(map(stem, head)), " ".join(body), " ".join(map(stem, body)), " ".join(alts),
            ENTITY_SEPARATOR.join(n for n in names if n), topic or "")


def fts_row(title: str | None, text: str, record: str) -> tuple[str, str, str, str, str, str, str]:
    """:func:`fts_values` of a stored article (its ``record`` JSON holds entities and topic)."""
    fields = json.loads(record)
    return fts_values(title, text, fields.get("entities") or (), fields.get("topic"))


def index_article(db: sqlite3.Connection, rowid: int, day: str | None, title: str | None, text: str,
                  entities: Sequence[EntityLike], topic: str | None, *, parts: Partitions,
                  doc: Doc | None = None) -> int:
    """Write an article's search rows: its part of the full-text index and, given its ``doc``
    (cluster, source, language, quality flagged), its ``docs`` row, entities and its day's counts
    (without it, the full-text index alone: a re-index). Its docno."""
    number = docno(day, rowid)
    parts.insert(number, fts_values(title, text, entities, topic))
    if doc is not None:
        cluster, source, lang, flagged = doc
        db.execute("INSERT INTO docs (docno, cluster, source, lang) VALUES (?,?,?,?)", (number, cluster, source, lang))
        rows = entity_rows(rowid, entities)
        db.executemany("INSERT INTO entities (article, name, label, mentions) VALUES (?,?,?,?)", rows)
        ordinal = number >> ROWID_BITS
        db.execute("INSERT INTO days (day, n) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET n = n + 1", (ordinal,))
        db.execute("INSERT INTO source_days (source, day, lang, n, flagged) VALUES (?, ?, ?, 1, ?)"
                   " ON CONFLICT (source, day, lang) DO UPDATE SET n = n + 1, flagged = flagged + excluded.flagged",
                   (source or "", ordinal, lang or "", int(flagged)))
        db.executemany("INSERT INTO entity_days (name, label, day, n) VALUES (?, ?, ?, 1)"
                       " ON CONFLICT (name, label, day) DO UPDATE SET n = n + 1",
                       [(name, label, ordinal) for name, label in entity_ref_rows(db, ((n, lab) for _, n, lab, _ in rows))])
    return number


def unindex_article(db: sqlite3.Connection, rowid: int, day: str | None, title: str | None, text: str,
                    entities: Sequence[EntityLike], topic: str | None, *, parts: Partitions, flagged: bool = False) -> None:
    """Remove what :func:`index_article` wrote with a ``doc`` (the full-text index is contentless:
    FTS5 needs the values it indexed, recomputed from the stored article, to delete them)."""
    number = docno(day, rowid)
    ordinal = number >> ROWID_BITS
    parts.remove(number, fts_values(title, text, entities, topic))
    row = db.execute("SELECT source, lang FROM docs WHERE docno = ?", (number,)).fetchone()
    if row is not None:
        db.execute("UPDATE source_days SET n = n - 1, flagged = flagged - ? WHERE source = ? AND day = ? AND lang = ?",
                   (int(flagged), row[0] or "", ordinal, row[1] or ""))
    db.executemany("UPDATE entity_days SET n = n - 1 WHERE name = ? AND label = ? AND day = ?",
                   [(name, label, ordinal) for (name, label) in entity_ref_rows(db, db.execute(
                       "SELECT name, label FROM entities WHERE article = ?", (rowid,)).fetchall())])
    db.execute("DELETE FROM docs WHERE docno = ?", (number,))
    db.execute("DELETE FROM entities WHERE article = ?", (rowid,))
    db.execute("UPDATE days SET n = n - 1 WHERE day = ?", (ordinal,))


#: what the archive keeps of an article beside its words: cluster, source, language, quality flagged
Doc = tuple[str, "str | None", "str | None", bool]


def is_url(target: object) -> bool:
    """Whether an archive target names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(PG_SCHEMES)


PG_SCHEMES = ("postgresql://", "postgres://")


class Archive:
    """An archive: a SQLite file, or a PostgreSQL database given by its URL
    (``postgresql://user@host/db``, :class:`marsad.archive.pg.PgArchive`); ``Archive(target).search(...)``
    is the one query function, the same on both."""

    db: Connection

    def __new__(cls, target: str | os.PathLike[str], *, create: bool = True) -> Archive:
        if cls is Archive and is_url(target):
            from .pg import PgArchive

            return super().__new__(PgArchive)
        return super().__new__(cls)

    def __init__(self, target: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(target)
        if not create and not self.path.exists():
            raise ArchiveError(f"{self.path}: no archive here (run `marsad ingest` first)")
        try:
            self.sqlite = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.sqlite.execute("PRAGMA journal_mode=WAL")
            self.sqlite.execute("PRAGMA synchronous=NORMAL")
            self.sqlite.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise ArchiveError(f"{self.path}: cannot open the archive: {exc}") from exc
        self.db = self.sqlite
        migrate(self.sqlite)
        self.parts = Partitions(self.sqlite)
        self.written: Counter[str] = Counter()  # rows written to each full-text table since opened

    def for_reading(self, *, mmap_bytes: int = 0) -> None:
        """Make this connection a reader's (the web server's): it may not write, and it maps
        ``mmap_bytes`` of the file rather than copying pages into a cache of its own."""
        self.sqlite.execute("PRAGMA query_only = ON")
        if mmap_bytes:
            self.sqlite.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")

    def close(self) -> None:
        self.sqlite.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def write(self, articles: Iterable[Article]) -> dict[str, int]:
        """Store articles in batched transactions; counts of ``added``, ``updated``, ``unchanged``."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= BATCH:
                self._write_batch(batch, counts)
                batch = []
        if batch:
            self._write_batch(batch, counts)
        return counts

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction: committed with the full-text parts' counts, or rolled back
        (whatever the error) with the parts reloaded as they were. The parts are read again once
        the write lock is held: another process may have split one since."""
        db = self.sqlite
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise ArchiveError(f"{self.path}: cannot {what}: {exc} (another process writing to the archive?)") from exc
        try:
            self.parts.load()
            yield
            self.written.update(self.parts.flush())
            db.execute("COMMIT")
        except BaseException as exc:
            db.execute("ROLLBACK")
            self.parts.load()
            if isinstance(exc, sqlite3.Error):
                raise ArchiveError(f"{self.path}: cannot {what}: {exc}") from exc
            raise

    def _write_batch(self, batch: list[Article], counts: dict[str, int]) -> None:
        with self._transaction("write articles"):
            for article in batch:
                self._upsert(article, counts)
            names.note_words(self.db, (f"{a.title or ''}\n{a.text}" for a in batch))
        self._split_oversized()

    def _split_oversized(self) -> None:
        """Split each full-text part that outgrew :data:`~marsad.archive.schema.SPLIT_AT` articles
        (one transaction each: the older half of its articles is analysed and indexed again)."""
        for name in self.parts.oversized():
            log.info("%s: splitting the search index part %s in two (it passed %d articles)", self.path, name,
                     schema.SPLIT_AT)
            with self._transaction("split the search index"):
                self.parts.split(name)

    def _upsert(self, article: Article, counts: dict[str, int]) -> None:
        db = self.sqlite
        key = article_key(article)
        row = db.execute(
            "SELECT rowid, day, title, text, content_hash, updated, record FROM articles WHERE key = ? OR id = ?",
            (key, article.id),
        ).fetchone()
        day, values = row_values(article, key)
        if row is None:
            cur = db.execute(
                "INSERT INTO articles (id, key, url, source, title, author, published, day, updated, lang, text,"
                " content_hash, cluster, original, duplicate_of, topic, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                values,
            )
            rowid = cur.lastrowid
            assert rowid is not None
            counts["added"] += 1
        else:
            self._replace(db, row, article, values, day, counts)
            return
        self._index(rowid, day, article.title, article.text, article.entities, article.topic, doc=_doc(article))

    def _replace(self, db: Connection, row: Sequence[Any], article: Article, values: tuple[Any, ...], day: str | None,
                 counts: dict[str, int]) -> None:
        """Store ``article`` over the stored ``row`` (rowid, day, title, text, content_hash, updated,
        record) if its text, title or ``updated`` changed, and index it again; else count it unchanged."""
        rowid, old_day, old_title, old_text, old_hash, old_updated, old_record = row
        if old_hash == article.content_hash and old_updated == _iso(article.updated) and old_title == article.title:
            counts["unchanged"] += 1
            return
        old = json.loads(old_record)
        self._unindex(rowid, old_day, old_title, old_text, old.get("entities") or (), old.get("topic"),
                      flagged=bool(old.get("quality_flags")))
        db.execute(
            "UPDATE articles SET id=?, key=?, url=?, source=?, title=?, author=?, published=?, day=?, updated=?, lang=?,"
            " text=?, content_hash=?, cluster=?, original=?, duplicate_of=?, topic=?, record=? WHERE rowid=?",
            (*values, rowid),
        )
        counts["updated"] += 1
        self._index(rowid, day, article.title, article.text, article.entities, article.topic, doc=_doc(article))

    def _index(self, rowid: int, day: str | None, title: str | None, text: str, entities: Sequence[EntityLike],
               topic: str | None, *, doc: Doc | None = None) -> None:
        """:func:`index_article` in this archive (the PostgreSQL archive writes its own index)."""
        index_article(self.sqlite, rowid, day, title, text, entities, topic, parts=self.parts, doc=doc)

    def _unindex(self, rowid: int, day: str | None, title: str | None, text: str, entities: Sequence[EntityLike],
                 topic: str | None, *, flagged: bool = False) -> None:
        """:func:`unindex_article` in this archive."""
        unindex_article(self.sqlite, rowid, day, title, text, entities, topic, parts=self.parts, flagged=flagged)

    def tidy(self, *, after: int | None = None) -> list[str]:
        """Merge the index segments of each full-text table that took at least ``after`` rows since
        the archive was opened (:data:`OPTIMIZE_AFTER` by default) into one (FTS5 ``optimize``): a
        search then reads each word's list of articles in one piece rather than from every batch
        that wrote to it. The tables tidied."""
        after = OPTIMIZE_AFTER if after is None else after
        done = []
        for table, rows in sorted(self.written.items()):
            if rows >= after:
                try:
                    schema.optimize(self.sqlite, table)
                except sqlite3.Error as exc:
                    raise ArchiveError(f"{self.path}: cannot merge the search index part {table}: {exc}") from exc
                done.append(table)
                del self.written[table]
        return done

    # ------------------------------------------------------------------ names

    def learn_names(self) -> dict[str, int]:
        """Learn the archive's names and their spelling groups again, with each entity's referent and
        the entity counts by referent (:func:`marsad.archive.names.refresh`); run by every ingest and
        enrichment that changed the archive. Counts of names, groups and entities."""
        with self._transaction("learning names"):
            return names.refresh(self.db)

    def names_due(self, changed: int) -> bool:
        """Count ``changed`` articles (added, updated or enriched) since the names were last learned,
        and say whether to learn them again: always below :data:`~marsad.archive.names.LEARN_ALWAYS`
        articles, else once the articles changed since reach :data:`~marsad.archive.names.LEARN_GROWTH`
        of the archive at its last learning (a page posted to ``/api/ingest`` does not pay for learning
        a large archive's names again: its names are counted with the groups as they are until then)."""
        if changed <= 0:
            return False
        meta = dict(self.db.execute("SELECT name, value FROM meta WHERE name IN ('names_articles', 'names_pending')"))
        pending = int(meta.get("names_pending") or 0) + changed
        if "names_articles" not in meta or self.count() < names.LEARN_ALWAYS \
                or pending >= int(meta["names_articles"]) * names.LEARN_GROWTH:
            return True
        with self._transaction("counting changes"):
            self.db.execute("INSERT INTO meta (name, value) VALUES ('names_pending', ?)"
                            " ON CONFLICT (name) DO UPDATE SET value = excluded.value", (pending,))
        return False

    def names(self, query: str | None = None, *, limit: int = 50, everything: bool = False) -> list[dict[str, Any]]:
        """The name groups (spellings with their article counts), the most common first: those of
        more than one spelling, or with ``everything`` all; with ``query``, the groups of the names
        holding it."""
        return self._read(names.groups, query, limit=limit, everything=everything)  # type: ignore[no-any-return]

    def edit_names(self, op: str, a: str, b: str | None = None) -> dict[str, int]:
        """Record a merge of the groups of spellings ``a`` and ``b`` or the split of ``a`` out of its
        group (it persists and wins over what is learned), then learn again."""
        with self._transaction("editing names"):
            names.add_edit(self.db, op, a, b)
        return self.learn_names()

    # ------------------------------------------------------------------ enrichment after the fact

    def unenriched(self, *, everything: bool = False) -> list[str]:
        """Ids of the stored articles that enrichment has not run on (an Arabic or undetected body,
        no summary: stored by a marsad without enrichment, or by ``ingest --no-enrich``); with
        ``everything``, of every article enrichment applies to (to redo it with new models)."""
        ids = []
        for article_id, lang, record in self.db.execute(
            "SELECT id, lang, record FROM articles WHERE text != '' AND (lang IS NULL OR lang = 'ar') ORDER BY rowid"
        ):
            if everything or json.loads(record).get("summary") is None:
                ids.append(article_id)
        return ids

    def articles(self, ids: Iterable[str]) -> list[Article]:
        """Stored articles as :class:`Article` objects with what enrichment reads (id, title, body,
        dates, language and the enrichment they carry)."""
        out = []
        for article_id in ids:
            row = self.db.execute("SELECT record, text, lang FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is not None:
                article = _article_from_record({**json.loads(row[0]), "text": row[1]})
                article.lang = row[2]
                out.append(article)
        return out

    def set_enrichment(self, articles: Iterable[Article]) -> int:
        """Store the entities, topic, key phrases, quotations and summary of articles already in
        the archive (nothing else of theirs changes), re-indexing their search rows; one
        transaction. The number stored."""
        db = self.db
        done = 0
        with self._transaction("store enrichment"):
            for article in articles:
                row = db.execute(
                    "SELECT rowid, day, title, text, record, cluster, source, lang FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row is None:
                    continue
                rowid, day, title, text, record, cluster, source, lang = row
                fields = json.loads(record)
                flagged = bool(fields.get("quality_flags"))
                self._unindex(rowid, day, title, text, fields.get("entities") or (), fields.get("topic"), flagged=flagged)
                enriched = article.to_dict()
                for key in ("entities", "topic", "topic_score", "keyphrases", "quotes", "summary"):
                    fields[key] = enriched[key]
                db.execute("UPDATE articles SET record = ?, topic = ? WHERE rowid = ?",
                           (json.dumps(fields, ensure_ascii=False), article.topic, rowid))
                self._index(rowid, day, title, text, article.entities, article.topic,
                            doc=(cluster or article.id, source, lang, flagged))
                done += 1
        return done

    # ------------------------------------------------------------------ dedup state

    def load_dedup(self) -> DedupIndex:
        from ..steps.dedup import INDEX_VERSION, Deduplicator

        """The dedup index as of the last finished ingest, rebuilt from the articles if an ingest was
        interrupted since (its batches are stored; its index was not)."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'dedup'").fetchone()
        index = None
        rows_then = -1
        if row is not None:
            stored = pickle.loads(row[0])
            if len(stored) == 3 and stored[0] == INDEX_VERSION:
                _, index, rows_then = stored
        (count,) = self.db.execute("SELECT count(*) FROM articles").fetchone()
        # the index is current when the archive holds as many rows as when it was saved
        if index is not None and rows_then == count:
            return index
        dedup = Deduplicator()
        for (record, text) in self.db.execute("SELECT record, text FROM articles ORDER BY rowid"):
            dedup.add(_article_from_record({**json.loads(record), "text": text}))
        return dedup.index

    def save_dedup(self, index: DedupIndex, touched: Iterable[str]) -> None:
        from ..steps.dedup import INDEX_VERSION, Deduplicator

        """Store the index and the final cluster of every article it placed or moved."""
        db = self.db
        dedup = Deduplicator(index=index)
        with self._transaction("store clusters"):
            rows: list[tuple[str, str | None, str | None, str]] = []
            for article_id in touched:
                got = dedup.final(article_id)
                if got is not None:
                    rows.append((got[0], got[2], got[3], article_id))
            # articles of clusters merged into others take the surviving id
            for gone, parent in index.parent.items():
                rows.extend((index.find(parent), None, None, m) for (m,) in db.execute("SELECT id FROM articles WHERE cluster = ?", (gone,)))
            db.executemany("UPDATE articles SET cluster = ?, original = coalesce(?, original), duplicate_of = ? WHERE id = ?",
                           [(c, o, d, i) for c, o, d, i in rows])
            db.executemany("UPDATE docs SET cluster = ? WHERE docno = (SELECT docno(day, rowid) FROM articles WHERE id = ?)",
                           [(c or i, i) for c, _, _, i in rows])
            db.execute("DELETE FROM clusters")
            db.execute("INSERT INTO clusters (id, size, original) SELECT cluster, count(*), NULL FROM articles GROUP BY cluster")
            db.executemany("UPDATE clusters SET original = ? WHERE id = ?", [(c.original, c.id) for c in index.clusters.values()])
            (rows_now,) = db.execute("SELECT count(*) FROM articles").fetchone()
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('dedup', ?)",
                       (pickle.dumps((INDEX_VERSION, index, rows_now), protocol=pickle.HIGHEST_PROTOCOL),))

    # ------------------------------------------------------------------ files done

    def file_done(self, path: str) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return False
        row = self.db.execute("SELECT size, mtime_ns FROM files WHERE path = ?", (os.path.abspath(path),)).fetchone()
        return row is not None and tuple(row) == (st.st_size, st.st_mtime_ns)

    def mark_file(self, path: str, articles: int) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, articles, done_at) VALUES (?,?,?,?,datetime('now'))",
            (os.path.abspath(path), st.st_size, st.st_mtime_ns, articles),
        )

    # ------------------------------------------------------------------ reading

    def search(self, query: str, **options: Any) -> Results:
        """Search the archive: see :func:`marsad.archive.search.search` for the query syntax and options."""
        return search(self.db, query, **options)

    def get(self, article_id: str) -> dict[str, Any] | None:
        """One stored article with all its fields (as ``marsad process`` writes them)."""
        row = self.db.execute(
            "SELECT a.record, a.cluster, a.original, a.duplicate_of, c.size, a.text FROM articles a"
            " LEFT JOIN clusters c ON c.id = a.cluster WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        names.name_referents(self.db, record.get("entities") or [])
        # the body is stored once, in its column; the record holds everything else
        record.update(cluster=row[1], original=row[2], duplicate_of=row[3], cluster_size=row[4] or 1, text=row[5])
        return record

    def records(self, ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every stored article (or those of ``ids``), with final cluster fields, in archive order."""
        if ids is None:
            rows = self.db.execute("SELECT id FROM articles ORDER BY rowid")
            ids = [r[0] for r in rows]
        for article_id in ids:
            record = self.get(article_id)
            if record is not None:
                yield record

    def stats(self, *, top: int = 20) -> dict[str, Any]:
        """Counts by source, language, month and cluster size."""
        db = self.db
        total = self.count()

        def counts(sql: str) -> list[tuple[Any, int]]:
            return [tuple(r) for r in db.execute(sql)]  # type: ignore[misc]

        return {
            "articles": total,
            "sources": counts(f"SELECT coalesce(source, '-'), count(*) n FROM articles GROUP BY 1 ORDER BY n DESC, 1 LIMIT {int(top)}"),
            "languages": counts("SELECT coalesce(lang, '-'), count(*) n FROM articles GROUP BY 1 ORDER BY n DESC, 1"),
            "months": counts("SELECT coalesce(substr(day, 1, 7), '-'), count(*) FROM articles GROUP BY 1 ORDER BY 1"),
            "cluster_sizes": counts(
                "SELECT CASE WHEN size = 1 THEN '1' WHEN size = 2 THEN '2' WHEN size <= 5 THEN '3-5'"
                " WHEN size <= 10 THEN '6-10' ELSE '11+' END b, sum(size) FROM clusters GROUP BY b"
                " ORDER BY min(size)"
            ),
            "topics": counts("SELECT topic, count(*) n FROM articles WHERE topic IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1"),
            # entity_days holds each (name, label)'s articles per day: summed, the count of its
            # ``entities`` rows, read from a tenth of the rows without a table lookup per row
            "entities": [list(r) for r in db.execute(
                "SELECT name, label, sum(n) n FROM entity_days GROUP BY name, label HAVING sum(n) > 0 ORDER BY n DESC, name, label"
                f" LIMIT {int(top)}")],
        }


    # ------------------------------------------------------------------ what the observatory shows
    # (marsad.archive.views; each reads one snapshot of the archive)

    def _read(self, fn: Any, *args: Any, **options: Any) -> Any:
        with _snapshot(self.db):
            return fn(self.db, *args, **options)

    def count(self) -> int:
        """The number of articles stored."""
        (total,) = self.db.execute("SELECT count(*) FROM articles").fetchone()
        return int(total)

    def span(self) -> tuple[date, date] | None:
        """The first and the last publication days with articles."""
        return self._read(views.span)  # type: ignore[no-any-return]

    def latest_day(self) -> date | None:
        """The most recent publication day with articles."""
        return self._read(views.latest_day)  # type: ignore[no-any-return]

    def cluster(self, cluster_id: str) -> dict[str, Any] | None:
        """A story's copies, the original first, then by publication time; None if unknown."""
        return self._read(views.cluster, cluster_id)  # type: ignore[no-any-return]

    def top_stories(self, day: date | None = None, *, limit: int = 10) -> dict[str, Any]:
        """The stories of a day (default: the latest) carried by the most sources."""
        return self._read(views.top_stories, day, limit=limit)  # type: ignore[no-any-return]

    def trends(self, **options: Any) -> dict[str, Any]:
        """Articles per day, week or month matching a query: see :func:`marsad.archive.views.trends`."""
        return self._read(views.trends, **options)  # type: ignore[no-any-return]

    def top_entities(self, **options: Any) -> dict[str, Any]:
        """The most-named entities of a period with their change: :func:`marsad.archive.views.top_entities`."""
        return self._read(views.top_entities, **options)  # type: ignore[no-any-return]

    def entity(self, name: str) -> dict[str, Any] | None:
        """One entity's sources, companions and latest articles; None if no article names it."""
        return self._read(views.entity, name)  # type: ignore[no-any-return]

    def entity_trend(self, name: str, **options: Any) -> dict[str, Any]:
        """Articles naming an entity per period: :func:`marsad.archive.views.entity_trend`."""
        return self._read(views.entity_trend, name, **options)  # type: ignore[no-any-return]

    def entity_span(self, name: str) -> tuple[date, date] | None:
        return self._read(views.entity_span, name)  # type: ignore[no-any-return]

    def facets(self, query: str, **options: Any) -> dict[str, Any]:
        """A search's matches counted by source, language, topic and entity."""
        return self._read(views.facets, query, **options)  # type: ignore[no-any-return]

    def sources(self) -> list[dict[str, Any]]:
        """Each source's profile: articles, days, languages, share flagged by quality signals."""
        return self._read(views.sources)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ what the crawler follows

    @property
    def crawl_state(self) -> CrawlState:
        """The sources followed, their listings and the crawl's frontier (``marsad sources``, ``crawl``)."""
        return CrawlState(self.sqlite)

    def followed(self) -> list[dict[str, Any]]:
        """Each registered source with its last fetch, the articles it has given and its errors."""
        return self.crawl_state.source_report()


def _article_from_record(record: dict[str, Any]) -> Article:
    from ..steps.readers import parse_timestamp

    return Article(
        id=record["id"], raw="", url=record.get("url"), canonical_url=record.get("canonical_url"),
        title=record.get("title"), text=record.get("text") or "", published=parse_timestamp(record.get("published")),
    )
