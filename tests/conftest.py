from __future__ import annotations

from pathlib import Path

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
