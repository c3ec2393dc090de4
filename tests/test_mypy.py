"""The package type-checks: mypy, configured in pyproject.toml ([tool.mypy]).

It reads the source only, so it uses no database fixture and runs once per
suite. The cache in .mypy_cache keeps a run after a small change to seconds.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.static
def test_the_package_type_checks():
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
