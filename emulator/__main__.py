"""``python -m emulator`` does what the ``liveblocks-emulator`` command does."""

import sys

from .cli import main

sys.exit(main())
