"""The official Python SDK manages rooms against the emulator as against Liveblocks."""

from __future__ import annotations

import pytest
from liveblocks import Liveblocks, LiveblocksError
from liveblocks.models.create_room_request_body import CreateRoomRequestBody
from liveblocks.models.update_room_id_request_body import UpdateRoomIdRequestBody
from liveblocks.models.update_room_request_body import UpdateRoomRequestBody
from liveblocks.models.upsert_room_request_body import UpsertRoomRequestBody
from liveblocks.types import Unset


def create(sdk: Liveblocks, room_id: str, **fields: object) -> object:
    body = {"id": room_id, "defaultAccesses": ["room:write"], **fields}
    return sdk.create_room(body=CreateRoomRequestBody.from_dict(body))


def test_create_and_get_room(sdk: Liveblocks) -> None:
    created = sdk.create_room(
        body=CreateRoomRequestBody.from_dict(
            {
                "id": "my-room",
                "defaultAccesses": ["room:read"],
                "metadata": {"color": "blue", "tags": ["a", "b"]},
                "usersAccesses": {"alice": ["room:write"]},
                "groupsAccesses": {"product": ["room:write"]},
            }
        )
    )
    room = sdk.get_room("my-room")
    assert room.id == created.id == "my-room"
    assert room.organization_id == "default"
    assert [p.value for p in room.default_accesses] == ["room:read"]
    assert room.metadata.to_dict() == {"color": "blue", "tags": ["a", "b"]}
    assert room.users_accesses.to_dict() == {"alice": ["room:write"]}
    assert room.groups_accesses.to_dict() == {"product": ["room:write"]}
    assert isinstance(room.last_connection_at, Unset)  # nobody connected yet
    assert room.created_at.tzinfo is not None


def test_missing_room_raises_404_with_message(sdk: Liveblocks) -> None:
    with pytest.raises(LiveblocksError) as info:
        sdk.get_room("nope")
    assert info.value.status == 404
    assert "nope" in str(info.value.args[0])


def test_duplicate_create_raises_409(sdk: Liveblocks) -> None:
    create(sdk, "twice")
    with pytest.raises(LiveblocksError) as info:
        create(sdk, "twice")
    assert info.value.status == 409
    assert info.value.args[0]


def test_idempotent_create_returns_existing_room(sdk: Liveblocks) -> None:
    create(sdk, "same", metadata={"v": "1"})
    again = sdk.create_room(
        body=CreateRoomRequestBody.from_dict(
            {"id": "same", "defaultAccesses": [], "metadata": {"v": "2"}}
        ),
        idempotent=True,
    )
    assert again.metadata.to_dict() == {"v": "1"}


def test_update_room_with_nulls(sdk: Liveblocks) -> None:
    create(
        sdk,
        "upd",
        metadata={"keep": "x", "drop": "y"},
        usersAccesses={"alice": ["room:write"], "bob": ["room:read"]},
        groupsAccesses={"g": ["room:write"]},
    )
    room = sdk.update_room(
        "upd",
        body=UpdateRoomRequestBody.from_dict(
            {
                "metadata": {"drop": None, "new": ["1", "2"]},
                "usersAccesses": {"bob": None, "carol": ["room:read"]},
                "groupsAccesses": {"g": None},
                "defaultAccesses": [],
            }
        ),
    )
    assert room.metadata.to_dict() == {"keep": "x", "new": ["1", "2"]}
    assert room.users_accesses.to_dict() == {"alice": ["room:write"], "carol": ["room:read"]}
    assert room.groups_accesses.to_dict() == {}
    assert room.default_accesses == []
    assert sdk.get_room("upd").metadata.to_dict() == {"keep": "x", "new": ["1", "2"]}


def test_upsert_creates_then_updates(sdk: Liveblocks) -> None:
    body = UpsertRoomRequestBody.from_dict(
        {"update": {"metadata": {"a": "1"}}, "create": {"defaultAccesses": ["room:write"]}}
    )
    room = sdk.upsert_room("ups", body=body)
    assert room.metadata.to_dict() == {"a": "1"}
    assert [p.value for p in room.default_accesses] == ["room:write"]
    body = UpsertRoomRequestBody.from_dict(
        {"update": {"metadata": {"b": "2"}}, "create": {"defaultAccesses": []}}
    )
    room = sdk.upsert_room("ups", body=body)
    assert room.metadata.to_dict() == {"a": "1", "b": "2"}
    assert [p.value for p in room.default_accesses] == ["room:write"]


def test_update_room_id(sdk: Liveblocks) -> None:
    create(sdk, "old-id", metadata={"m": "v"})
    room = sdk.update_room_id("old-id", body=UpdateRoomIdRequestBody.from_dict({"newRoomId": "new-id"}))
    assert room.id == "new-id"
    assert sdk.get_room("new-id").metadata.to_dict() == {"m": "v"}
    with pytest.raises(LiveblocksError) as info:
        sdk.get_room("old-id")
    assert info.value.status == 404


def test_update_room_id_conflicts(sdk: Liveblocks) -> None:
    create(sdk, "one")
    create(sdk, "two")
    with pytest.raises(LiveblocksError) as info:
        sdk.update_room_id("one", body=UpdateRoomIdRequestBody.from_dict({"newRoomId": "two"}))
    assert info.value.status == 409
    with pytest.raises(LiveblocksError) as info:
        sdk.update_room_id("zzz", body=UpdateRoomIdRequestBody.from_dict({"newRoomId": "x"}))
    assert info.value.status == 404


def test_delete_room_is_idempotent(sdk: Liveblocks) -> None:
    create(sdk, "gone")
    sdk.delete_room("gone")
    sdk.delete_room("gone")  # 204 again, no error
    with pytest.raises(LiveblocksError):
        sdk.get_room("gone")


def test_prewarm_room(sdk: Liveblocks) -> None:
    create(sdk, "warm")
    sdk.prewarm_room("warm")
    with pytest.raises(LiveblocksError) as info:
        sdk.prewarm_room("cold")
    assert info.value.status == 404


def test_get_rooms_newest_first_across_pages(sdk: Liveblocks) -> None:
    ids = [f"room-{i:02d}" for i in range(23)]
    for room_id in ids:
        create(sdk, room_id)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = sdk.get_rooms(limit=5, **({"starting_after": cursor} if cursor else {}))
        seen.extend(room.id for room in page.data)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == list(reversed(ids))


def test_get_rooms_query_language(sdk: Liveblocks) -> None:
    create(sdk, "team:a", metadata={"color": "blue", "kind": "board"})
    create(sdk, "team:b", metadata={"color": "red", "kind": "board"})
    create(sdk, "other", metadata={"color": "blue"})
    page = sdk.get_rooms(query="roomId^'team:' AND metadata['color']:'blue'")
    assert [r.id for r in page.data] == ["team:a"]
    page = sdk.get_rooms(query='metadata["kind"]:"board" metadata["color"]:"red"')
    assert [r.id for r in page.data] == ["team:b"]
    page = sdk.get_rooms(query="metadata['color']:'blue'")
    assert [r.id for r in page.data] == ["other", "team:a"]


def test_get_rooms_invalid_query(sdk: Liveblocks) -> None:
    with pytest.raises(LiveblocksError) as info:
        sdk.get_rooms(query="roomId=='x'")
    assert info.value.status == 422


def test_get_rooms_user_and_group_filters(sdk: Liveblocks) -> None:
    create(sdk, "u", usersAccesses={"alice": ["room:write"]})
    create(sdk, "g", groupsAccesses={"eng": ["room:write"]})
    create(sdk, "none")
    assert [r.id for r in sdk.get_rooms(user_id="alice").data] == ["u"]
    assert [r.id for r in sdk.get_rooms(group_ids="eng").data] == ["g"]
    both = sdk.get_rooms(user_id="alice", group_ids="eng,ops")
    assert sorted(r.id for r in both.data) == ["g", "u"]


def test_get_rooms_organization_filter(sdk: Liveblocks) -> None:
    create(sdk, "in-default")
    create(sdk, "in-acme", organizationId="acme")
    assert [r.id for r in sdk.get_rooms(organization_id="acme").data] == ["in-acme"]
