"""The archive in PostgreSQL: ``Archive("postgresql://user@host/db")`` gives a :class:`PgArchive`,
with the same methods and the same answers as the SQLite file.

Connections come from one pool per database URL and process (psycopg 3 and psycopg_pool, imported
only here: ``pip install 'marsad[postgres]'``). An archive holds one connection while it is open,
as a SQLite archive holds its file. :class:`PgConnection` gives that connection sqlite3's calling
convention (``?`` parameters, ``execute`` returning a cursor), so that the views, the names and
the search read both backends with the same SQL; what differs lives here (writing, transactions,
the dedup state) and in :mod:`marsad.archive.pg_search` (the full-text index) and
:mod:`marsad.archive.pg_schema` (tables and migrations).

Many processes may write at once (Ray workers): each batch is one transaction; an article is
inserted with ``INSERT ... ON CONFLICT DO NOTHING`` and, when another writer stored its canonical
URL first, locked (``SELECT ... FOR UPDATE``) and compared, so it is added once and updated or
left unchanged as in SQLite. The per-day counts a batch changes are added up and written at its
end in key order (short row locks, taken in one order); a batch that still meets a deadlock or a
serialization failure is rolled back and written again. psycopg's errors become one-line
:class:`~marsad.errors.ArchiveError` s naming the database without its password.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import pickle
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..article import Article
from ..errors import ArchiveError
from . import names, pg_schema
from .names import entity_ref_rows, utc_now
from .pg_search import PG_INDEX
from .schema import ROWID_BITS, docno
from .store import Archive, Doc, EntityLike, _article_from_record, _doc, article_key, entity_rows, fts_values, row_values

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from ..steps.dedup import DedupIndex
    from .crawl_state import CrawlState

log = logging.getLogger(__name__)

INSTALL = "pip install 'marsad[postgres]'"
#: connections a process keeps open per database at most (a server's threads, a writer, the change watcher)
POOL_SIZE = int(os.environ.get("MARSAD_PG_POOL", "16"))
#: a batch written again at most this many times after a deadlock or a serialization failure
RETRIES = 8
_RETRY_STATES = ("40P01", "40001")  # deadlock_detected, serialization_failure


def shown(url: str) -> str:
    """The URL without its password (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def _psycopg() -> Any:
    try:
        import psycopg
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        raise ArchiveError(f"a PostgreSQL archive needs psycopg 3 and psycopg_pool: {INSTALL}") from exc
    return psycopg


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


class PgError(ArchiveError):
    """A PostgreSQL error, in one line; ``sqlstate`` says which (a batch is retried on 40P01 and 40001)."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


_pools: dict[tuple[str, int], ConnectionPool] = {}
_pools_lock = threading.Lock()


def pool(url: str) -> ConnectionPool:
    """This process's pool of connections to ``url`` (a forked child makes its own)."""
    key = (url, os.getpid())
    with _pools_lock:
        found = _pools.get(key)
        if found is not None:
            return found
        psycopg = _psycopg()
        from psycopg_pool import ConnectionPool

        try:  # a first connection of its own: a refused one says why, where the pool would only time out
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise ArchiveError(f"{shown(url)}: cannot connect: {_one_line(exc)}") from exc
        # none kept open while idle for a minute: a process that opens many databases (a test
        # session, a script over archives) does not hold a connection to each of them
        made = ConnectionPool(url, min_size=0, max_size=POOL_SIZE, max_idle=60, open=True, timeout=60, name=shown(url),
                              kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor})
        _pools[key] = made
        return made


@atexit.register
def _close_pools() -> None:
    with _pools_lock:
        for (_, pid), p in list(_pools.items()):
            if pid == os.getpid():
                p.close(timeout=1)
        _pools.clear()


@lru_cache(maxsize=4096)
def _to_pg(sql: str) -> str:
    """sqlite3's ``?`` parameters as psycopg's ``%s`` (a literal ``%`` doubled); quoted text left as it is."""
    out = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


def _values(parameters: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters as PostgreSQL takes them: its text cannot hold NUL, which SQLite stores; a NUL
    becomes U+FFFD (the replacement character), so that a page holding one is stored, and a filter
    holding one matches nothing, as in SQLite."""
    return tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v for v in parameters)


class PgConnection:
    """A pooled psycopg connection (autocommit: transactions are explicit, as with sqlite3's
    ``isolation_level=None``) with sqlite3's ``execute``; its errors are :class:`PgError` s.
    ``BEGIN`` (a read, see :func:`marsad.archive.search._snapshot`) opens a read-only snapshot."""

    text_index = PG_INDEX

    def __init__(self, conn: psycopg.Connection[Any], where: str) -> None:
        self.conn = conn
        self.where = where

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def error(self, exc: Exception) -> PgError:
        return PgError(f"{self.where}: {_one_line(exc)}", getattr(exc, "sqlstate", None))

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        if sql == "BEGIN":
            sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        psycopg = _psycopg()
        cur = self.conn.cursor()
        try:
            if parameters:
                cur.execute(_to_pg(sql), _values(parameters))
            else:  # no parameters: psycopg reads no placeholders, and a % is itself
                cur.execute(sql)
        except psycopg.Error as exc:
            raise self.error(exc) from exc
        return cur

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        rows = [_values(p) for p in parameters]
        cur = self.conn.cursor()
        if rows:
            try:
                cur.executemany(_to_pg(sql), rows)
            except _psycopg().Error as exc:
                raise self.error(exc) from exc
        return cur

    def stream(self, sql: str, parameters: Sequence[Any] = (), *, size: int = 2000) -> Iterator[Any]:
        """The rows of a query read in pieces by a server-side cursor (inside the caller's transaction)."""
        try:
            with self.conn.cursor(name=f"marsad_{id(self)}") as cur:
                cur.itersize = size
                cur.execute(_to_pg(sql), _values(parameters)) if parameters else cur.execute(sql)
                yield from cur
        except _psycopg().Error as exc:
            raise self.error(exc) from exc


class _Counts:
    """The per-day counts a batch changes (``days``, ``source_days``, ``entity_days``), added up
    and written at its end, in key order. SQLite adds a day's article with an upsert and takes it
    out with an UPDATE (nothing when the row is missing); the sum here gives the same rows."""

    TABLES = {
        "days": (("day",), ("n",)),
        "source_days": (("source", "day", "lang"), ("n", "flagged")),
        "entity_days": (("name", "label", "day"), ("n",)),
    }

    def __init__(self) -> None:
        self.ops: dict[str, dict[tuple[Any, ...], list[tuple[int, ...]]]] = defaultdict(lambda: defaultdict(list))

    def add(self, table: str, key: tuple[Any, ...], *delta: int) -> None:
        self.ops[table][key].append(delta)

    def write(self, db: PgConnection) -> None:
        for table in sorted(self.ops):
            keys, cols = self.TABLES[table]
            for key, deltas in sorted(self.ops[table].items()):
                total = [sum(d[i] for d in deltas) for i in range(len(cols))]
                first_add = next((i for i, d in enumerate(deltas) if d[0] > 0), None)
                match = " AND ".join(f"{k} = ?" for k in keys)
                if first_add is None:  # only removals: the row, if there is one
                    if any(total):
                        db.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = {c} + ?" for c in cols) + f" WHERE {match}",
                                   (*total, *key))
                    continue
                since = [sum(d[i] for d in deltas[first_add:]) for i in range(len(cols))]
                db.execute(f"INSERT INTO {table} ({', '.join(keys + cols)}) VALUES ({', '.join('?' * (len(keys) + len(cols)))})"
                           f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                           + ", ".join(f"{c} = {table}.{c} + ?" for c in cols), (*key, *since, *total))
        self.ops.clear()


class PgArchive(Archive):
    """An archive in a PostgreSQL database (see the module docstring); made by ``Archive(url)``."""

    def __init__(self, target: str | os.PathLike[str], *, create: bool = True) -> None:
        self.url = str(target)
        self.where = shown(self.url)
        self.pool = pool(self.url)
        try:
            conn = self.pool.getconn()
        except Exception as exc:  # noqa: BLE001 - the pool's timeout or a connection it could not make
            raise ArchiveError(f"{self.where}: cannot connect: {_one_line(exc)}") from exc
        self.pg = PgConnection(conn, self.where)
        self.db = self.pg
        try:
            pg_schema.migrate(self.pg, self.where, create=create)
        except BaseException:
            self.close()
            raise
        self.written: Counter[str] = Counter()
        self.counts = _Counts()

    def close(self) -> None:
        conn = getattr(self.pg, "conn", None)
        if conn is not None:
            self.pg.conn = None  # type: ignore[assignment]
            self.pool.putconn(conn)

    def for_reading(self, *, mmap_bytes: int = 0) -> None:
        """Nothing to do: every read of this archive is a read-only snapshot."""

    def generation(self) -> int:
        """A number that grows with every write committed to the archive, by any process (a web
        server keeps its answers until it changes)."""
        value, called = self.pg.execute("SELECT last_value, is_called FROM marsad_generation").fetchone()
        return int(value) if called else 0

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        db = self.pg
        db.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        try:
            yield
            self.counts.write(db)
            db.execute("COMMIT")
        except BaseException as exc:
            self.counts.ops.clear()
            try:
                db.execute("ROLLBACK")
            except ArchiveError:
                pass
            if isinstance(exc, PgError):
                raise PgError(f"{self.where}: cannot {what}: {str(exc).removeprefix(self.where + ': ')}", exc.sqlstate) from exc
            raise
        db.execute("SELECT nextval('marsad_generation')")  # after the commit: a reader never caches the old state as new

    def _write_batch(self, batch: list[Article], counts: dict[str, int]) -> None:
        for attempt in range(RETRIES + 1):
            done = {"added": 0, "updated": 0, "unchanged": 0}
            try:
                with self._transaction("write articles"):
                    for article in batch:
                        self._upsert(article, done)
                    names.note_words(self.db, (f"{a.title or ''}\n{a.text}" for a in batch))
            except PgError as exc:
                if exc.sqlstate in _RETRY_STATES and attempt < RETRIES:
                    log.info("%s; writing the batch again", exc)
                    continue
                raise
            for k, v in done.items():
                counts[k] += v
            return

    def _upsert(self, article: Article, counts: dict[str, int]) -> None:
        db = self.pg
        key = article_key(article)
        day, values = row_values(article, key)
        find = "SELECT rowid, day, title, text, content_hash, updated, record FROM articles WHERE key = ? OR id = ?"
        row = db.execute(find, (key, article.id)).fetchone()
        if row is None:
            got = db.execute(
                "INSERT INTO articles (id, key, url, source, title, author, published, day, updated, lang, text,"
                " content_hash, cluster, original, duplicate_of, topic, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT DO NOTHING RETURNING rowid", values).fetchone()
            if got is not None:
                counts["added"] += 1
                self._index(got[0], day, article.title, article.text, article.entities, article.topic,
                            doc=_doc(article))
                return
        # stored already, perhaps by another writer a moment ago: compare under its row lock
        row = db.execute(find + " ORDER BY rowid LIMIT 1 FOR UPDATE", (key, article.id)).fetchone()
        if row is None:
            raise PgError(f"{self.where}: article {article.id!r} conflicts with a row that is gone", "40001")
        self._replace(db, row, article, values, day, counts)

    def _index(self, rowid: int, day: str | None, title: str | None, text: str, entities: Sequence[EntityLike],
               topic: str | None, *, doc: Doc | None = None) -> None:
        """An article's search rows: its ``fts`` row and, given its ``doc``, its ``docs`` row,
        entities and its day's counts (as :func:`~marsad.archive.store.index_article`)."""
        db = self.pg
        number = docno(day, rowid)
        values = fts_values(title, text, entities, topic)
        db.execute("INSERT INTO fts (docno, title_exact, title_stem, body_exact, body_stem, alt, entities, topic, size)"
                   " VALUES (?" + ", to_tsvector('simple', ?)" * 7 + ", ?)",
                   (number, *values, sum(len(v.split()) for v in values)))
        if doc is None:
            return
        cluster, source, lang, flagged = doc
        db.execute("INSERT INTO docs (docno, cluster, source, lang) VALUES (?,?,?,?)", (number, cluster, source, lang))
        rows = entity_rows(rowid, entities)
        db.executemany("INSERT INTO entities (article, name, label, mentions) VALUES (?,?,?,?)", rows)
        ordinal = number >> ROWID_BITS
        self.counts.add("days", (ordinal,), 1)
        self.counts.add("source_days", (source or "", ordinal, lang or ""), 1, int(flagged))
        for name, label in entity_ref_rows(db, ((n, lab) for _, n, lab, _ in rows)):
            self.counts.add("entity_days", (name, label, ordinal), 1)

    def _unindex(self, rowid: int, day: str | None, title: str | None, text: str, entities: Sequence[EntityLike],
                 topic: str | None, *, flagged: bool = False) -> None:
        db = self.pg
        number = docno(day, rowid)
        ordinal = number >> ROWID_BITS
        db.execute("DELETE FROM fts WHERE docno = ?", (number,))
        row = db.execute("SELECT source, lang FROM docs WHERE docno = ?", (number,)).fetchone()
        if row is not None:
            self.counts.add("source_days", (row[0] or "", ordinal, row[1] or ""), -1, -int(flagged))
        for name, label in entity_ref_rows(db, db.execute("SELECT name, label FROM entities WHERE article = ?",
                                                          (rowid,)).fetchall()):
            self.counts.add("entity_days", (name, label, ordinal), -1)
        db.execute("DELETE FROM docs WHERE docno = ?", (number,))
        db.execute("DELETE FROM entities WHERE article = ?", (rowid,))
        self.counts.add("days", (ordinal,), -1)

    def tidy(self, *, after: int | None = None) -> list[str]:
        """After an ingest: merge the entries the GIN indexes hold aside (their pending lists, read by
        every search until merged) and refresh the planner's statistics of the search tables."""
        names = [name for (name,) in self.pg.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'fts' AND indexdef LIKE '%USING gin%'").fetchall()]
        for name in names:
            self.pg.execute("SELECT gin_clean_pending_list(?::regclass)", (name,))
        self.pg.execute("ANALYZE fts, docs, articles")
        return []

    def learn_names(self) -> dict[str, int]:
        """:meth:`Archive.learn_names`, with the name tables locked against writers meanwhile (they
        count entities by the referents being replaced)."""
        with self._transaction("learning names"):
            self.pg.execute("LOCK TABLE name_forms, name_stems, entity_refs, entity_days IN EXCLUSIVE MODE")
            return names.refresh(self.pg)

    # ------------------------------------------------------------------ dedup state and files

    def load_dedup(self) -> DedupIndex:
        from ..steps.dedup import INDEX_VERSION, Deduplicator

        row = self.pg.execute("SELECT data FROM meta WHERE name = 'dedup'").fetchone()
        index = None
        rows_then = -1
        if row is not None and row[0] is not None:
            stored = pickle.loads(bytes(row[0]))
            if len(stored) == 3 and stored[0] == INDEX_VERSION:
                _, index, rows_then = stored
        if index is not None and rows_then == self.count():
            return index
        dedup = Deduplicator()
        self.pg.execute("BEGIN")
        try:
            for record, text in self.pg.stream("SELECT record, text FROM articles ORDER BY rowid"):
                dedup.add(_article_from_record({**json.loads(record), "text": text}))
        finally:
            self.pg.execute("COMMIT")
        return dedup.index

    def save_dedup(self, index: DedupIndex, touched: Iterable[str]) -> None:
        from ..steps.dedup import INDEX_VERSION, Deduplicator

        db = self.pg
        dedup = Deduplicator(index=index)
        with self._transaction("store clusters"):
            db.execute("SELECT pg_advisory_xact_lock(hashtext('marsad clusters'))")  # one rebuild of clusters at a time
            rows: list[tuple[str, str | None, str | None, str]] = []
            for article_id in touched:
                got = dedup.final(article_id)
                if got is not None:
                    rows.append((got[0], got[2], got[3], article_id))
            for gone, parent in index.parent.items():
                rows.extend((index.find(parent), None, None, m)
                            for (m,) in db.execute("SELECT id FROM articles WHERE cluster = ?", (gone,)).fetchall())
            db.executemany("UPDATE articles SET cluster = ?, original = coalesce(?, original), duplicate_of = ? WHERE id = ?",
                           [(c, o, d, i) for c, o, d, i in rows])
            db.executemany("UPDATE docs SET cluster = ? WHERE docno = (SELECT docno(day, rowid) FROM articles WHERE id = ?)",
                           [(c or i, i) for c, _, _, i in rows])
            db.execute("DELETE FROM clusters")
            db.execute("INSERT INTO clusters (id, size, original) SELECT cluster, count(*), NULL FROM articles GROUP BY cluster")
            db.executemany("UPDATE clusters SET original = ? WHERE id = ?", [(c.original, c.id) for c in index.clusters.values()])
            (rows_now,) = db.execute("SELECT count(*) FROM articles").fetchone()
            db.execute("INSERT INTO meta (name, data) VALUES ('dedup', ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
                       (pickle.dumps((INDEX_VERSION, index, rows_now), protocol=pickle.HIGHEST_PROTOCOL),))

    def mark_file(self, path: str, articles: int) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self.pg.execute(
            "INSERT INTO files (path, size, mtime_ns, articles, done_at) VALUES (?,?,?,?,?) ON CONFLICT (path) DO UPDATE"
            " SET size = excluded.size, mtime_ns = excluded.mtime_ns, articles = excluded.articles, done_at = excluded.done_at",
            (os.path.abspath(path), st.st_size, st.st_mtime_ns, articles, utc_now()))

    # ------------------------------------------------------------------ not here yet

    @property
    def crawl_state(self) -> CrawlState:
        raise ArchiveError(f"{self.where}: following sources (marsad sources, crawl, watch) needs a SQLite archive for now")

    def articles(self, ids: Iterable[str]) -> list[Article]:
        out = []
        wanted = list(ids)
        found = {i: (r, t, lg) for i, r, t, lg in self.pg.execute(
            "SELECT id, record, text, lang FROM articles WHERE id = ANY(?)", (wanted,)).fetchall()}
        for article_id in wanted:
            if article_id in found:
                record, text, lang = found[article_id]
                article = _article_from_record({**json.loads(record), "text": text})
                article.lang = lang
                out.append(article)
        return out
