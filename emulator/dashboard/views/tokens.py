"""The tokens tab: mint a token for a user (through the REST endpoints), decode one and
say whether this emulator would take it."""

from __future__ import annotations

from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state, read_json
from ...api.responses import JSONResponse
from ...domain.clock import format_ms
from ...domain.room_inputs import require_object
from ...domain.tokens import InvalidToken, TokenKind, verify_token
from ..registry import Tab, view
from ..render import page

KIND_NAMES = {TokenKind.ACCESS: "access", TokenKind.ID: "ID"}


async def tokens_page(request: Request) -> Response:
    return page(request, "tokens.html", tab="tokens")


def _unverified(token: str) -> tuple[Any, Any]:
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except (jwt.PyJWTError, ValueError, RecursionError):
        return None, None
    return header, payload


async def decode_token(request: Request) -> Response:
    """``{header, payload, valid, message}``: what the token says, and the verdict of the
    check the WebSocket door makes (signature with this emulator's key, expiry)."""
    token = require_object(await read_json(request), "Request body").get("token")
    if not isinstance(token, str):
        return JSONResponse({"valid": False, "message": "Paste a token (a string)"})
    state = emulator_state(request)
    token = token.strip()
    header, payload = _unverified(token)
    try:
        claims = verify_token(token, state.config.effective_signing_key, state.clock() // 1000)
    except InvalidToken as invalid:
        return JSONResponse({"header": header, "payload": payload, "valid": False,
                             "message": invalid.message})
    return JSONResponse({"header": header, "payload": payload, "valid": True,
                         "message": f"A valid {KIND_NAMES[claims.kind]} token for "
                         f"'{claims.user_id}', until {format_ms(claims.expires_at * 1000)}"})


TAB = Tab("tokens", "Tokens", [
    view("GET", "/dashboard/tokens", tokens_page),
    view("POST", "/dashboard/decode-token", decode_token, change=True),
], order=30)
