"""``python -m lvvdesk``."""

import sys

from lvvdesk.cli import main

sys.exit(main())
