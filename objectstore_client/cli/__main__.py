"""``python -m objectstore_client.cli``: the ``objectstore`` command."""

import sys

from . import main

sys.exit(main())
