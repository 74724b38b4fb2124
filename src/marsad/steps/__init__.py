"""Pipeline steps, one module per role."""

from __future__ import annotations

from ..pipeline import Step
from .clean import TextCleaner


def default_steps() -> list[Step]:
    """The steps ``marsad process`` runs, in order."""
    return [TextCleaner()]
