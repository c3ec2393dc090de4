"""``python -m bench``: run the whole benchmark (bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
