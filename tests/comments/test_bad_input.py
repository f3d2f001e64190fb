"""Bad input to Comments gets a clear 4xx with the JSON error body, and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.domain.comments_attachments import MAX_ATTACHMENT_BYTES
from emulator.server import BackgroundServer

ROOM = "bad-input"
BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "ok"}]}]}


def paragraph(*children: Any) -> dict[str, Any]:
    return {"version": 1, "content": [{"type": "paragraph", "children": list(children)}]}


@pytest.fixture
def thread(http: httpx.Client) -> dict[str, Any]:
    assert http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": ["room:write"]}
                     ).status_code == 200
    made = http.post(f"/v2/rooms/{ROOM}/threads", json={"comment": {"userId": "alice",
                                                                    "body": BODY}})
    assert made.status_code == 200
    return dict(made.json())


def unchanged(http: httpx.Client, thread: dict[str, Any]) -> None:
    assert http.get(f"/v2/rooms/{ROOM}/threads").json()["data"] == [thread]


def refused(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["error"] and body["message"]
    return body


MALFORMED_BODIES = [
    None, "text", [], {}, {"version": 2, "content": []}, {"version": 1},
    {"version": 1, "content": {}}, {"version": 1, "content": [{"type": "heading"}]},
    {"version": 1, "content": [{"type": "paragraph"}]},
    paragraph({"text": 3}), paragraph({"text": "x", "bold": "yes"}),
    paragraph({"type": "mention"}), paragraph({"type": "mention", "kind": "team", "id": "x"}),
    paragraph({"type": "link"}), paragraph({"type": "image", "url": "x"}), paragraph("x"),
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_comment_bodies(server: BackgroundServer, http: httpx.Client,
                                  thread: dict[str, Any], body: Any) -> None:
    answer = http.post(f"/v2/rooms/{ROOM}/threads/{thread['id']}/comments",
                       json={"userId": "bob", "body": body})
    refused(answer, 422)
    refused(http.post(f"/v2/rooms/{ROOM}/threads", json={"comment": {"userId": "bob",
                                                                      "body": body}}), 422)
    unchanged(http, thread)


def test_unknown_ids_are_404(server: BackgroundServer, http: httpx.Client,
                             thread: dict[str, Any]) -> None:
    comment = thread["comments"][0]["id"]
    base = f"/v2/rooms/{ROOM}/threads"
    for method, path, body in [
        ("GET", f"{base}/th_nope", None),
        ("DELETE", f"{base}/th_nope", None),
        ("POST", f"{base}/th_nope/comments", {"userId": "u", "body": BODY}),
        ("GET", f"{base}/{thread['id']}/comments/cm_nope", None),
        ("POST", f"{base}/{thread['id']}/comments/cm_nope", {"body": BODY}),
        ("DELETE", f"{base}/{thread['id']}/comments/cm_nope", None),
        ("POST", f"{base}/{thread['id']}/comments/{comment}/remove-reaction",
         {"emoji": "👍", "userId": "u"}),
        ("GET", "/v2/rooms/no-such-room/threads", None),
        ("POST", "/v2/rooms/no-such-room/threads", {"comment": {"userId": "u", "body": BODY}}),
        ("GET", f"/v2/rooms/{ROOM}/attachments/at_nope", None),
    ]:
        body_json = refused(http.request(method, path, json=body), 404)
        assert body_json["error"].endswith("NOT_FOUND"), (path, body_json)
    unchanged(http, thread)


def test_metadata_limits(server: BackgroundServer, http: httpx.Client,
                         thread: dict[str, Any]) -> None:
    path = f"/v2/rooms/{ROOM}/threads/{thread['id']}/metadata"
    for metadata in [{"k" * 41: 1}, {"k": "v" * 4001}, {"k": [1]}, {"k": {"a": 1}},
                     {f"k{i}": i for i in range(51)}, "text"]:
        refused(http.post(path, json={"metadata": metadata, "userId": "u"}), 422)
    http.post(path, json={"metadata": {f"k{i}": i for i in range(50)}, "userId": "u"})
    refused(http.post(path, json={"metadata": {"one-more": 1}, "userId": "u"}), 422)
    assert len(http.get(f"/v2/rooms/{ROOM}/threads/{thread['id']}").json()["metadata"]) == 50


def test_other_bad_fields(server: BackgroundServer, http: httpx.Client,
                          thread: dict[str, Any]) -> None:
    base = f"/v2/rooms/{ROOM}/threads"
    comment = thread["comments"][0]["id"]
    refused(http.post(base, json={"comment": {"userId": "", "body": BODY}}), 422)
    refused(http.post(base, json={"comment": {"userId": "u", "body": BODY},
                                  "visibility": "secret"}), 422)
    refused(http.post(base, json={"comment": {"userId": "u", "body": BODY,
                                              "createdAt": "yesterday"}}), 422)
    refused(http.post(base, json={"comment": {"userId": "u", "body": BODY,
                                              "attachmentIds": ["at_missing"]}}), 422)
    refused(http.post(f"{base}/{thread['id']}/comments/{comment}/add-reaction",
                      json={"emoji": "", "userId": "u"}), 422)
    refused(http.post(base, content=b"{not json"), 400)
    refused(http.get(f"{base}?query=metadata['x']>'a'"), 422)
    refused(http.get(f"{base}?query=resolved:"), 422)
    unchanged(http, thread)


def client_token(http: httpx.Client, user: str) -> dict[str, str]:
    answer = http.post("/v2/authorize-user", json={"userId": user,
                                                   "permissions": {ROOM: ["room:write"]}})
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_browser_editing_someone_elses_comment(server: BackgroundServer, http: httpx.Client,
                                               anonymous_http: httpx.Client,
                                               thread: dict[str, Any]) -> None:
    bob = client_token(http, "bob")
    base = f"/v2/c/rooms/{ROOM}/threads/{thread['id']}"
    comment = thread["comments"][0]["id"]
    refused(anonymous_http.post(f"{base}/comments/{comment}", headers=bob,
                                json={"body": BODY}), 403)
    refused(anonymous_http.delete(f"{base}/comments/{comment}", headers=bob), 403)
    refused(anonymous_http.delete(base, headers=bob), 403)
    for bad in [{"id": "nope", "body": BODY}, {"id": "cm_x", "body": {}},
                {"id": "cm_" + "x" * 200, "body": BODY}]:
        refused(anonymous_http.post(f"{base}/comments", headers=bob, json=bad), 422)
    refused(anonymous_http.get(f"/v2/c/rooms/{ROOM}/threads/delta", headers=bob), 422)
    refused(anonymous_http.get(f"/v2/c/rooms/{ROOM}/threads?cursor=@@", headers=bob), 422)
    unchanged(http, thread)


def test_attachments_too_large_or_unknown(server: BackgroundServer, http: httpx.Client,
                                          thread: dict[str, Any]) -> None:
    base = f"/v2/rooms/{ROOM}/attachments"
    too_big = MAX_ATTACHMENT_BYTES + 1
    refused(http.put(f"{base}/at_big/upload/a.bin?fileSize={too_big}", content=b"x"), 413)
    refused(http.put(f"{base}/at_big/upload/a.bin", content=b"x" * too_big), 413)
    refused(http.put(f"{base}/at_lie/upload/a.bin?fileSize=3", content=b"x"), 422)
    refused(http.post(f"{base}/at_big/multipart/a.bin?fileSize={too_big}"), 413)
    refused(http.put(f"{base}/at_x/multipart/up_nope/1", content=b"x"), 404)
    started = http.post(f"{base}/at_m/multipart/m.bin").json()
    refused(http.put(f"{base}/at_m/multipart/{started['uploadId']}/0", content=b"x"), 422)
    refused(http.post(f"{base}/at_m/multipart/{started['uploadId']}/complete",
                      json={"parts": [{"partNumber": 1, "etag": "x"}]}), 422)
    assert http.put(f"{base}/at_ok/upload/a.txt", content=b"abc").status_code == 200
    refused(http.put(f"{base}/at_ok/upload/other.txt", content=b"abc"), 409)
    assert http.get(f"/v2/attachment-files/{ROOM}/at_ok?expires=1&signature=x").status_code == 403
    unchanged(http, thread)
