"""Groups, settings and inbox notifications in fixtures, snapshots and the reset: loaded,
snapshotted back identically, refused with a path when bad, and put back by a reset that
re-makes only what a test changed."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest

from emulator.config import Config
from emulator.domain.comments_inputs import check_body
from emulator.domain.fixtures import FixtureError
from emulator.fixture_files import read_fixture_paths
from emulator.state import EmulatorState
from tests.harness.test_fixture_files import DEMO, load, write

THREAD = "th_demoOpenThread00000001"


def inbox(state: EmulatorState, user: str) -> list[dict[str, Any]]:
    return [n.to_json() for n in state.inbox.of_user(user)]


def test_the_demo_carries_groups_settings_and_notifications() -> None:
    state = load(DEMO)
    assert state.groups.members_of("design") == ["alice", "carol"]
    assert state.notification_settings.room("design-review", "dave")["threads"] == "all"
    assert state.notification_settings.channels("carol")["email"]["thread"] is False
    assert [(n["kind"], n.get("threadId")) for n in inbox(state, "alice")] == [
        ("thread", THREAD), ("$reviewRequested", None)]
    assert [n["id"] for n in inbox(state, "bob")] == ["in_demoBobThread000000001"]


def test_a_snapshot_loads_back_to_the_same_state(tmp_path: pathlib.Path) -> None:
    state = load(DEMO)
    first = state.snapshot()
    again = load(write(tmp_path, "snap.json", first))
    assert again.snapshot() == first
    assert first["inboxNotifications"][0]["userId"]


def test_a_reset_puts_back_the_fixture_notifications_and_only_what_changed() -> None:
    state = load(DEMO)
    before = state.snapshot()
    [bob] = state.inbox.of_user("bob")
    state.inbox.mark_read([bob])
    state.inbox.delete(state.inbox.of_user("alice")[:1])
    state.inbox.trigger("zed", "$x", "s", {}, room_id=None, organization_id="default")
    state.groups.add_members("design", ["zed"])
    state.notification_settings.update_room("design-review", "dave", {"threads": "none"})
    touched = set(state.inbox._touched)
    assert touched == {"bob", "alice", "zed"}  # nobody else's inbox is re-made
    state.reset()
    assert state.snapshot() == before
    assert state.inbox.of_user("bob")[0] is not bob  # a fresh record, not the changed one


def test_fixture_threads_notify_only_when_the_fixture_says_so(tmp_path: pathlib.Path) -> None:
    body = check_body({"version": 1, "content": [{"type": "paragraph", "children": [
        {"text": "hi "}, {"type": "mention", "kind": "user", "id": "cat"}]}]})
    room = {"id": "r", "threads": [{"id": "th_" + "b" * 21, "comments": [
        {"id": "cm_" + "b" * 21, "userId": "ann", "body": body,
         "createdAt": "2026-01-01T00:00:00.000Z"}]}]}
    quiet = load(write(tmp_path, "quiet.json", {"rooms": [room]}))
    assert inbox(quiet, "cat") == []
    loud = load(write(tmp_path, "loud.json", {"rooms": [room], "generateNotifications": True}))
    [cat] = inbox(loud, "cat")
    assert (cat["threadId"], cat["notifiedAt"]) == ("th_" + "b" * 21, "2026-01-01T00:00:00.000Z")
    assert inbox(loud, "ann") == []


BAD: dict[str, tuple[dict[str, Any], str, str]] = {
    "kind without $": ({"inboxNotifications": [
        {"userId": "a", "kind": "done", "subjectId": "s", "activities": [{"data": {}}]}]},
        "$.inboxNotifications[0].kind", "starting with '$'"),
    "unknown room": ({"inboxNotifications": [
        {"userId": "a", "kind": "thread", "roomId": "nope", "threadId": "th_x"}]},
        "$.inboxNotifications[0].roomId", "'nope' is not defined"),
    "activity data over limits": ({"inboxNotifications": [
        {"userId": "a", "kind": "$k", "subjectId": "s",
         "activities": [{"data": {"a": "x" * 2000}}]}]},
        "$.inboxNotifications[0].activities[0].data", "at most"),
    "bad setting": ({"notificationSettings": {"a": {"fax": {"thread": True}}}},
                    "$.notificationSettings.a", "Unknown channel"),
    "bad room setting": ({"rooms": [{"id": "r"}], "roomSubscriptionSettings": [
        {"roomId": "r", "userId": "a", "threads": "some"}]},
        "$.roomSubscriptionSettings[0]", "threads must be one of"),
    "duplicate group": ({"groups": [{"id": "g"}, {"id": "g"}]}, "$.groups", "twice"),
    "bad generate flag": ({"generateNotifications": "yes"}, "$.generateNotifications",
                          "boolean"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_entries_are_refused_with_their_path(tmp_path: pathlib.Path, case: str) -> None:
    content, path, reason = BAD[case]
    state = EmulatorState(Config())
    with pytest.raises(FixtureError) as caught:
        state.load(read_fixture_paths([str(write(tmp_path, "bad.json", content))]))
    assert caught.value.path == path and reason in caught.value.reason, caught.value.message
    assert len(state.inbox) == 0 and len(state.groups) == 0


def test_the_schema_file_describes_the_new_fields() -> None:
    schema = json.loads((DEMO.parent / "fixture.schema.json").read_text())
    assert {"groups", "inboxNotifications", "notificationSettings",
            "roomSubscriptionSettings", "generateNotifications"} <= set(schema["properties"])


@pytest.mark.parametrize(("content", "path"), [
    ({"groups": [{"id": "g", "color": "red"}]}, "$.groups[0].color"),
    ({"groups": [{"id": "g", "memberIds": "abc"}]}, "$.groups[0].memberIds"),
    ({"inboxNotifications": [{"userId": "a", "kind": "$k", "subjectId": "s",
                              "activities": [{"id": 5, "data": {}}]}]},
     "$.inboxNotifications[0].activities"),
    ({"rooms": [{"id": "r"}], "inboxNotifications": [
        {"userId": "a", "kind": "textMention", "roomId": "r", "createdBy": "b",
         "mentionId": "m", "mention": {"kind": "group", "id": "g", "userIds": "x"}}]},
     "$.inboxNotifications[0].mention"),
])
def test_more_bad_shapes(tmp_path: pathlib.Path, content: dict[str, Any], path: str) -> None:
    state = EmulatorState(Config())
    with pytest.raises(FixtureError) as caught:
        state.load(read_fixture_paths([str(write(tmp_path, "bad.json", content))]))
    assert caught.value.path == path
