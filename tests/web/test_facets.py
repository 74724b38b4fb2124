"""Search facets count stories, as the results do: a facet's count is the total that clicking it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.archive import Archive


@pytest.mark.parametrize("query", ["الربط الكهربائي", "الأردن", "مصر", "أمطار"])
def test_a_facet_count_is_what_clicking_it_finds(archive_path: Path, query: str) -> None:
    with Archive(archive_path, create=False) as archive:
        facets = archive.facets(query)
        assert facets["source"], query
        for kind in ("source", "lang", "topic"):
            for f in facets[kind]:
                found = archive.search(query, limit=1, **{kind: f["value"] or None})
                assert found.total == f["count"], (kind, f)
        for f in facets["entity"][:5]:
            found = archive.search(query, limit=1, entity=f["value"])
            assert found.total >= f["count"], f  # the entity filter matches its words, so maybe more
        assert sum(f["count"] for f in facets["source"]) >= archive.search(query, limit=1).total
