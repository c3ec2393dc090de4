"""Fixtures the core tests borrow from other folders."""

from tests.qa.conftest import complete_case  # noqa: F401  (a fixture)
