"""``python -m tidebreak.distributed sweep ...``"""

from __future__ import annotations

import sys

from tidebreak.distributed.cli import main

if __name__ == "__main__":
    sys.exit(main())
