"""Pipeline steps, one module per role."""

from __future__ import annotations

from ..pipeline import Step
from .clean import TextCleaner
from .extract import HtmlExtractor


def default_steps(*, fast: bool = False) -> list[Step]:
    """The steps ``marsad process`` runs, in order; ``fast`` picks the fast HTML extractor."""
    return [HtmlExtractor(fast=fast), TextCleaner()]
