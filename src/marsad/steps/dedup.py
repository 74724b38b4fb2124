"""Exact and near duplicates: re-crawls, verbatim copies and syndicated stories, grouped in clusters.

Three keys, checked in order: the canonical URL (a re-crawl), the hash of the normalised body (a
verbatim copy), and MinHash LSH over 5-word shingles (a near copy: a wire story republished with
another headline, a dateline prefix, a trimmed last paragraph or the site's own lines).

Why 20 bands × 5 rows rather than datatrove's 14 × 8: Arabic wire copies typically gain a dateline
and agency prefix, lose their last paragraph and pick up a site's boilerplate, which brings their
5-shingle Jaccard similarity down to 0.6–0.8; 14 × 8 makes such a pair a candidate with probability
0.37–0.92, 20 × 5 with 0.80–0.998. Candidates are then checked on the whole signature (estimated
Jaccard ≥ ``threshold``, 0.5), which keeps different stories on the same event apart (they share
few 5-word shingles: typically under 0.2).

Clusters are assigned as articles stream by; an article's ``cluster_size`` and ``original`` are final
only once the run has ended (:meth:`Deduplicator.final`), which writers use to patch what they wrote.
The index persists across runs (:class:`DedupIndex` with a path), so a new batch is compared with
everything processed before it.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

from ..article import Article
from ..errors import ConfigError
from ..pipeline import BatchStep, Map
from ..text.minhash import MinHashConfig, MinHasher, content_hash, similarity
from ..text.urls import canonical_url

INDEX_VERSION = 1


@dataclass(slots=True)
class Cluster:
    id: str
    created: int = 0
    size: int = 0
    original: str = ""
    #: (published, -length, order) of the original: the earliest, then the longest, then the first
    rank: tuple[str, int, int] = ("", 0, 0)
    #: the reason the cluster's first member is a copy, once another joins it
    link: str | None = None


@dataclass(slots=True)
class DedupIndex:
    """Everything dedup remembers: keys to clusters, one signature per cluster, cluster summaries."""

    config: MinHashConfig = field(default_factory=MinHashConfig)
    urls: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    bands: dict[bytes, str] = field(default_factory=dict)
    signatures: dict[str, np.ndarray] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)  # merged clusters: union-find
    members: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # article -> (cluster, reason)
    order: int = 0

    @classmethod
    def load(cls, path: str | Path) -> DedupIndex:
        path = Path(path)
        if not path.exists():
            return cls()
        try:
            with open(path, "rb") as fh:
                version, index = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise ConfigError(f"{path}: not a marsad dedup index ({exc})") from exc
        if version != INDEX_VERSION or not isinstance(index, cls):
            raise ConfigError(f"{path}: dedup index of another version ({version}); remove it to start again")
        return index

    def save(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((INDEX_VERSION, self), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)  # a crash mid-write leaves the previous index whole

    def find(self, cluster: str) -> str:
        root = cluster
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(cluster, cluster) != root:  # path compression
            self.parent[cluster], cluster = root, self.parent[cluster]
        return root


def _rank(article: Article, order: int) -> tuple[str, int, int]:
    published = article.published
    if isinstance(published, datetime):
        key = (published if published.tzinfo else published.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
    elif isinstance(published, date):
        key = published.isoformat()
    else:
        key = "9999"  # undated: after every dated copy
    return (key, -len(article.text), order)


@dataclass(slots=True)
class DedupKey:
    """One article as dedup sees it: its id, canonical URL, body hash, MinHash signature and band
    keys (none for a body too short to compare), and its rank's (published, -length)."""

    id: str
    url_key: str | None
    content_hash: str | None
    signature: np.ndarray | None
    bands: list[bytes]
    rank: tuple[str, int]


class Deduplicator(BatchStep):
    """Sets ``content_hash``, ``cluster``, ``duplicate_of`` (and provisional ``cluster_size``,
    ``original``) on every article; drops nothing."""

    name = "dedup"

    def __init__(
        self,
        *,
        index: DedupIndex | None = None,
        threshold: float = 0.5,
        min_words: int = 20,
        batch_size: int = 1000,
    ) -> None:
        super().__init__()
        self.index = index if index is not None else DedupIndex()
        self.threshold = threshold
        self.min_words = min_words
        self.batch_size = batch_size
        self._hasher: MinHasher | None = None

    @property
    def hasher(self) -> MinHasher:
        if self._hasher is None:  # lazily: steps must pickle light
            self._hasher = MinHasher(self.index.config)
        return self._hasher

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_hasher"] = None
        return state

    def process_batch(self, batch: list[Article]) -> list[Article]:
        return self.each(batch, self.add)

    def key(self, article: Article) -> DedupKey:
        """What dedup needs of an article (and its ``content_hash`` set): computed where the article
        is, in a shard; clustered in order wherever the index is (:meth:`assign`)."""
        body = article.text or ""
        article.content_hash = content_hash(body) if body.strip() else None
        url = article.canonical_url or article.url
        signature = self.hasher.signature(body) if body and len(body.split()) >= self.min_words else None
        bands = self.hasher.band_keys(signature) if signature is not None else []
        published, length, _ = _rank(article, 0)
        return DedupKey(article.id, canonical_url(url) if url else None, article.content_hash, signature, bands,
                        (published, length))

    def add(self, article: Article) -> None:
        if article.id in self.index.members:  # seen in an earlier run (re-ingest): it keeps its place
            self._restore(article)
            return
        got = self.assign(self.key(article))
        article.cluster, article.cluster_size, article.original, article.duplicate_of = got

    def assign(self, key: DedupKey) -> tuple[str, int, str, str | None]:
        """Put one article in its cluster, in the order articles come: (cluster, cluster_size,
        original, duplicate_of) as they stand now (:meth:`final` gives them at the end)."""
        idx = self.index
        if key.id in idx.members:  # seen in an earlier run (re-ingest): it keeps its place
            self.stats["known"] += 1
            got = self.final(key.id)
            assert got is not None
            return got
        idx.order += 1
        found: list[tuple[str, str]] = []  # (cluster, reason)
        if key.url_key and key.url_key in idx.urls:
            found.append((idx.find(idx.urls[key.url_key]), "same_url"))
        if key.content_hash and key.content_hash in idx.texts:
            found.append((idx.find(idx.texts[key.content_hash]), "same_text"))
        signature = key.signature
        if signature is not None and not found:
            seen: set[str] = set()
            for band in key.bands:
                hit = idx.bands.get(band)
                if hit is None:
                    continue
                candidate = idx.find(hit)
                if candidate in seen:
                    continue
                seen.add(candidate)
                other_signature = idx.signatures.get(candidate)
                if other_signature is not None and similarity(signature, other_signature) >= self.threshold:
                    found.append((candidate, "near_duplicate"))

        root: str
        reason: str | None
        if found:
            root, reason = found[0]
            for also, _ in found[1:]:
                root = self._merge(root, also)
            self.stats[f"match:{reason}"] += 1
        else:
            root, reason = key.id, None
            idx.clusters[root] = Cluster(id=root, created=idx.order)
            if signature is not None:
                idx.signatures[root] = signature
        summary = idx.clusters[root]
        if reason is not None and summary.link is None:
            summary.link = reason
        summary.size += 1
        rank = (*key.rank, idx.order)
        if not summary.original or rank < summary.rank:
            summary.original, summary.rank = key.id, rank
        idx.members[key.id] = (root, reason)
        if key.url_key:
            idx.urls.setdefault(key.url_key, root)
        if key.content_hash:
            idx.texts.setdefault(key.content_hash, root)
        for band in key.bands:
            idx.bands.setdefault(band, root)
        return root, summary.size, summary.original, None if summary.original == key.id else (reason or summary.link)

    def _restore(self, article: Article) -> None:
        got = self.final(article.id)
        assert got is not None
        article.content_hash = content_hash(article.text) if article.text.strip() else None
        article.cluster, article.cluster_size, article.original, article.duplicate_of = got
        self.stats["known"] += 1

    def _merge(self, a: str, b: str) -> str:
        """One story found under two clusters: the older keeps its id."""
        idx = self.index
        a, b = idx.find(a), idx.find(b)
        if a == b:
            return a
        ca, cb = idx.clusters[a], idx.clusters[b]
        keep, gone = (ca, cb) if ca.created <= cb.created else (cb, ca)
        idx.parent[gone.id] = keep.id
        keep.size += gone.size
        if gone.rank < keep.rank:
            keep.original, keep.rank = gone.original, gone.rank
        keep.link = keep.link or gone.link or "near_duplicate"
        del idx.clusters[gone.id]
        idx.signatures.pop(gone.id, None)
        self.stats["merged_clusters"] += 1
        return keep.id

    def final(self, article_id: str) -> tuple[str, int, str, str | None] | None:
        """(cluster, cluster_size, original, duplicate_of) as they stand at the end of the run."""
        member = self.index.members.get(article_id)
        if member is None:
            return None
        root = self.index.find(member[0])
        cluster = self.index.clusters[root]
        reason = None if cluster.original == article_id else (member[1] or cluster.link)
        return root, cluster.size, cluster.original, reason

    def finish(self, article: Article) -> Article:
        """Set the final cluster fields on an article written earlier in the run."""
        got = self.final(article.id)
        if got is not None:
            article.cluster, article.cluster_size, article.original, article.duplicate_of = got
        return article

    def size_histogram(self, ids: Iterable[str]) -> Counter[str]:
        """How many of these articles are in clusters of each size (1, 2, 3-5, 6-10, 11+)."""
        hist: Counter[str] = Counter()
        for article_id in ids:
            got = self.final(article_id)
            size = got[1] if got else 1
            label = "1" if size == 1 else "2" if size == 2 else "3-5" if size <= 5 else "6-10" if size <= 10 else "11+"
            hist[label] += 1
        return hist


class DedupKeyer(Map):
    """Works out each article's :class:`DedupKey` (the costly part of dedup: hashing the body) into
    :attr:`keys`, in order; a sharded run clusters every shard's keys at its end (:meth:`Deduplicator.assign`)."""

    name = "dedup_keys"

    def __init__(self, config: MinHashConfig, *, min_words: int = 20) -> None:
        super().__init__()
        self.dedup = Deduplicator(index=DedupIndex(config=config), min_words=min_words)
        self.keys: list[DedupKey] = []

    def process(self, article: Article) -> Article:
        self.keys.append(self.dedup.key(article))
        return article


def cluster_records(records: Iterable[dict[str, object]], **options: object) -> dict[str, tuple[str, str | None]]:
    """Cluster plain records (``id``, ``url``, ``text``, ``published``, ``title``): {id: (cluster, duplicate_of)}."""
    from .readers import parse_timestamp

    dedup = Deduplicator(**options)  # type: ignore[arg-type]
    ids = []
    for record in records:
        article = Article(
            id=str(record["id"]), raw="", url=str(record.get("url") or "") or None, text=str(record.get("text") or ""),
            title=str(record.get("title") or "") or None, published=parse_timestamp(record.get("published")),
        )
        dedup.add(article)
        ids.append(article.id)
    out = {}
    for article_id in ids:
        got = dedup.final(article_id)
        assert got is not None
        out[article_id] = (got[0], got[3])
    return out
