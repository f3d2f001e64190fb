"""Signing and serialization, byte for byte (WEBHOOKS.md §1), checked against the SDK."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st
from liveblocks import WebhookHandler

from emulator.domain.webhook_signing import (
    InvalidSecret,
    _js_numbers,
    check_secret,
    generate_secret,
    new_message_id,
    serialize_event,
    signature_header,
)

GOLDEN_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
GOLDEN_ID = "msg_2KvLUhLIHZtzZnNgUWv3PhGYf5f"
GOLDEN_TIMESTAMP = 1674850126
GOLDEN_BODY = (
    '{"type":"userEntered","data":{"projectId":"605a50b01a36d5ea7a2e9104",'
    '"roomId":"hero-grid-12-01-2022","connectionId":2196,"userId":"iepRYL2EWVHx8IcKVqhvZ6xljn",'
    '"userInfo":null,"enteredAt":"2023-01-27T20:08:40.693Z","numActiveUsers":2}}'
)


def test_golden_vector() -> None:
    header = signature_header([GOLDEN_SECRET], GOLDEN_ID, GOLDEN_TIMESTAMP, GOLDEN_BODY)
    assert header == "v1,s5UhiBFpUIkNAWA5HHpBBvJVhbrXFtao3NT5MgjBmcY="


def test_the_serializer_writes_the_golden_body_from_its_event() -> None:
    assert serialize_event(json.loads(GOLDEN_BODY)) == GOLDEN_BODY


def test_the_python_sdk_accepts_the_golden_vector() -> None:
    headers = {"webhook-id": GOLDEN_ID, "webhook-timestamp": str(GOLDEN_TIMESTAMP),
               "webhook-signature": "v1,s5UhiBFpUIkNAWA5HHpBBvJVhbrXFtao3NT5MgjBmcY="}
    with mock.patch("time.time", return_value=GOLDEN_TIMESTAMP):
        event = WebhookHandler(GOLDEN_SECRET).verify_request(headers=headers,
                                                             raw_body=GOLDEN_BODY)
    assert event["data"]["connectionId"] == 2196


def test_generated_secrets_are_padded_base64_both_sdks_read() -> None:
    for _ in range(50):
        secret = generate_secret()
        assert check_secret(secret) == secret
        assert len(secret) == 38 and len(base64.b64decode(secret[6:], validate=True)) == 24
        WebhookHandler(secret)  # the strict Python decoder accepts it


@pytest.mark.parametrize("secret", [
    "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  # no prefix
    "whsec_wPbvQ+u3VtN2e2tRPDKchQ1tBZ3svaHLm",  # 33 chars: Node reads it, Python refuses
    "whsec_",
    "whsec_not base64!",
])
def test_secrets_the_python_sdk_would_refuse_are_refused(secret: str) -> None:
    with pytest.raises(InvalidSecret):
        check_secret(secret)


def test_message_ids_look_like_svix_ids() -> None:
    ids = {new_message_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("msg_") and len(i) == 31 and i[4:].isalnum() for i in ids)


def test_bodies_survive_a_json_stringify_round_trip() -> None:
    event = {"type": "userEntered", "data": {"userInfo": {"name": "Zoë 👍", "n": 1.0,
                                                           "x": 0.5}}}
    body = serialize_event(event)
    # What JSON.stringify(JSON.parse(body)) writes: UTF-8 kept, 1.0 as 1, compact.
    assert body == '{"type":"userEntered","data":{"userInfo":{"name":"Zoë 👍","n":1,"x":0.5}}}'


@given(key=st.binary(min_size=1, max_size=200), body=st.text(max_size=300),
       timestamp=st.integers(min_value=0, max_value=2**40))
def test_the_signature_is_the_standard_hmac_sha256(key: bytes, body: str, timestamp: int) -> None:
    """sign() keys SHA-256 once per secret (RFC 2104 by hand): equal to hmac.new's, for
    keys shorter and longer than a block."""
    secret = "whsec_" + base64.b64encode(key).decode()
    expected = hmac.new(key, f"msg_x.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    assert signature_header([secret], "msg_x", timestamp, body) == \
        "v1," + base64.b64encode(expected).decode()


@given(event=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                  max_size=4),
    max_leaves=12))
def test_bodies_are_what_json_stringify_writes(event: Any) -> None:
    """The fast path (one C encoder, substring checks for float text) writes what the
    exact walk does: every integral float as an integer, the rest as json.dumps."""
    body = serialize_event({"type": "t", "data": event})
    assert body == json.dumps(_js_numbers({"type": "t", "data": event}), ensure_ascii=False,
                              separators=(",", ":"))
