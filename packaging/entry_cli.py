"""Frozen entry of `nominator-cli`: the command line exactly as `python -m nominator`."""

import sys

from nominator.cli import main

sys.exit(main())
