"""Cleanup: headline, byline and clean body from crawled text (:class:`TextCleaner`).

Rules name most junk lines; the rest (a site's slogan, its contact line, a footer no rule knows)
shows itself by recurring across many pages of the same site, so the cleaner learns those lines
over each batch before it cleans the batch's pages.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable

from urllib.parse import urlsplit

from ..article import Article, Removed
from ..pipeline import BatchStep, Map
from ..text.arabic import normalize
from ..text.boilerplate import word_count
from ..text.bylines import is_site_name
from ..text.cleanup import clean_document, prepare

# Words of a publication's name: a credit with one, found on nearly every page of a site, is the site.
_PUBLICATION = re.compile(
    r"نيوز|نت\b|اليوم|الاخباري|بوابه|بوابة|موقع|جريده|جريدة|صحيفه|صحيفة|شبكه|شبكة|قناه|قناة|مجله|مجلة|24|"
    r"\b(?:news|online|post|times|press|tv|magazin\w*|zeitung|journal|daily|today|media|portal)\b",
    re.IGNORECASE,
)


def source_key(article: Article) -> str:
    """Which pages count as one site: the source, else the URL's host, else the input folder."""
    if article.source:
        return article.source
    if article.url:
        host = urlsplit(article.url).hostname
        if host:
            return host.removeprefix("www.")
    if article.origin:
        path = article.origin.path
        return path if article.origin.record is not None else os.path.dirname(path)
    return ""


class TextCleaner(BatchStep):
    """Cleans each article; input metadata (a JSONL title, say) wins over what the text shows.

    A line is a site's furniture when it stands in at least ``min_docs`` distinct pages of the same site and
    has at most ``max_words`` words (a long repeated paragraph is more likely a syndicated story).
    Counts carry over from batch to batch so a long run keeps learning; memory is bounded by
    ``max_keys`` hashed lines per site and ``max_total_keys`` in all (the rarest are forgotten first).
    Lines learned late do not reach back into batches already written.

    An author is never the site: not its source or host name, nor a publication's name credited
    on nearly every page the site has shown (``المدينة نيوز`` on all of almadenahnews.com's pages).
    """

    name = "clean"

    def __init__(self, *, min_docs: int = 3, max_words: int = 25, max_keys: int = 50_000, max_total_keys: int = 1_000_000, batch_size: int = 1000) -> None:
        super().__init__()
        self.min_docs = min_docs
        self.max_words = max_words
        self.max_keys = max_keys
        self.max_total_keys = max_total_keys
        self.total_keys = 0
        self.batch_size = batch_size
        self.seen: dict[str, Counter[int]] = {}
        self.pages_seen: dict[str, set[int]] = {}
        self.authors: dict[str, Counter[str]] = {}
        self.author_pages: Counter[str] = Counter()
        self._lines: dict[str, set[int]] = {}

    def learn(self, article: Article, lines: list[str], keys: list[str]) -> None:
        self.remember(*self.note(article, lines, keys))

    def note(self, article: Article, lines: list[str], keys: list[str]) -> tuple[str, int, list[int]]:
        """What learning takes from one page: its site, the page's hash and its short lines' hashes
        (small, and the same in every process: a sharded run learns from the notes of all its shards)."""
        return source_key(article), key_hash("\x1f".join(keys)), [
            key_hash(k) for k, x in zip(keys, lines) if word_count(x) <= self.max_words]

    def note_page(self, article: Article) -> tuple[str, int, list[int]]:
        """:meth:`note` of an article not yet cleaned."""
        return self.note(article, *prepare(_dump(article)))

    def remember(self, site: str, page: int, hashes: list[int]) -> None:
        """Count a page's short lines for its site (``site``, ``page``, ``hashes`` as :meth:`note` gives them)."""
        # A page counts once however often it was crawled or copied verbatim: otherwise three
        # copies of one story would make its paragraphs look like the site's furniture.
        self._lines.clear()
        pages = self.pages_seen.setdefault(site, set())
        if page in pages:
            return
        if len(pages) >= self.max_keys:
            self.total_keys -= len(pages)
            pages.clear()
        pages.add(page)
        self.total_keys += 1
        counts = self.seen.setdefault(site, Counter())
        before = len(counts)
        # keys are hashed: a site's table holds ints, not every short line it ever printed
        counts.update(set(hashes))
        if len(counts) > self.max_keys:
            counts = self.seen[site] = _prune(counts, self.max_keys // 2)
        self.total_keys += len(counts) - before
        if self.total_keys > self.max_total_keys:  # many sites: forget every site's rarest lines
            share = max(1, self.max_total_keys // (2 * len(self.seen)))
            self.seen = {k: _prune(c, share) for k, c in self.seen.items()}
            self.pages_seen = {}
            self.total_keys = sum(len(c) for c in self.seen.values())

    def site_lines(self, article: Article) -> set[int]:
        counts = self.seen.get(source_key(article))
        if not counts:
            return set()
        return {k for k, n in counts.items() if n >= self.min_docs}

    def process_batch(self, batch: list[Article]) -> list[Article]:
        prepared: dict[int, tuple[list[str], list[str]]] = {}

        def learn(article: Article) -> None:
            prepared[id(article)] = prepare(_dump(article))
            self.learn(article, *prepared[id(article)])

        ok = self.each(batch, learn)
        cache: dict[str, set[int]] = {}

        def clean(article: Article) -> None:
            site = source_key(article)
            if site not in cache:
                cache[site] = self.site_lines(article)
            self.clean(article, cache[site], prepared[id(article)])

        done = self.each(ok, clean)
        # the whole batch's credits first: the first pages are judged on them too
        self.take_credits(self.credit(article) for article in done)
        self.each(done, self.drop_site_author)
        return done

    def clean_one(self, article: Article) -> None:
        """Clean one article with what has been learned so far, learning nothing from it (a sharded
        run's second pass: the sites' lines were learned from every shard first)."""
        site = source_key(article)
        if site not in self._lines:  # nothing is learned any more: each site's lines are worked out once
            self._lines[site] = self.site_lines(article)
        self.clean(article, self._lines[site], prepare(_dump(article)))

    def credit(self, article: Article) -> tuple[str, str | None]:
        """The article's site and its author as credited (normalised), for :meth:`take_credits`."""
        return source_key(article), normalize(article.author) if article.author else None

    def take_credits(self, credits: Iterable[tuple[str, str | None]]) -> None:
        """Count the authors sites credit (what :meth:`is_site` judges a site's own name by)."""
        for site, author in credits:
            self.author_pages[site] += 1
            if author:
                self.authors.setdefault(site, Counter())[author] += 1

    def drop_site_author(self, article: Article) -> None:
        """Take the site's own name off the article's author."""
        if article.author and self.is_site(article, source_key(article)):
            self.stats["removed_author:site_name"] += 1
            article.author = None

    def is_site(self, article: Article, site: str) -> bool:
        author = article.author or ""
        host = urlsplit(article.url).hostname if article.url else None
        if is_site_name(author, [site] if site else [], host):
            return True
        pages = self.author_pages[site]
        credited = self.authors.get(site, Counter())[normalize(author)]
        return pages >= 5 and credited >= 0.9 * pages and bool(_PUBLICATION.search(normalize(author)))

    def clean(self, article: Article, site_lines: set[int], prepared: tuple[list[str], list[str]]) -> None:
        cleaned = clean_document(
            _dump(article),
            prepared=prepared,
            title=article.title,
            author=article.author,
            published=article.published,
            updated=article.updated,
            reference=article.crawled,
            site_lines=_HashedKeys(site_lines) if site_lines else None,
        )
        for name, old, new in (("title", article.title, cleaned.title), ("author", article.author, cleaned.author),
                               ("published", article.published, cleaned.published)):
            if old is None and new is not None:
                self.stats[f"found:{name}"] += 1
        article.title = cleaned.title
        article.author = cleaned.author
        article.published = cleaned.published
        if article.published is None and article.published_hint is not None:
            # the date a feed or sitemap listed the page with: only for a page that gives none itself
            article.published = article.published_hint
            self.stats["published:from_listing"] += 1
        article.updated = cleaned.updated
        article.text = cleaned.text
        # what an earlier run removed (its output read again) stays on the record, before this run's
        article.boilerplate = [*article.boilerplate, *(Removed(line, reason) for line, reason in cleaned.removed)]
        for _, reason in cleaned.removed:
            self.stats[f"removed:{reason}"] += 1
        if not article.text:
            self.stats["empty_body"] += 1


class LearnedCleaner(Map):
    """Cleanup with what a :class:`TextCleaner` learned beforehand from the whole input (a sharded
    run's second pass: the sites' lines were learned from the notes of every shard). It learns
    nothing more, and notes each article's author credit in :attr:`credits`; the site-author rule
    is applied at the end of the run, once every shard's credits are counted."""

    name = "clean"

    def __init__(self, memory: TextCleaner) -> None:
        super().__init__()
        self.memory = memory
        memory.stats = self.stats  # the cleaner's counts are this step's
        self.credits: list[tuple[str, str | None]] = []

    def process(self, article: Article) -> Article:
        self.memory.clean_one(article)
        self.credits.append(self.memory.credit(article))
        return article


def _dump(article: Article) -> str:
    """The text to clean: the crawler's dump, or the main text extracted from a page."""
    return article.raw if article.format == "text" else article.text


class _HashedKeys:
    """Membership of a line key in a set of hashed keys."""

    __slots__ = ("hashes",)

    def __init__(self, hashes: set[int]) -> None:
        self.hashes = hashes

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key_hash(key) in self.hashes


def key_hash(key: str) -> int:
    """A line's hash, the same in every process (``hash()`` of a string is not: it is salted)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")



def _prune(counts: Counter[int], keep: int) -> Counter[int]:
    """Forget the rarest lines first until at most ``keep`` remain (frequent lines are the furniture)."""
    floor = 1
    while len(counts) > keep:
        counts = Counter({k: n for k, n in counts.items() if n > floor})
        floor += 1
    return counts
