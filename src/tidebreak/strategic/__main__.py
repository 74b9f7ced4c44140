"""``python -m tidebreak.strategic ...`` runs the campaign command line."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
