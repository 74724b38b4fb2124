from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
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
