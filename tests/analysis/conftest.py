"""The demo CQI site with finalized cases (tests/performance/conftest.py makes them)."""

from tests.performance.conftest import finalized  # noqa: F401  the fixture, shared
