"""Who calls the browser API (``/v2/c/…``) and what they may do in a room.

The client sends ``Authorization: Bearer <token>``: an access or ID token the emulator
minted, or the public key itself (``publicApiKey`` apps). Missing: 401; a token that does
not verify (bad, expired, foreign): 403 — the client then asks its auth endpoint again.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Forbidden, Unauthorized
from ..domain.permissions import (
    Levels,
    RoomAccess,
    access_from_public_key,
    resource_levels,
)
from ..domain.rooms import Room
from ..domain.tokens import TokenClaims, verify_token

Handler = Callable[[Request], Awaitable[Response]]

# Which user a public-key caller is: Liveblocks does not say (COMMENTS.md §1.2); one
# shared id lets such a user edit and delete what they wrote.
PUBLIC_KEY_USER = "anonymous"


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: str
    claims: TokenClaims | None  # None: the public key

    def access(self, room: Room) -> RoomAccess:
        if self.claims is None:
            return access_from_public_key(room)
        return self.claims.room_access(room.id, room)

    def levels(self, room: Room) -> tuple[RoomAccess, Levels]:
        access = self.access(room)
        levels = resource_levels(access.scopes) if access.may_enter else None
        return access, levels or {}


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("Missing Authorization header; send 'Authorization: Bearer <token>' "
                           "(the token of your auth endpoint, or the public key)",
                           code="MISSING_AUTHORIZATION")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Forbidden("The Authorization header must be 'Bearer <token>'",
                        code="INVALID_AUTHORIZATION")
    return credential.strip()


def client_caller(request: Request) -> Caller:
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, Caller):
        return cached
    state = request.app.state.emulator
    credential = _bearer(request)
    if credential.startswith("pk_"):
        if not hmac.compare_digest(credential.encode(), state.config.public_key.encode()):
            raise Forbidden("Invalid public key", code="INVALID_PUBLIC_KEY")
        caller = Caller(PUBLIC_KEY_USER, None)
    else:
        claims = verify_token(credential, state.config.effective_signing_key,
                              state.clock() // 1000)
        caller = Caller(claims.user_id, claims)
    request.state.caller = caller
    return caller


def client_required(handler: Handler) -> Handler:
    """The guard of browser routes. Not ``functools.wraps``: a wrapped handler marks a
    secret-key route (tests/api/test_openapi_drift.py)."""

    async def guarded(request: Request) -> Response:
        client_caller(request)
        return await handler(request)

    guarded.__name__ = handler.__name__
    return guarded
