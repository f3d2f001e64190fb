"""The realtime layer: the WebSocket endpoint of ``@liveblocks/client`` (PROTOCOL.md)."""
