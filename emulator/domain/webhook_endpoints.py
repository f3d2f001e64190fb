"""Webhook endpoints: where events go, signed with which secret, filtered and throttled how.

An endpoint comes from the command line (kept across resets), a fixture file (loaded again
on reset) or the admin API (gone on reset). Its JSON form uses the Management API's field
names (WEBHOOKS.md §3.3), in fixtures and in the admin API alike.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .clock import format_ms
from .errors import InvalidInput
from .webhook_events import EVENT_TYPES
from .webhook_signing import InvalidSecret, check_secret

Origin = Literal["cli", "fixture", "api"]
# Liveblocks' default window for storageUpdated / ydocUpdated (WEBHOOKS.md §2.1).
DEFAULT_THROTTLE_SECONDS = 60.0
MAX_THROTTLE_SECONDS = 86_400.0
ENDPOINT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ENDPOINT_FIELDS = frozenset({
    "id", "url", "secret", "subscribedEvents", "storageUpdatedThrottleSeconds",
    "yDocUpdatedThrottleSeconds", "disabled",
})


@dataclass(slots=True)
class WebhookEndpoint:
    id: str
    url: str
    secret: str
    created_ms: int
    origin: Origin = "api"
    subscribed_events: tuple[str, ...] = EVENT_TYPES
    storage_throttle_seconds: float = DEFAULT_THROTTLE_SECONDS
    ydoc_throttle_seconds: float = DEFAULT_THROTTLE_SECONDS
    disabled: bool = False

    def wants(self, type: str) -> bool:
        return not self.disabled and type in self.subscribed_events

    def throttle_seconds(self, type: str) -> float:
        return self.storage_throttle_seconds if type == "storageUpdated" \
            else self.ydoc_throttle_seconds

    def to_fixture(self) -> dict[str, Any]:
        """The endpoint as a fixture (or snapshot) holds it."""
        entry = self.to_json()
        return {key: value for key, value in entry.items() if key in ENDPOINT_FIELDS}

    def to_json(self) -> dict[str, Any]:
        """The endpoint as the admin API shows it."""
        return {
            "id": self.id,
            "url": self.url,
            "secret": self.secret,
            "subscribedEvents": list(self.subscribed_events),
            "storageUpdatedThrottleSeconds": self.storage_throttle_seconds,
            "yDocUpdatedThrottleSeconds": self.ydoc_throttle_seconds,
            "disabled": self.disabled,
            "origin": self.origin,
            "createdAt": format_ms(self.created_ms),
        }


def new_endpoint_id() -> str:
    return "wh_" + secrets.token_hex(12)


def check_url(url: object, where: str = "url") -> str:
    """An absolute http(s) URL with a host (InvalidInput otherwise)."""
    if not isinstance(url, str):
        raise InvalidInput(f"{where} must be a string, an http:// or https:// URL")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise InvalidInput(f"{where} has an invalid port: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{where} must be an http:// or https:// URL with a host, got {url!r}")
    return url


def _seconds(entry: dict[str, Any], key: str, default: float) -> float:
    value = entry.get(key, default)
    if type(value) not in (int, float) or not 0 <= value <= MAX_THROTTLE_SECONDS:
        raise InvalidInput(f"{key} must be a number of seconds between 0 and "
                           f"{MAX_THROTTLE_SECONDS:g}, got {value!r}")
    return float(value)


def parse_endpoint(
    entry: Any, *, default_secret: str, default_throttle: float, now_ms: int, origin: Origin,
) -> WebhookEndpoint:
    """An endpoint from its JSON form (fixture entry or admin API body); InvalidInput names
    the bad field."""
    if not isinstance(entry, dict):
        raise InvalidInput("a webhook endpoint must be an object with at least a 'url'")
    unknown = sorted(set(entry) - ENDPOINT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}; allowed fields are "
                           f"{', '.join(sorted(ENDPOINT_FIELDS))}")
    url = check_url(entry.get("url"))
    secret = entry.get("secret", default_secret)
    try:
        check_secret(secret)
    except InvalidSecret as error:
        raise InvalidInput(f"secret: {error}") from None
    events = entry.get("subscribedEvents", list(EVENT_TYPES))
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise InvalidInput("subscribedEvents must be an array of event types")
    unknown_types = [e for e in events if e not in EVENT_TYPES]
    if unknown_types:
        raise InvalidInput(f"subscribedEvents: {unknown_types[0]!r} is not a webhook event "
                           f"type; the types are {', '.join(EVENT_TYPES)}")
    endpoint_id = entry.get("id", None)
    if endpoint_id is None:
        endpoint_id = new_endpoint_id()
    elif not isinstance(endpoint_id, str) or not ENDPOINT_ID.match(endpoint_id) \
            or endpoint_id == "deliveries":
        raise InvalidInput("id must be 1 to 64 letters, digits, '_' or '-' (not 'deliveries')")
    disabled = entry.get("disabled", False)
    if not isinstance(disabled, bool):
        raise InvalidInput("disabled must be a boolean")
    return WebhookEndpoint(
        id=endpoint_id,
        url=url,
        secret=secret,
        created_ms=now_ms,
        origin=origin,
        subscribed_events=tuple(t for t in EVENT_TYPES if t in events),
        storage_throttle_seconds=_seconds(entry, "storageUpdatedThrottleSeconds",
                                          default_throttle),
        ydoc_throttle_seconds=_seconds(entry, "yDocUpdatedThrottleSeconds", default_throttle),
        disabled=disabled,
    )


# Any valid secret: checking an entry's shape does not need the emulator's own.
_PLACEHOLDER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def check_endpoint_entry(entry: Any) -> None:
    """InvalidInput if ``entry`` could not make an endpoint (fixture files are checked early)."""
    parse_endpoint(entry, default_secret=_PLACEHOLDER_SECRET,
                   default_throttle=DEFAULT_THROTTLE_SECONDS, now_ms=0, origin="fixture")
