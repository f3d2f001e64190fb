"""Signing webhook requests the way Liveblocks (through Svix) does (WEBHOOKS.md §1).

``webhook-signature`` is ``v1,<base64 HMAC-SHA256>`` over ``"{id}.{timestamp}.{body}"``,
keyed with the base64-decoded part of the ``whsec_`` secret; the timestamp is in
**seconds**. Bodies are compact JSON with non-ASCII kept, so that a handler that
verifies ``JSON.stringify(JSON.parse(body))`` instead of the raw body still matches (§1.7).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import math
import secrets
from typing import Any

SECRET_PREFIX = "whsec_"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class InvalidSecret(ValueError):
    """A secret both SDKs would not accept."""


def generate_secret() -> str:
    """``whsec_`` + base64 of 24 random bytes: 32 characters, no padding to get wrong (§1.3)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def check_secret(secret: object) -> str:
    """The secret if both SDKs accept it; InvalidSecret saying why otherwise.

    The Python SDK decodes strictly (padding included), the Node one leniently: a
    secret must pass the strict decoder, or Python handlers could never verify.
    """
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("a webhook secret must be a string starting with 'whsec_'")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecret(
            "the part after 'whsec_' must be standard base64 with its '=' padding "
            "(the Python SDK refuses anything else)"
        ) from None
    if not key:
        raise InvalidSecret("the part after 'whsec_' is empty")
    return secret


@functools.lru_cache(maxsize=64)  # decoded once per secret, not once per request
def secret_key(secret: str) -> bytes:
    return base64.b64decode(secret[len(SECRET_PREFIX):])


def sign(secret: str, message_id: str, timestamp_seconds: int, body: str) -> str:
    """The base64 HMAC of one request (no ``v1,`` label)."""
    content = f"{message_id}.{timestamp_seconds}.{body}".encode()
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_header(secrets_: list[str], message_id: str, timestamp_seconds: int,
                     body: str) -> str:
    """``v1,<sig>`` for each valid secret, space-separated (a rolled secret's predecessor)."""
    return " ".join(f"v1,{sign(s, message_id, timestamp_seconds, body)}" for s in secrets_)


# Random bytes below 248 (= 4 × 62) map evenly onto base 62; the rest are dropped.
_TO_BASE62 = bytes(_BASE62[b % 62].encode()[0] for b in range(256))
_UNEVEN = bytes(range(248, 256))


def new_message_id() -> str:
    """``msg_`` + 27 base62 characters, the form of Svix message ids."""
    # One urandom call and one table lookup per byte (cheap: every event pays it on the
    # serving loop); 36 bytes keep 27 below 248 all but never, else draw again.
    while True:
        digits = secrets.token_bytes(36).translate(_TO_BASE62, _UNEVEN)
        if len(digits) >= 27:
            return "msg_" + digits[:27].decode()


def _js_numbers(value: Any) -> Any:
    """Floats as JSON.stringify writes them where Python differs (1.0 -> 1)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() \
            and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {key: _js_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_js_numbers(item) for item in value]
    return value


def serialize_event(event: dict[str, Any]) -> str:
    """The request body: equal to ``JSON.stringify(JSON.parse(body))`` (§1.7)."""
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # An integral float prints as "1.0" or, from 1e16, "1e+16": without either in the
    # text there is none to rewrite (most events: no floats at all), so no second walk.
    if ".0" not in text and "e+" not in text:
        return text
    return json.dumps(_js_numbers(event), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)
