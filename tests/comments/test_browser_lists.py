"""The browser thread list: the filters the client sends (objectToQuery), `subscribed`,
pages with nextCursor, and deltas reporting subscriptions that started and stopped."""

from __future__ import annotations

import httpx

from emulator.server import BackgroundServer

ROOM = "lists"
BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "x"}]}]}


def test_filters_pages_and_subscription_deltas(server: BackgroundServer, http: httpx.Client,
                                               anonymous_http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": []})
    token = http.post("/v2/authorize-user", json={
        "userId": "alice", "permissions": {ROOM: ["room:write"]}}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    ids = [http.post(f"/v2/rooms/{ROOM}/threads", json={
        "comment": {"userId": "bob", "body": BODY}, "metadata": metadata}).json()["id"]
        for metadata in ({"status": "open", "n": 1}, {"status": "closed", "n": 5}, {})]
    base = f"/v2/c/rooms/{ROOM}/threads"

    def listed(query: str) -> list[str]:
        answer = anonymous_http.get(base, params={"query": query}, headers=auth)
        assert answer.status_code == 200, answer.text
        return [t["id"] for t in answer.json()["data"]]

    # As objectToQuery writes them: single quotes, a space between clauses.
    assert listed("resolved:false metadata['status']:'open'") == [ids[0]]
    assert listed("metadata['status']^'clo'") == [ids[1]]
    assert listed("metadata['n']>=5") == [ids[1]]
    assert listed("metadata['status']:null") == [ids[2]]
    assert listed("subscribed:true") == []
    subscribed = anonymous_http.post(f"{base}/{ids[1]}/subscribe", headers=auth)
    assert subscribed.json()["subjectId"] == ids[1]
    assert listed("subscribed:true") == [ids[1]]
    assert listed("subscribed:false") == [ids[0], ids[2]]

    first = anonymous_http.get(base, params={"limit": 2}, headers=auth).json()
    assert [t["id"] for t in first["data"]] == ids[:2]
    assert first["subscriptions"] == [subscribed.json()]
    cursor = first["meta"]["nextCursor"]
    second = anonymous_http.get(base, params={"limit": 2, "cursor": cursor}, headers=auth).json()
    assert [t["id"] for t in second["data"]] == ids[2:]
    assert second["meta"]["nextCursor"] is None

    since = first["meta"]["requestedAt"]
    anonymous_http.post(f"{base}/{ids[1]}/unsubscribe", headers=auth)
    anonymous_http.post(f"{base}/{ids[0]}/subscribe", headers=auth)
    delta = anonymous_http.get(f"{base}/delta", params={"since": since}, headers=auth).json()
    assert [s["subjectId"] for s in delta["subscriptions"]] == [ids[0]]
    assert [s["subjectId"] for s in delta["deletedSubscriptions"]] == [ids[1]]
    assert delta["meta"]["permissionHints"] == {ROOM: ["room:write"]}
