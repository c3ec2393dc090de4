"""Fixtures of the backup tests."""

import pytest


@pytest.fixture
def run(app):
    """Run a ``flask`` command; return click's result."""
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=[str(arg) for arg in args], **kwargs)
