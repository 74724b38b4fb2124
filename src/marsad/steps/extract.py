"""HTML pages to main text and metadata (:class:`HtmlExtractor`); text dumps pass through."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from ..article import Article
from ..html.main import (
    MIN_TEXT,
    extract_text_default,
    extract_text_fast,
    find_lead,
    has_prose,
    keeps_story,
    restore_story,
    trafilatura_text,
    with_lead,
)
from ..html.mend import mend
from ..html.meta import extract_meta
from ..pipeline import Map


class HtmlExtractor(Map):
    """Main text (one paragraph per line, cleaned afterwards) and the page's own metadata.

    Metadata already on the article (from a JSONL record, say) wins over the page's. ``fast``
    trades some accuracy for speed: resiliparse instead of trafilatura for the main text.
    """

    name = "extract"

    def __init__(self, *, fast: bool = False) -> None:
        super().__init__()
        self.fast = fast

    def process(self, article: Article) -> Article:
        if article.format != "html":
            return article
        tree = LexborHTMLParser(article.raw)
        meta = extract_meta(article.raw, article.url, reference=article.crawled, tree=tree)
        removed = mend(tree)  # after the metadata: mending removes bylines' neighbours too
        page = tree.html or ""
        lead = find_lead(tree)
        if self.fast:
            text = with_lead(extract_text_fast(page, tree, article.url), lead)
            if len(text.strip()) < MIN_TEXT or not has_prose(text):
                # fast mode found almost nothing, even with trafilatura's fast setting on the mended
                # page: trafilatura's full reading of the page as it came, where it says more, so
                # that fast mode never returns an empty body for a page that has an article
                plain = trafilatura_text(article.raw, article.url)
                if has_prose(plain) and len(plain) > len(text):
                    text = plain
                    self.stats["fell_back"] += 1
        else:
            text = with_lead(extract_text_default(page, article.url, tree), lead)
            plain = trafilatura_text(article.raw, article.url)
            if not keeps_story(text, plain):
                # a mend took the story out (or left a list of headlines): trafilatura's own reading wins
                text = plain
                self.stats["fell_back"] += 1
            else:
                restored = restore_story(text, plain, removed, article.raw)
                if restored != text:
                    text = restored
                    self.stats["restored"] += 1
        article.text = text
        article.canonical_url = article.canonical_url or meta.url
        article.url = article.url or meta.url
        article.title = article.title or meta.title
        article.author = article.author or meta.author
        article.published = article.published or meta.published
        article.updated = article.updated or meta.updated
        article.source = article.source or meta.source
        article.section = article.section or meta.section
        article.tags = article.tags or meta.tags
        article.description = article.description or meta.description
        article.image = article.image or meta.image
        article.page_lang = article.page_lang or meta.lang
        self.stats["pages"] += 1
        if not article.text.strip():
            self.stats["no_main_text"] += 1
        return article
