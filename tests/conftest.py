from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is absent")
    return data


@pytest.fixture
def seed_path() -> Path:
    seed = SHARED / "seed" / "000_0fa0585ff18cc73d.txt"
    if not seed.is_file():
        pytest.skip("../shared/seed is absent")
    return seed


def _load_script(name: str, path: Path) -> ModuleType:
    """A script of bench/ (not a package) loaded as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def load_script() -> Callable[[str, Path], ModuleType]:
    """Loads a bench/ script by path, for the tests that measure with it."""
    return _load_script


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the session (``tests/archive/pg.py``); the tests that use it
    skip when PostgreSQL or psycopg is absent, and fail then if ``MARSAD_REQUIRE_POSTGRES=1`` (CI)."""
    pg = _load_script("marsad_tests_pg", REPO / "tests" / "archive" / "pg.py")
    missing = None
    if pg.pg_bin() is None:
        missing = "PostgreSQL's initdb is not installed"
    else:
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError:
            missing = "psycopg is not installed (pip install 'marsad[postgres]')"
    if missing is not None:
        if os.environ.get(pg.REQUIRE_ENV) == "1":
            pytest.fail(f"{missing}, and {pg.REQUIRE_ENV}=1 requires the PostgreSQL tests")
        pytest.skip(missing)
    cluster = pg.Cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """The URL of a new, empty database in the session's cluster."""
    return pg_cluster.create_database()
