"""The archive: schema, store and search (the only query API; SQLite by default)."""

from .search import Hit, Results, parse_query
from .store import Archive

__all__ = ["Archive", "Hit", "Results", "parse_query"]
