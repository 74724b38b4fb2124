"""Pipeline steps, one module per role."""

from __future__ import annotations

from pathlib import Path

from ..pipeline import Step
from .clean import TextCleaner
from .extract import HtmlExtractor


def default_steps(*, fast: bool = False, thresholds: Path | None = None) -> list[Step]:
    """The per-article steps, in order: extraction, cleanup, language, quality.

    ``fast`` picks the fast HTML extractor; ``thresholds`` a quality thresholds file. Dedup and drop
    rules are added by :func:`marsad.jobs.build_steps`.
    """
    from .language import LanguageDetector
    from .quality import QualityAnnotator

    return [
        HtmlExtractor(fast=fast),
        TextCleaner(),
        LanguageDetector(),
        QualityAnnotator(thresholds=thresholds),
    ]
