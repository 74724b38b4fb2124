"""One real local Ray for the test session (2 CPUs), started the first time a test asks for it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import write_corpus  # noqa: E402


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """The address of a local Ray (this process is its driver; a command run by a test joins it)."""
    try:
        import ray
    except ImportError:
        if os.environ.get("MARSAD_REQUIRE_RAY"):
            raise
        pytest.skip("Ray is not installed (pip install 'marsad[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus's JSON lines file (53 articles: three sites, wire copies, verbatim copies)."""
    return write_corpus(tmp_path_factory.mktemp("corpus"))
