"""The browser API's permission table (COMMENTS.md §1.2): token permissions × public and
private threads × each endpoint, against the levels the permission strings give.

The expected outcome is derived here from the rules as Liveblocks' permissions guide
states them (a base access, ``comments:*`` over it, ``comments:public|private:*`` over
that), not from the emulator's code:
- reading anything needs some comments level above none (else 403);
- a thread the caller may not read is invisible: 404;
- writing in a thread needs ``write`` for the thread's visibility (else 403).
"""

from __future__ import annotations

import itertools

import httpx
import pytest

from emulator.server import BackgroundServer

ROOM = "perm-room"
BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "x"}]}]}
RANK = {"none": 0, "read": 1, "write": 2}

TOKENS: dict[str, list[str]] = {
    "full": ["room:write"],
    "read": ["room:read", "room:presence:write"],
    "read+comments:write": ["room:read", "comments:write"],
    "comments:none": ["room:write", "comments:none"],
    "private:none": ["room:write", "comments:private:none"],
    "public:read": ["room:write", "comments:public:read"],
    "comments:read+private:write": ["room:write", "comments:read", "comments:private:write"],
    "other room": [],
}


def levels(scopes: list[str]) -> dict[str, str]:
    """The guide's rules, written out plainly."""
    named: dict[str, str] = {}
    for scope in scopes:
        resource, _, level = scope.rpartition(":")
        resource = {"room": "base", "*": "base"}.get(resource, resource)
        if level in RANK and (resource not in named or RANK[level] > RANK[named[resource]]):
            named[resource] = level
    if "base" not in named:
        return {"comments:public": "none", "comments:private": "none"}
    comments = named.get("comments", named["base"])
    return {f"comments:{v}": named.get(f"comments:{v}", comments) for v in ("public", "private")}


def token(http: httpx.Client, user: str, scopes: list[str]) -> str:
    perms = {ROOM: scopes} if scopes else {"elsewhere": ["room:write"]}
    answer = http.post("/v2/authorize-user", json={"userId": user, "permissions": perms})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


@pytest.fixture
def seeded(http: httpx.Client) -> dict[str, str]:
    assert http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": []}).status_code == 200
    ids = {}
    for visibility in ("public", "private"):
        thread = http.post(f"/v2/rooms/{ROOM}/threads", json={
            "visibility": visibility, "comment": {"userId": "owner", "body": BODY}}).json()
        ids[visibility] = thread["id"]
        ids[visibility + "-comment"] = thread["comments"][0]["id"]
    return ids


def expected(name: str, visibility: str, action: str) -> int:
    granted = levels(TOKENS[name])
    any_read = any(level != "none" for level in granted.values())
    mine = granted[f"comments:{visibility}"]
    if action == "create-thread":
        return 200 if mine == "write" else 403
    if not any_read:
        return 403
    if mine == "none":
        return 404
    if action in ("get", "subscribe"):
        return 200
    return 200 if mine == "write" else 403


ACTIONS = ("get", "subscribe", "reply", "react", "resolve", "metadata", "create-thread")


@pytest.mark.parametrize(("name", "visibility"),
                         list(itertools.product(TOKENS, ("public", "private"))))
def test_permission_table(server: BackgroundServer, http: httpx.Client,
                          anonymous_http: httpx.Client, seeded: dict[str, str], name: str,
                          visibility: str) -> None:
    headers = {"Authorization": f"Bearer {token(http, 'caller', TOKENS[name])}"}
    thread = seeded[visibility]
    base = f"/v2/c/rooms/{ROOM}"
    comment = f"{base}/threads/{thread}/comments/{seeded[visibility + '-comment']}"
    requests = {
        "get": ("GET", f"{base}/thread-with-notification/{thread}", None),
        "subscribe": ("POST", f"{base}/threads/{thread}/subscribe", None),
        "reply": ("POST", f"{base}/threads/{thread}/comments",
                  {"id": "cm_perm" + name.replace(":", "").replace("+", "").replace(" ", ""),
                   "body": BODY}),
        "react": ("POST", f"{comment}/reactions", {"emoji": "👍"}),
        "resolve": ("POST", f"{base}/threads/{thread}/mark-as-resolved", None),
        "metadata": ("POST", f"{base}/threads/{thread}/metadata", {"k": 1}),
        "create-thread": ("POST", f"{base}/threads", {
            "id": f"th_new{visibility}", "visibility": visibility,
            "comment": {"id": f"cm_new{visibility}", "body": BODY}}),
    }
    got = {}
    for action in ACTIONS:
        method, path, body = requests[action]
        answer = anonymous_http.request(method, path, json=body, headers=headers)
        got[action] = 200 if answer.status_code in (200, 204) else answer.status_code
        if answer.status_code >= 400:
            assert answer.json()["error"], answer.text
    assert got == {action: expected(name, visibility, action) for action in ACTIONS}

    # The list shows exactly the threads the caller may read, with the hint the UI needs.
    listed = anonymous_http.get(f"{base}/threads", headers=headers)
    granted = levels(TOKENS[name])
    if all(level == "none" for level in granted.values()):
        assert listed.status_code == 403
        return
    assert listed.status_code == 200
    visible = {t["visibility"] for t in listed.json()["data"]}
    assert visible == {v for v in ("public", "private") if granted[f"comments:{v}"] != "none"}
    assert listed.json()["meta"]["permissionHints"] == {ROOM: TOKENS[name]}


def test_public_key_gets_the_room_defaults(server: BackgroundServer, http: httpx.Client,
                                           anonymous_http: httpx.Client,
                                           seeded: dict[str, str]) -> None:
    key = {"Authorization": "Bearer pk_localdev"}
    base = f"/v2/c/rooms/{ROOM}"
    assert anonymous_http.get(f"{base}/threads", headers=key).status_code == 403  # []
    http.post(f"/v2/rooms/{ROOM}", json={"defaultAccesses": ["room:read",
                                                             "room:presence:write"]})
    listed = anonymous_http.get(f"{base}/threads", headers=key).json()
    assert len(listed["data"]) == 2
    assert listed["meta"]["permissionHints"] == {ROOM: ["room:read", "room:presence:write"]}
    refused = anonymous_http.post(f"{base}/threads/{seeded['public']}/comments", headers=key,
                                  json={"id": "cm_pk1", "body": BODY})
    assert refused.status_code == 403
    http.post(f"/v2/rooms/{ROOM}", json={"defaultAccesses": ["room:write"]})
    made = anonymous_http.post(f"{base}/threads/{seeded['public']}/comments", headers=key,
                               json={"id": "cm_pk2", "body": BODY})
    assert made.status_code == 200 and made.json()["userId"] == "anonymous"


def test_credentials(server: BackgroundServer, anonymous_http: httpx.Client,
                     seeded: dict[str, str]) -> None:
    path = f"/v2/c/rooms/{ROOM}/threads"
    assert anonymous_http.get(path).status_code == 401
    for bad in ("Bearer sk_localdev", "Bearer pk_other", "Bearer a.b.c", "Basic x"):
        answer = anonymous_http.get(path, headers={"Authorization": bad})
        assert answer.status_code == 403, bad
        assert answer.json()["error"]
