"""Minting and verifying tokens: the claims the client decodes, and a reason for every refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.errors import Forbidden, InvalidInput
from emulator.domain.permissions import NO_ACCESS, ROOM_PERMISSIONS
from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore
from emulator.domain.tokens import (
    AccessTokenRequest,
    IdTokenRequest,
    InvalidToken,
    TokenKind,
    TokenRefusal,
    mint_access_token,
    mint_id_token,
    parse_access_token_request,
    parse_id_token_request,
    verify_token,
)

KEY = "test-signing-key-with-enough-bytes-0123456789"
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
TTL = 3600


def access_token(**fields: Any) -> str:
    request = AccessTokenRequest(**{"user_id": "alice", "permissions": {"*": ["room:write"]}, **fields})
    return mint_access_token(request, key=KEY, now_seconds=NOW, ttl_seconds=TTL)


def id_token(**fields: Any) -> str:
    request = IdTokenRequest(**{"user_id": "alice", **fields})
    return mint_id_token(request, key=KEY, now_seconds=NOW, ttl_seconds=TTL)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return (json.loads(base64.urlsafe_b64decode(header + "==")),
            json.loads(base64.urlsafe_b64decode(payload + "==")), signature)


def assemble(header: dict[str, Any], payload: Any, signature: str) -> str:
    return ".".join([b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), signature])


def signed(payload: dict[str, Any], key: str = KEY) -> str:
    return jwt.encode(payload, key, algorithm="HS256")


def refusal(token: str, *, key: str = KEY, now: int = NOW + 1) -> TokenRefusal:
    with pytest.raises(InvalidToken) as info:
        verify_token(token, key, now)
    assert info.value.message
    return info.value.reason


# ------------------------------------------------------------------ claims


def test_access_token_claims() -> None:
    token = access_token(user_info={"name": "Alice"}, permissions={"room-1": ["*:write"], "org:*": ["*:read"]})
    header, payload, _ = parts(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert payload["k"] == "acc"
    assert payload["pid"] == "localdev"
    assert payload["uid"] == "alice"
    assert payload["ui"] == {"name": "Alice"}
    assert payload["perms"] == {"room-1": ["*:write"], "org:*": ["*:read"]}
    assert payload["iat"] == NOW and payload["exp"] == NOW + TTL
    assert isinstance(payload["jti"], str) and payload["jti"]
    assert "gids" not in payload and "oid" not in payload
    # Any standard JWT library verifies it with the signing key.
    assert jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False}) == payload


def test_id_token_claims() -> None:
    payload = parts(id_token(group_ids=["eng", "product"], organization_id="acme"))[1]
    assert payload["k"] == "id"
    assert payload["uid"] == "alice"
    assert payload["gids"] == ["eng", "product"]
    assert payload["oid"] == "acme"
    assert "perms" not in payload and "ui" not in payload


def test_verify_returns_the_claims() -> None:
    claims = verify_token(access_token(user_info={"n": 1}, organization_id="org"), KEY, NOW)
    assert claims.kind is TokenKind.ACCESS
    assert (claims.user_id, claims.user_info, claims.organization_id) == ("alice", {"n": 1}, "org")
    assert claims.permissions == {"*": ["room:write"]}
    assert claims.group_ids == []
    assert (claims.issued_at, claims.expires_at) == (NOW, NOW + TTL)
    ids = verify_token(id_token(group_ids=["g"]), KEY, NOW)
    assert ids.kind is TokenKind.ID and ids.group_ids == ["g"] and ids.permissions == {}


def test_every_call_mints_a_new_token() -> None:
    # The client refuses a token string it has seen before.
    tokens = {access_token() for _ in range(50)} | {id_token() for _ in range(50)}
    assert len(tokens) == 100
    assert len({parts(t)[1]["jti"] for t in tokens}) == 100


def test_a_short_signing_key_works_without_warnings(recwarn: pytest.WarningsRecorder) -> None:
    request = IdTokenRequest(user_id="u")
    token = mint_id_token(request, key="short", now_seconds=NOW, ttl_seconds=TTL)
    assert verify_token(token, "short", NOW).user_id == "u"
    assert not [w for w in recwarn if "HMAC key" in str(w.message)]


def test_room_access_of_each_kind() -> None:
    rooms = RoomStore(lambda: 0)
    room = rooms.create(RoomCreation(id="r", default_accesses=[], users_accesses={"alice": ["room:write"]}))
    acc = verify_token(access_token(permissions={"r": ["room:read"]}), KEY, NOW)
    assert acc.room_access("r", None).scopes == ["room:read"]  # no room needed
    assert acc.room_access("other", None) == NO_ACCESS
    ident = verify_token(id_token(), KEY, NOW)
    assert ident.room_access("r", room).may_write_storage
    assert ident.room_access("missing", None) == NO_ACCESS


# ------------------------------------------------------------------ refusals


def test_valid_until_the_second_it_expires() -> None:
    token = access_token()
    assert verify_token(token, KEY, NOW + TTL - 1).user_id == "alice"
    assert refusal(token, now=NOW + TTL) is TokenRefusal.EXPIRED
    assert refusal(token, now=NOW + 10 * TTL) is TokenRefusal.EXPIRED


def test_expired_is_its_own_error_code() -> None:
    with pytest.raises(InvalidToken) as info:
        verify_token(id_token(), KEY, NOW + TTL)
    assert info.value.code == "TOKEN_EXPIRED"
    assert isinstance(info.value, Forbidden)
    with pytest.raises(InvalidToken) as other:
        verify_token(id_token(), "another-key", NOW)
    assert other.value.code == "INVALID_TOKEN"


def _with_payload(change: Callable[[dict[str, Any]], None]) -> str:
    header, payload, signature = parts(access_token())
    change(payload)
    return assemble(header, payload, signature)


def _unsigned(payload: dict[str, Any]) -> str:
    # What Liveblocks' dev server mints: alg none and an empty signature.
    return assemble({"alg": "none", "typ": "JWT"}, payload, "")


VALID_PAYLOAD = parts(access_token())[1]
FORGED_PAYLOAD = {**VALID_PAYLOAD, "jti": "made-up"}

REFUSALS: list[tuple[str, Callable[[], str], TokenRefusal]] = [
    ("empty", lambda: "", TokenRefusal.MALFORMED),
    ("the secret key", lambda: "sk_localdev", TokenRefusal.MALFORMED),
    ("the signing key", lambda: KEY, TokenRefusal.MALFORMED),
    ("two parts", lambda: "a.b", TokenRefusal.MALFORMED),
    ("four parts", lambda: access_token() + ".x", TokenRefusal.MALFORMED),
    ("bad base64", lambda: "!!!.???.***", TokenRefusal.MALFORMED),
    ("header not JSON", lambda: b64(b"nope") + "." + access_token().split(".", 1)[1], TokenRefusal.MALFORMED),
    ("header a list", lambda: b64(b"[1]") + "." + access_token().split(".", 1)[1], TokenRefusal.MALFORMED),
    ("payload a list", lambda: signed_raw(b"[1, 2]"), TokenRefusal.MALFORMED),
    ("payload not JSON", lambda: signed_raw(b"{nope"), TokenRefusal.MALFORMED),
    ("alg none", lambda: _unsigned(VALID_PAYLOAD), TokenRefusal.UNSUPPORTED_ALGORITHM),
    ("alg None spelled differently", lambda: assemble({"alg": "NONE"}, VALID_PAYLOAD, ""), TokenRefusal.UNSUPPORTED_ALGORITHM),
    ("alg missing", lambda: assemble({"typ": "JWT"}, VALID_PAYLOAD, b64(b"sig")), TokenRefusal.UNSUPPORTED_ALGORITHM),
    ("HS512", lambda: jwt.encode(VALID_PAYLOAD, KEY * 2, algorithm="HS512"), TokenRefusal.UNSUPPORTED_ALGORITHM),
    # Minted by another emulator (another signing key).
    ("wrong key", lambda: mint_access_token(AccessTokenRequest("alice", {"*": ["room:write"]}), key="another-key", now_seconds=NOW, ttl_seconds=TTL), TokenRefusal.BAD_SIGNATURE),
    ("forged", lambda: signed(FORGED_PAYLOAD, "another-key-another-key-another-key"), TokenRefusal.BAD_SIGNATURE),
    ("forged, unsigned", lambda: assemble({"alg": "HS256"}, FORGED_PAYLOAD, ""), TokenRefusal.BAD_SIGNATURE),
    # Minted here, then changed.
    ("signature replaced", lambda: access_token().rsplit(".", 1)[0] + "." + b64(b"\0" * 32), TokenRefusal.TAMPERED),
    ("signature stripped", lambda: access_token().rsplit(".", 1)[0] + ".", TokenRefusal.TAMPERED),
    ("re-signed with another key", lambda: signed(VALID_PAYLOAD, "another-key-another-key-another-key"), TokenRefusal.TAMPERED),
    ("forged payload, made-up jti", lambda: _with_payload(lambda p: p.update(jti="x.y")), TokenRefusal.BAD_SIGNATURE),
    ("tampered perms", lambda: _with_payload(lambda p: p.update(perms={"*": ["*:write"]})), TokenRefusal.TAMPERED),
    ("tampered uid", lambda: _with_payload(lambda p: p.update(uid="admin")), TokenRefusal.TAMPERED),
    ("tampered exp", lambda: _with_payload(lambda p: p.update(exp=p["exp"] + 10**6)), TokenRefusal.TAMPERED),
    ("tampered header", lambda: assemble({**parts(access_token())[0], "kid": "x"}, *parts(access_token())[1:]), TokenRefusal.TAMPERED),
    ("unknown kind", lambda: signed({**VALID_PAYLOAD, "k": "sec-legacy"}), TokenRefusal.UNKNOWN_KIND),
    ("no kind", lambda: signed({k: v for k, v in VALID_PAYLOAD.items() if k != "k"}), TokenRefusal.UNKNOWN_KIND),
    ("unknown permission", lambda: signed({**VALID_PAYLOAD, "perms": {"*": ["room:admin"]}}), TokenRefusal.INVALID_CLAIMS),
    ("no uid", lambda: signed({k: v for k, v in VALID_PAYLOAD.items() if k != "uid"}), TokenRefusal.INVALID_CLAIMS),
    ("exp as text", lambda: signed({**VALID_PAYLOAD, "exp": "soon"}), TokenRefusal.INVALID_CLAIMS),
    ("another project", lambda: signed({**VALID_PAYLOAD, "pid": "prod"}), TokenRefusal.INVALID_CLAIMS),
    ("gids not strings", lambda: signed({**VALID_PAYLOAD, "k": "id", "gids": [1]}), TokenRefusal.INVALID_CLAIMS),
    ("expired", lambda: signed({**VALID_PAYLOAD, "exp": NOW - 1}), TokenRefusal.EXPIRED),
]


def signed_raw(payload: bytes) -> str:
    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(payload)
    mac = hmac.new(KEY.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(mac)


@pytest.mark.parametrize(("make", "reason"), [(m, r) for _, m, r in REFUSALS], ids=[n for n, _, _ in REFUSALS])
def test_each_bad_token_is_refused_with_its_reason(make: Callable[[], str], reason: TokenRefusal) -> None:
    assert refusal(make()) is reason


def test_the_reasons_are_all_different() -> None:
    assert len({r.value for r in TokenRefusal}) == len(TokenRefusal)
    assert {r for _, _, r in REFUSALS} == set(TokenRefusal)


@given(st.text(max_size=300))
def test_any_text_is_refused_cleanly(text: str) -> None:
    with pytest.raises(InvalidToken):
        verify_token(text, KEY, NOW)


@given(st.lists(st.binary(max_size=80), min_size=3, max_size=3))
def test_any_three_parts_are_refused_cleanly(chunks: list[bytes]) -> None:
    with pytest.raises(InvalidToken):
        verify_token(".".join(b64(c) for c in chunks), KEY, NOW)


def test_deeply_nested_payload_is_refused_cleanly() -> None:
    assert refusal(signed_raw(b"[" * 100_000 + b"]" * 100_000)) is TokenRefusal.MALFORMED


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=10)


@given(claim=st.sampled_from(sorted(VALID_PAYLOAD)), value=json_scalars)
def test_changing_any_claim_breaks_the_signature(claim: str, value: Any) -> None:
    header, payload, signature = parts(access_token())
    if payload[claim] == value:
        return
    payload[claim] = value
    reason = refusal(assemble(header, payload, signature))
    assert reason in (TokenRefusal.TAMPERED, TokenRefusal.BAD_SIGNATURE)  # jti edits lose the mark


# ------------------------------------------------------------------ request bodies


def test_access_token_request_is_checked() -> None:
    request = parse_access_token_request(
        {"userId": "u", "permissions": {"a*": ["*:write", "*:write"]}, "userInfo": None, "organizationId": "o"}
    )
    assert request == AccessTokenRequest(user_id="u", permissions={"a*": ["*:write"]}, organization_id="o")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "Request body"),
        ({"permissions": {}}, "userId is required"),
        ({"userId": "", "permissions": {}}, "userId"),
        ({"userId": 5, "permissions": {}}, "userId"),
        ({"userId": "u"}, "permissions is required"),
        ({"userId": "u", "permissions": []}, "permissions"),
        ({"userId": "u", "permissions": {f"r{i}": ["*:read"] for i in range(11)}}, "at most 10"),
        ({"userId": "u", "permissions": {"a*b": ["*:read"]}}, "'a*b' is not a room id or pattern"),
        ({"userId": "u", "permissions": {"": ["*:read"]}}, "pattern"),
        ({"userId": "u", "permissions": {"**": ["*:read"]}}, "pattern"),
        ({"userId": "u", "permissions": {"x" * 129: ["*:read"]}}, "pattern"),
        ({"userId": "u", "permissions": {"r": []}}, "at least one permission"),
        ({"userId": "u", "permissions": {"r": ["room:admin"]}}, "invalid permission 'room:admin'"),
        ({"userId": "u", "permissions": {"r": "room:write"}}, "permissions['r'] must be an array"),
        ({"userId": "u", "permissions": {}, "userInfo": "Alice"}, "userInfo must be a JSON object"),
        ({"userId": "u", "permissions": {}, "organizationId": 3}, "organizationId"),
    ],
)
def test_bad_access_token_requests_name_the_field(body: Any, words: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_access_token_request(body)
    assert words in info.value.message


def test_patterns_at_the_limits_are_accepted() -> None:
    patterns = {"*": ["*:read"], "x" * 128: ["*:read"], "y" * 128 + "*": ["*:read"]}
    patterns |= {f"r{i}": ["*:read"] for i in range(7)}
    assert len(parse_access_token_request({"userId": "u", "permissions": patterns}).permissions) == 10


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "userId is required"),
        ({"userId": ""}, "userId"),
        ({"userId": "u", "groupIds": "eng"}, "groupIds"),
        ({"userId": "u", "groupIds": ["eng", 1]}, "groupIds"),
        ({"userId": "u", "groupIds": [""]}, "groupIds"),
        ({"userId": "u", "userInfo": [1]}, "userInfo"),
    ],
)
def test_bad_id_token_requests_name_the_field(body: Any, words: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_id_token_request(body)
    assert words in info.value.message


def test_anonymous_id_token_requests_get_fresh_ids() -> None:
    first = parse_id_token_request({}, allow_anonymous=True)
    second = parse_id_token_request({"userId": None}, allow_anonymous=True)
    assert first.anonymous and second.anonymous
    assert first.user_id.startswith("anonymous-") and first.user_id != second.user_id
    named = parse_id_token_request({"userId": "bob", "groupIds": ["g", "g"]}, allow_anonymous=True)
    assert not named.anonymous and named.user_id == "bob" and named.group_ids == ["g"]


user_ids = st.text(min_size=1, max_size=40)
permission_lists = st.lists(st.sampled_from(sorted(ROOM_PERMISSIONS)), min_size=1, max_size=4)
patterns = st.text(alphabet=st.characters(blacklist_characters="*"), min_size=1, max_size=20).flatmap(
    lambda p: st.sampled_from([p, p + "*"])
) | st.just("*")


@given(
    user_id=user_ids,
    perms=st.dictionaries(patterns, permission_lists, max_size=10),
    info=st.none() | st.dictionaries(st.text(max_size=5), json_scalars, max_size=3),
)
def test_any_valid_request_round_trips(user_id: str, perms: dict[str, list[str]], info: Any) -> None:
    body = {"userId": user_id, "permissions": perms, "userInfo": info}
    token = mint_access_token(parse_access_token_request(body), key=KEY, now_seconds=NOW, ttl_seconds=TTL)
    claims = verify_token(token, KEY, NOW)
    assert claims.user_id == user_id
    assert claims.user_info == info
    assert claims.permissions == {k: list(dict.fromkeys(v)) for k, v in perms.items()}
