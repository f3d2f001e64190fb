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
import json
import math
import secrets
from collections.abc import Callable, Iterable
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
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
    inner, outer = _keyed_sha256(secret)
    inner = inner.copy()
    inner.update(f"{message_id}.{timestamp_seconds}.{body}".encode())
    outer = outer.copy()
    outer.update(inner.digest())
    return base64.b64encode(outer.digest()).decode()


@functools.lru_cache(maxsize=64)
def _keyed_sha256(secret: str) -> tuple[Any, Any]:
    """HMAC-SHA256 (RFC 2104) with the key's two padded blocks hashed once per secret:
    a request then costs two hash copies (~1.3 µs, against ~3-4 µs for ``hmac.digest``
    or ``hmac.new``, which key OpenSSL afresh on every call)."""
    key = secret_key(secret)
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    return (hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD)))


_SHA256_BLOCK = 64
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))


def signature_header(secrets_: list[str], message_id: str, timestamp_seconds: int,
                     body: str) -> str:
    """``v1,<sig>`` for each valid secret, space-separated (a rolled secret's predecessor)."""
    return " ".join(f"v1,{sign(s, message_id, timestamp_seconds, body)}" for s in secrets_)


# Random bytes below 248 (= 4 × 62) map evenly onto base 62; the rest are dropped.
_TO_BASE62 = bytes(_BASE62[b % 62].encode()[0] for b in range(256))
_UNEVEN = bytes(range(248, 256))
_ID_DIGITS = 27


class _Base62Pool:
    """Random base62 digits, drawn from the OS a few kilobytes at a time: every event pays
    for an id on the serving loop, and one ``urandom`` call per id is a system call."""

    __slots__ = ("_at", "_digits")

    def __init__(self) -> None:
        self._digits = b""
        self._at = 0

    def take(self, count: int) -> bytes:
        if self._at + count > len(self._digits):
            self._digits = secrets.token_bytes(4096).translate(_TO_BASE62, _UNEVEN)
            self._at = 0
        taken = self._digits[self._at:self._at + count]
        self._at += count
        return taken


_POOL = _Base62Pool()


def new_message_id() -> str:
    """``msg_`` + 27 base62 characters, the form of Svix message ids."""
    return "msg_" + _POOL.take(_ID_DIGITS).decode()


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


# json.dumps(..., ensure_ascii=False, separators=(",", ":"), allow_nan=False), with the C
# encoder made once (json.dumps makes an encoder per call: ~5 µs against ~1.5 µs).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_encode: Callable[[Any], Iterable[str]] = _ENCODER.iterencode
if c_make_encoder is not None:
    _encode = functools.partial(c_make_encoder(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False,
        False), _current_indent_level=0)  # markers None: events are trees of JSON values

def serialize_event(event: dict[str, Any]) -> str:
    """The request body: equal to ``JSON.stringify(JSON.parse(body))`` (§1.7)."""
    text = "".join(_encode(event))
    # Where Python's float text differs from JavaScript's: an integral float written
    # "1.0" (then followed by ``,``, ``]`` or ``}``) or with an exponent ("1e+16",
    # "1.5e+16"). Substring scans in C (a regex costs more than the encoding); a string
    # that merely holds such text only takes the slower, exact path.
    if ".0," not in text and ".0]" not in text and ".0}" not in text and "e+" not in text:
        return text
    return "".join(_encode(_js_numbers(event)))
