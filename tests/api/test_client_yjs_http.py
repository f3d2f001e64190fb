"""The browser client's Yjs side calls (/v2/c/…) with the public key or a token: editor
metadata, text mentions, version history; permissions as over the WebSocket."""

from __future__ import annotations

import httpx
from pycrdt import Doc, Text

from tests.realtime.test_token_admission import access_token

PUBLIC = {"Authorization": "Bearer pk_localdev"}


def test_client_calls_with_public_key(http: httpx.Client, anonymous_http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "editor", "defaultAccesses": ["room:write"]})
    base = "/v2/c/rooms/editor"
    reported = anonymous_http.post(base + "/text-metadata", headers=PUBLIC,
                                   json={"type": "tiptap", "rootKey": "default"})
    assert reported.status_code == 200 and reported.json() == {"type": "tiptap", "rootKey": "default"}
    assert anonymous_http.post(base + "/text-metadata", headers=PUBLIC,
                               json={"type": "word"}).status_code == 422
    mention = anonymous_http.post(base + "/text-mentions", headers=PUBLIC,
                                  json={"userId": "alice", "mentionId": "m1"})
    assert mention.json() == {"id": "m1", "kind": "user", "userId": "alice"}
    assert anonymous_http.delete(base + "/text-mentions/m1", headers=PUBLIC).status_code == 204

    doc = Doc()
    doc.get("t", type=Text).insert(0, "v1")
    http.put("/v2/rooms/editor/ydoc", content=doc.get_update(),
             headers={"Content-Type": "application/octet-stream"})
    created = anonymous_http.post(base + "/versions", headers=PUBLIC).json()["data"]["id"]
    listed = anonymous_http.get(base + "/versions", headers=PUBLIC).json()
    assert [v["id"] for v in listed["versions"]] == [created] and "requestedAt" in listed["meta"]
    since = anonymous_http.get(base + "/versions/delta", headers=PUBLIC,
                               params={"since": "2000-01-01T00:00:00.000Z"}).json()
    assert [v["id"] for v in since["versions"]] == [created]
    copy = Doc()
    copy.apply_update(anonymous_http.get(f"{base}/versions/{created}/yjs", headers=PUBLIC).content)
    assert str(copy.get("t", type=Text)) == "v1"
    assert anonymous_http.delete(f"{base}/versions/{created}", headers=PUBLIC).status_code == 204
    assert anonymous_http.get(f"{base}/versions/{created}/yjs", headers=PUBLIC).status_code == 404


def test_client_calls_follow_permissions(http: httpx.Client, anonymous_http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "closed", "defaultAccesses": []})
    base = "/v2/c/rooms/closed"
    assert anonymous_http.get(base + "/versions").status_code == 401
    assert anonymous_http.get(base + "/versions", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert anonymous_http.get(base + "/versions", headers=PUBLIC).status_code == 403
    reader = {"Authorization": "Bearer " + access_token(http, "r", {"closed": ["room:read"]})}
    assert anonymous_http.get(base + "/versions", headers=reader).status_code == 200
    assert anonymous_http.post(base + "/text-metadata", headers=reader,
                               json={"type": "lexical", "rootKey": "root"}).status_code == 200
    assert anonymous_http.post(base + "/versions", headers=reader).status_code == 403
    assert anonymous_http.post(base + "/text-mentions", headers=reader,
                               json={"userId": "a", "mentionId": "m"}).status_code == 403
    assert anonymous_http.get("/v2/c/rooms/missing/versions", headers=PUBLIC).status_code == 404
