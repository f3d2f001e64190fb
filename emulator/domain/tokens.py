"""The JWTs the emulator mints and checks: access tokens and ID tokens (PROTOCOL.md §2).

An access token (``k: "acc"``) carries its permissions (``perms``: room id or
``prefix*`` → permission strings). An ID token (``k: "id"``) only says who the
user is (``uid``, ``gids``); the room's accesses decide at the door.

Liveblocks' dev server mints unsigned tokens and accepts anything. Ours are
signed (HS256, with the emulator's signing key) and checked, so an app that
leaks access to a private room fails locally too. The official client decodes
the payload and never checks the signature, so signing costs it nothing.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt

from .errors import Forbidden, InvalidInput
from .permissions import (
    MAX_ROOM_PATTERNS,
    NO_ACCESS,
    ROOM_PERMISSIONS,
    RoomAccess,
    RoomAccesses,
    access_from_access_token,
    access_from_id_token,
    is_room_pattern,
)
from .room_inputs import check_organization_id, check_permissions, require_object, shorten

PROJECT_ID = "localdev"  # the `pid` Liveblocks' dev server puts in (and requires of) a token
ALGORITHM = "HS256"


class TokenKind(StrEnum):
    ACCESS = "acc"
    ID = "id"


class TokenRefusal(StrEnum):
    """Why ``verify_token`` refused a token: each failure has its own reason."""

    MALFORMED = "malformed"  # not three base64url parts with a JSON header and payload
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"  # `alg` is "none" or anything but HS256
    BAD_SIGNATURE = "bad_signature"  # signed with another key, or forged
    TAMPERED = "tampered"  # minted with this key, then changed
    UNKNOWN_KIND = "unknown_kind"  # `k` is neither "acc" nor "id"
    INVALID_CLAIMS = "invalid_claims"  # correctly signed, but a claim has the wrong shape
    EXPIRED = "expired"


class InvalidToken(Forbidden):
    """A token ``verify_token`` refused; ``reason`` says why.

    The WebSocket layer closes with 4109 for ``EXPIRED`` (the client fetches a
    new token at once) and 4001 for everything else (the client gives up).
    """

    def __init__(self, reason: TokenRefusal, message: str) -> None:
        code = "TOKEN_EXPIRED" if reason is TokenRefusal.EXPIRED else "INVALID_TOKEN"
        super().__init__(message, code=code)
        self.reason = reason


# ------------------------------------------------------------------ requests


@dataclass(frozen=True, slots=True)
class AccessTokenRequest:
    """A checked ``POST /v2/authorize-user`` body."""

    user_id: str
    permissions: dict[str, list[str]]
    user_info: dict[str, Any] | None = None
    organization_id: str | None = None


@dataclass(frozen=True, slots=True)
class IdTokenRequest:
    """A checked ``POST /v2/identify-user`` (or seed ``/authorize``) body.

    ``anonymous`` says the caller gave no ``userId`` and ``user_id`` was made up.
    """

    user_id: str
    group_ids: list[str] = field(default_factory=list)
    user_info: dict[str, Any] | None = None
    organization_id: str | None = None
    anonymous: bool = False


def parse_access_token_request(body: Any) -> AccessTokenRequest:
    data = require_object(body, "Request body")
    if data.get("permissions") is None:
        raise InvalidInput("permissions is required: an object of room id or pattern → permissions")
    return AccessTokenRequest(
        user_id=_user_id(data.get("userId")),
        permissions=_room_permissions(data["permissions"]),
        user_info=_user_info(data.get("userInfo")),
        organization_id=_organization_id(data.get("organizationId")),
    )


def parse_id_token_request(body: Any, *, allow_anonymous: bool = False) -> IdTokenRequest:
    """With ``allow_anonymous``, a missing ``userId`` becomes a fresh ``anonymous-…`` id."""
    data = require_object(body, "Request body")
    anonymous = allow_anonymous and data.get("userId") is None
    return IdTokenRequest(
        user_id=anonymous_user_id() if anonymous else _user_id(data.get("userId")),
        group_ids=_group_ids(data.get("groupIds")),
        user_info=_user_info(data.get("userInfo")),
        organization_id=_organization_id(data.get("organizationId")),
        anonymous=anonymous,
    )


def anonymous_user_id() -> str:
    # Liveblocks makes up a new id for each anonymous user; so do we, per token.
    return "anonymous-" + secrets.token_hex(8)


def _user_id(value: Any) -> str:
    if value is None:
        raise InvalidInput("userId is required")
    if not isinstance(value, str) or value == "":
        raise InvalidInput("userId must be a non-empty string")
    return value


def _user_info(value: Any) -> dict[str, Any] | None:
    # null is the same as leaving it out: the SDKs send nothing or an object.
    return None if value is None else require_object(value, "userInfo")


def _organization_id(value: Any) -> str | None:
    return None if value is None else check_organization_id(value)


def _group_ids(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(g, str) and g for g in value):
        raise InvalidInput("groupIds must be an array of non-empty strings")
    return list(dict.fromkeys(value))


def _room_permissions(value: Any) -> dict[str, list[str]]:
    patterns = require_object(value, "permissions")
    if len(patterns) > MAX_ROOM_PATTERNS:
        raise InvalidInput(
            f"permissions can have at most {MAX_ROOM_PATTERNS} room ids or patterns "
            f"(got {len(patterns)})"
        )
    checked: dict[str, list[str]] = {}
    for pattern, perms in patterns.items():
        if not is_room_pattern(pattern):
            raise InvalidInput(
                f"permissions key {shorten(pattern)} is not a room id or pattern: use 1–128 "
                "characters without '*', optionally followed by one '*' (or '*' alone)"
            )
        label = f"permissions[{shorten(pattern)}]"
        checked[pattern] = check_permissions(perms, label)
        if not checked[pattern]:
            raise InvalidInput(f"{label} must list at least one permission")
    return checked


# ------------------------------------------------------------------ minting


def mint_access_token(
    request: AccessTokenRequest, *, key: str, now_seconds: int, ttl_seconds: int
) -> str:
    claims = _identity_claims(TokenKind.ACCESS, request.user_id, request.user_info)
    claims["perms"] = request.permissions
    return _sign(claims, request.organization_id, key, now_seconds, ttl_seconds)


def mint_id_token(request: IdTokenRequest, *, key: str, now_seconds: int, ttl_seconds: int) -> str:
    claims = _identity_claims(TokenKind.ID, request.user_id, request.user_info)
    claims["gids"] = request.group_ids
    return _sign(claims, request.organization_id, key, now_seconds, ttl_seconds)


def _identity_claims(
    kind: TokenKind, user_id: str, user_info: dict[str, Any] | None
) -> dict[str, Any]:
    claims: dict[str, Any] = {"k": kind.value, "pid": PROJECT_ID, "uid": user_id}
    if user_info is not None:
        claims["ui"] = user_info
    return claims


def _sign(
    claims: dict[str, Any], organization_id: str | None, key: str, now: int, ttl: int
) -> str:
    if organization_id is not None:
        claims["oid"] = organization_id
    # A fresh jti makes every token string new: the client refuses one it has seen.
    claims.update(iat=now, exp=now + ttl, jti=_token_id(key))
    with _short_keys_allowed():
        return jwt.encode(claims, key, algorithm=ALGORITHM)


def _token_id(key: str) -> str:
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_issuer_mark(key, nonce)}"


def _issuer_mark(key: str, nonce: str) -> str:
    """A MAC of the nonce, so a token whose signature fails can still be recognised as ours.

    That is how ``verify_token`` tells a token minted here and then edited
    (tampered) from one signed with another key or made up (bad signature).
    """
    digest = hmac.new(key.encode(), b"jti:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


@contextlib.contextmanager
def _short_keys_allowed() -> Iterator[None]:
    # A short --signing-key is the user's choice; pyjwt would warn about it on every token.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        yield


# ------------------------------------------------------------------ checking


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The claims of a token that ``verify_token`` accepted."""

    kind: TokenKind
    user_id: str
    user_info: dict[str, Any] | None
    permissions: dict[str, list[str]]  # access tokens; {} for ID tokens
    group_ids: list[str]  # ID tokens; [] for access tokens
    organization_id: str | None
    issued_at: int
    expires_at: int
    token_id: str

    def room_access(self, room_id: str, room: RoomAccesses | None) -> RoomAccess:
        """What this token lets its holder do in ``room_id``.

        ``room`` is None when the room does not exist. An ID token needs the room
        (its accesses decide); an access token does not.
        """
        if self.kind is TokenKind.ACCESS:
            return access_from_access_token(self.permissions, room_id)
        if room is None:
            return NO_ACCESS
        return access_from_id_token(room, self.user_id, self.group_ids)


# Claims are checked here, against the caller's clock, not by pyjwt's wall clock.
_JWT = jwt.PyJWT(
    options={
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
        "verify_aud": False,
        "verify_iss": False,
        "verify_sub": False,
        "verify_jti": False,
    }
)
_DECODE_ERRORS = (jwt.PyJWTError, ValueError, RecursionError)


def verify_token(token: str, key: str, now_seconds: int) -> TokenClaims:
    """The claims of ``token`` if ``key`` signed it and it is still valid, else ``InvalidToken``."""
    try:
        header = jwt.get_unverified_header(token)
    except _DECODE_ERRORS:
        raise InvalidToken(
            TokenRefusal.MALFORMED,
            "The token is not a JWT (three base64url parts: JSON header, JSON payload, signature)",
        ) from None
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        raise InvalidToken(
            TokenRefusal.UNSUPPORTED_ALGORITHM,
            f"The token's algorithm must be {ALGORITHM}, got {_shown(algorithm)}",
        )
    try:
        with _short_keys_allowed():
            payload = _JWT.decode(token, key, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError:
        if _minted_with(key, token):
            raise InvalidToken(
                TokenRefusal.TAMPERED, "The token was changed after the emulator signed it"
            ) from None
        raise InvalidToken(
            TokenRefusal.BAD_SIGNATURE,
            "The token's signature does not match: it was not signed with this emulator's key",
        ) from None
    except _DECODE_ERRORS:
        raise InvalidToken(
            TokenRefusal.MALFORMED, "The token's payload is not a JSON object"
        ) from None
    claims = _claims(payload)
    if now_seconds >= claims.expires_at:
        raise InvalidToken(
            TokenRefusal.EXPIRED,
            f"The token expired {now_seconds - claims.expires_at} s ago; get a new one",
        )
    return claims


def _minted_with(key: str, token: str) -> bool:
    try:
        payload = _JWT.decode(token, options={"verify_signature": False})
    except _DECODE_ERRORS:
        return False
    token_id = payload.get("jti")
    if not isinstance(token_id, str):
        return False
    nonce, _, mark = token_id.partition(".")
    return hmac.compare_digest(mark.encode(), _issuer_mark(key, nonce).encode())


def _claims(payload: dict[str, Any]) -> TokenClaims:
    kind = payload.get("k")
    if kind not in (TokenKind.ACCESS.value, TokenKind.ID.value):
        raise InvalidToken(
            TokenRefusal.UNKNOWN_KIND,
            f"The token's kind (k) must be 'acc' or 'id', got {_shown(kind)}",
        )
    problem = _claims_problem(payload)
    if problem is not None:
        raise InvalidToken(TokenRefusal.INVALID_CLAIMS, f"The token's {problem}")
    return TokenClaims(
        kind=TokenKind(kind),
        user_id=payload["uid"],
        user_info=payload.get("ui"),
        permissions=payload.get("perms", {}) if kind == TokenKind.ACCESS.value else {},
        group_ids=payload.get("gids", []) if kind == TokenKind.ID.value else [],
        organization_id=payload.get("oid"),
        issued_at=payload["iat"],
        expires_at=payload["exp"],
        token_id=payload["jti"],
    )


def _claims_problem(payload: dict[str, Any]) -> str | None:
    """What is wrong with a signed payload's claims, or None."""

    def is_int(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def is_strings(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    checks: list[tuple[bool, str]] = [
        (payload.get("pid") == PROJECT_ID, f"pid must be {PROJECT_ID!r}"),
        (isinstance(payload.get("uid"), str) and payload["uid"] != "", "uid must be a string"),
        (payload.get("ui") is None or isinstance(payload["ui"], dict), "ui must be an object"),
        (payload.get("oid") is None or isinstance(payload["oid"], str), "oid must be a string"),
        (is_int(payload.get("iat")) and is_int(payload.get("exp")), "iat and exp must be integers"),
        (isinstance(payload.get("jti"), str), "jti must be a string"),
    ]
    if payload["k"] == TokenKind.ACCESS.value:
        perms = payload.get("perms")
        valid = isinstance(perms, dict) and all(
            is_strings(scopes) and set(scopes) <= ROOM_PERMISSIONS for scopes in perms.values()
        )
        checks.append((valid, "perms must map room patterns to valid permission lists"))
    else:
        checks.append((is_strings(payload.get("gids", [])), "gids must be an array of strings"))
    return next((message for ok, message in checks if not ok), None)


def _shown(value: Any) -> str:
    return shorten(value) if isinstance(value, str) else repr(value)[:60]
