"""Enrichment: named entities, topic, key phrases, quotations and a summary for each article.

The models (:mod:`marsad.nlp`) load lazily, once per process, on the first article that needs them,
so the step pickles cheaply for runners. Only Arabic bodies are enriched: the models know Arabic
alone, and an English page tagged by an Arabic CRF would get confident nonsense.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..article import Article
from ..nlp.keyphrases import keyphrases
from ..nlp.ner import EntityTagger, shared_tagger
from ..nlp.quotes import find_quotes
from ..nlp.summary import summarize
from ..nlp.topic import TopicClassifier
from ..pipeline import BatchStep


@dataclass(frozen=True, slots=True)
class EnrichOptions:
    """Which parts run, and models other than the committed ones."""

    entities: bool = True
    topic: bool = True
    keyphrases: bool = True
    quotes: bool = True
    summary: bool = True
    ner_model: Path | None = None
    topic_model: Path | None = None


class ArticleEnricher(BatchStep):
    """Fills ``entities``, ``topic``/``topic_score``, ``keyphrases``, ``quotes`` and ``summary``."""

    name = "enrich"
    batch_size = 64

    def __init__(self, options: EnrichOptions = EnrichOptions()) -> None:
        super().__init__()
        self.options = options
        # both load their model on first use, not here; the committed NER model is the one
        # marsad.entities() uses too, loaded once per process
        self.tagger = EntityTagger(model_path=options.ner_model) if options.ner_model else shared_tagger()
        self.classifier = TopicClassifier(model_path=options.topic_model)

    def process_batch(self, batch: list[Article]) -> list[Article]:
        todo = [a for a in batch if a.text and a.lang in ("ar", None)]
        if len(todo) < len(batch):
            self.stats["skipped:not_arabic_or_empty"] += len(batch) - len(todo)
        topics: list[tuple[str, float] | None] = [None] * len(todo)
        if self.options.topic and todo:
            topics = list(self.classifier.predict_many((a.title, a.text) for a in todo))
        for article, topic in zip(todo, topics):
            # enrichment adds to an article; one that fails here is reported and kept as it was,
            # never dropped from the run
            try:
                self.enrich(article, topic)
            except Exception as exc:
                self._fail(article, exc)
        return batch

    def enrich(self, article: Article, topic: tuple[str, float] | None = None) -> None:
        opts = self.options
        if opts.entities:
            article.entities = self.tagger.tag(article.text)
            self.stats["entities"] += len(article.entities)
        if topic is None and opts.topic:
            topic = self.classifier.predict(article.title, article.text)
        if topic is not None:
            article.topic, article.topic_score = topic[0], round(topic[1], 4)
            self.stats[f"topic:{article.topic}"] += 1
        if opts.keyphrases:
            article.keyphrases = keyphrases(article.text, title=article.title, entities=article.entities)
        if opts.quotes:
            article.quotes = find_quotes(article.text, article.entities)
            self.stats["quotes"] += len(article.quotes)
        if opts.summary:
            article.summary = summarize(article.text, title=article.title) or None
        self.stats["enriched"] += 1
