"""``python -m timeline.cli``: the same as the `timeline` script."""

import sys

from timeline.cli import main

sys.exit(main())
