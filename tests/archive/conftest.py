"""The archive's tests run once per backend: a SQLite file, and a database in a throwaway PostgreSQL
cluster (see ``tests/archive/pg.py``), each test with archives of its own."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_archive(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], str | Path]:
    """Makes the target of a new archive of the test's backend: a file path, or a new database's URL."""
    numbers = itertools.count(1)

    def make() -> str | Path:
        if backend == "sqlite":
            return tmp_path / f"archive{next(numbers)}.db"
        return str(request.getfixturevalue("pg_cluster").create_database())

    return make
