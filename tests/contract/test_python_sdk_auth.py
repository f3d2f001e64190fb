"""The official Python SDK gets tokens that verify with the emulator's key and carry its claims."""

from __future__ import annotations

import pytest
from liveblocks import AsyncLiveblocks, Liveblocks, LiveblocksError
from liveblocks.models.identify_user_request_body import IdentifyUserRequestBody

from emulator.domain.tokens import TokenClaims, TokenKind, verify_token
from emulator.server import BackgroundServer
from tests.isolated_loop import run_isolated


def verified(server: BackgroundServer, token: str) -> TokenClaims:
    state = server.state
    return verify_token(token, state.config.effective_signing_key, state.clock() // 1000)


def test_prepare_session_authorize(server: BackgroundServer, sdk: Liveblocks) -> None:
    session = sdk.prepare_session("alice", user_info={"name": "Alice", "colors": ["red"]},
                                  organization_id="acme")
    session.allow("design:9Hdu73", session.FULL_ACCESS)
    session.allow("product:*", ["*:read", "comments:write"])
    result = session.authorize()

    claims = verified(server, result.token)
    assert claims.kind is TokenKind.ACCESS
    assert claims.user_id == "alice"
    assert claims.user_info == {"name": "Alice", "colors": ["red"]}
    assert claims.organization_id == "acme"
    assert claims.permissions == {"design:9Hdu73": ["*:write"], "product:*": ["*:read", "comments:write"]}
    assert claims.expires_at - claims.issued_at == server.state.config.token_ttl_seconds
    assert claims.room_access("design:9Hdu73", None).may_write_storage
    product = claims.room_access("product:launch", None)
    assert product.may_enter and not product.may_write_storage and product.may_write_comments
    assert not claims.room_access("design:other", None).may_enter


def test_each_session_gets_a_new_token(sdk: Liveblocks) -> None:
    tokens = {sdk.prepare_session("alice").allow("*", ["*:write"]).authorize().token for _ in range(5)}
    assert len(tokens) == 5


def test_identify_user(server: BackgroundServer, sdk: Liveblocks) -> None:
    body = IdentifyUserRequestBody.from_dict(
        {"userId": "bob", "groupIds": ["engineering"], "userInfo": {"name": "Bob"},
         "organizationId": "acme"}
    )
    claims = verified(server, sdk.identify_user(body=body).token)
    assert claims.kind is TokenKind.ID
    assert (claims.user_id, claims.group_ids) == ("bob", ["engineering"])
    assert claims.user_info == {"name": "Bob"}
    assert claims.organization_id == "acme"
    assert claims.permissions == {}


def test_identify_user_with_only_a_user_id(server: BackgroundServer, sdk: Liveblocks) -> None:
    claims = verified(server, sdk.identify_user(body=IdentifyUserRequestBody(user_id="carol")).token)
    assert (claims.user_id, claims.group_ids, claims.user_info) == ("carol", [], None)


def test_async_session(server: BackgroundServer) -> None:
    async def authorize() -> str:
        async with AsyncLiveblocks(secret="sk_localdev", base_url=server.base_url) as client:
            session = client.prepare_session("dana").allow("room-*", ["room:write"])
            return (await session.authorize()).token

    assert verified(server, run_isolated(authorize())).permissions == {"room-*": ["room:write"]}


def test_a_wrong_secret_is_refused(server: BackgroundServer) -> None:
    with (
        Liveblocks(secret="sk_not_the_one", base_url=server.base_url) as client,
        pytest.raises(LiveblocksError) as info,
    ):
        client.prepare_session("alice").allow("*", ["*:read"]).authorize()
    assert info.value.status == 403


def test_refusals_reach_the_sdk_with_a_message(sdk: Liveblocks) -> None:
    # The SDK checks what it can before sending; what it cannot check comes back as 422.
    body = IdentifyUserRequestBody.from_dict({"userId": "bob", "groupIds": ["ok", ""]})
    with pytest.raises(LiveblocksError) as info:
        sdk.identify_user(body=body)
    assert info.value.status == 422
    assert "groupIds" in str(info.value)
