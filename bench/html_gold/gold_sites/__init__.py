"""The site templates of the HTML gold set, one module per invented site (see ``gold_parts`` for the contract)."""

from __future__ import annotations

from . import atlas, jazira, khaleej, nile, rafidain, sabah, sada, shami, sharq, wadi

TEMPLATES = [wadi, sabah, khaleej, shami, rafidain, atlas, sharq, nile, jazira, sada]
