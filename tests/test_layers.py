"""The code keeps its layers: import-linter's contracts in pyproject.toml all hold.

core at the bottom, the domains in their stated order above it, reports, the API
and the app's wiring on top; no page module imports another domain's pages
(README, "How the code is laid out"). An import that runs the wrong way, even
inside a function, fails this test.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_import_contract_holds():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert summary is not None, result.stdout
    assert int(summary.group(1)) >= 2 and summary.group(2) == "0"
