"""Emulator settings: one dataclass, filled from CLI flags or environment variables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 1153  # the port of Liveblocks' own dev server, so apps work with either
DEFAULT_SECRET_KEY = "sk_localdev"
DEFAULT_PUBLIC_KEY = "pk_localdev"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024
DEFAULT_MAX_CONNECTIONS_PER_ROOM = 200


@dataclass(slots=True)
class Config:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    secret_key: str = DEFAULT_SECRET_KEY
    public_key: str = DEFAULT_PUBLIC_KEY
    log_level: str = "info"
    # Key that signs the JWTs the emulator mints; derived from the secret key
    # when not given, so a restart keeps earlier tokens valid.
    signing_key: str | None = None
    token_ttl_seconds: int = 3600
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # A WebSocket frame larger than this closes the connection (1009, message too big).
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    # A connection that sends nothing (not even the client's 30 s ping) for this long is dead.
    idle_timeout_seconds: float = 75.0
    # Frames queued for a connection that does not read them; beyond, it is dropped (1013).
    outbox_frames: int = 2000
    # Beyond this many connections a room refuses newcomers ("room full", close 4005).
    max_connections_per_room: int = DEFAULT_MAX_CONNECTIONS_PER_ROOM
    # Always-on faults for offline development (--latency, --failure-rate): every /v2 request
    # and every WebSocket frame waits latency_ms (+ up to latency_jitter_ms); a failure_rate
    # of REST requests get 503. Seeded by fault_seed; back after every reset.
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    failure_rate: float = 0.0
    fault_seed: int = 0
    fixtures: list[str] = field(default_factory=list)
    state_file: str | None = None
    # Webhooks (WEBHOOKS.md): endpoint URLs, the signing secret (generated when None),
    # the storageUpdated / ydocUpdated throttle window, a factor on the retry delays
    # (0.001: 5 s -> 5 ms, for tests) and the time an endpoint has to answer.
    webhooks: list[str] = field(default_factory=list)
    webhook_secret: str | None = None
    webhook_throttle_seconds: float = 60.0
    webhook_retry_scale: float = 1.0
    webhook_timeout_seconds: float = 15.0
    # How long an inbox notification must stay unread before its `notification` events
    # go out (Liveblocks: 30 min by default; 0 for tests).
    webhook_notification_delay_seconds: float = 1800.0

    @property
    def effective_signing_key(self) -> str:
        if self.signing_key:
            return self.signing_key
        digest = hashlib.sha256(b"liveblocks-emulator:" + self.secret_key.encode()).hexdigest()
        return digest
