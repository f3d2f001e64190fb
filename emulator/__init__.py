"""liveblocks-emulator: a local, in-memory emulator of the Liveblocks API."""

__version__ = "0.1.0"
