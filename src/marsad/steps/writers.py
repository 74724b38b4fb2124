"""Writers: where articles go at the end of a run."""

from __future__ import annotations

import json
from typing import TextIO

from ..article import Article


class JsonlWriter:
    """One JSON object per article, one article per line, UTF-8 (Arabic as is, not escaped)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, article: Article) -> None:
        self.stream.write(json.dumps(article.to_dict(), ensure_ascii=False))
        self.stream.write("\n")
