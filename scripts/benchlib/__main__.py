"""``python -m benchlib``: the benchmark driver (see ``scripts/bench --help``)."""

import sys

from .driver import main

sys.exit(main())
