"""The systemic factor tests use the interview tests' clients and interviews."""

from tests.interviews.conftest import clients  # noqa: F401  (a fixture)
