"""The official Python SDK (liveblocks 3.23) manages groups, custom inbox notifications and
notification settings against the emulator, with the statuses it requires.

It cannot parse custom or textMention notifications (its union needs kind "custom" or a
threadId: COMMENTS.md §3.5), so its inbox reads here are of users who have only ``thread``
notifications (made by comments); the Node SDK test reads custom ones.
"""

from __future__ import annotations

import pytest
from liveblocks import Liveblocks
from liveblocks.errors import LiveblocksError
from liveblocks.models import (
    AddGroupMembersRequestBody,
    CreateCommentRequestBody,
    CreateGroupRequestBody,
    CreateRoomRequestBody,
    CreateThreadRequestBody,
    InboxNotificationThreadData,
    RemoveGroupMembersRequestBody,
    TriggerInboxNotificationRequestBody,
    UpdateNotificationSettingsRequestBody,
    UpdateRoomSubscriptionSettingsRequestBody,
)


def test_groups(sdk: Liveblocks) -> None:
    group = sdk.create_group(body=CreateGroupRequestBody.from_dict(
        {"id": "eng", "memberIds": ["ann", "bob"]}))
    assert (group.id, [m.id for m in group.members], group.organization_id) == \
        ("eng", ["ann", "bob"], "default")
    sdk.create_group(body=CreateGroupRequestBody.from_dict({"id": "ops"}))
    with pytest.raises(LiveblocksError) as duplicate:
        sdk.create_group(body=CreateGroupRequestBody.from_dict({"id": "eng"}))
    assert duplicate.value.status == 409
    added = sdk.add_group_members("ops", body=AddGroupMembersRequestBody.from_dict(
        {"memberIds": ["bob"]}))
    assert [m.id for m in added.members] == ["bob"]
    removed = sdk.remove_group_members("eng", body=RemoveGroupMembersRequestBody.from_dict(
        {"memberIds": ["bob"]}))
    assert [m.id for m in removed.members] == ["ann"]
    assert sdk.get_group("ops").id == "ops"
    first = sdk.get_groups(limit=1)
    assert [g.id for g in first.data] == ["eng"] and first.next_cursor
    second = sdk.get_groups(limit=1, starting_after=first.next_cursor)
    assert [g.id for g in second.data] == ["ops"] and second.next_cursor is None
    assert [g.id for g in sdk.get_user_groups("bob").data] == ["ops"]
    sdk.delete_group("ops")
    with pytest.raises(LiveblocksError) as missing:
        sdk.get_group("ops")
    assert missing.value.status == 404


def test_inbox_trigger_read_delete(sdk: Liveblocks) -> None:
    sdk.trigger_inbox_notification(body=TriggerInboxNotificationRequestBody.from_dict(
        {"userId": "ann", "kind": "$fileUploaded", "subjectId": "f1",
         "activityData": {"url": "u"}}))
    server_side = sdk.get_inbox_notifications("bob")
    assert server_side.data == [] and server_side.next_cursor is None
    with pytest.raises(LiveblocksError) as bad_kind:
        sdk.trigger_inbox_notification(body=TriggerInboxNotificationRequestBody.from_dict(
            {"userId": "ann", "kind": "fileUploaded", "subjectId": "f1", "activityData": {}}))
    assert bad_kind.value.status == 422
    with pytest.raises(LiveblocksError) as missing:
        sdk.mark_inbox_notification_as_read("in_missing")
    assert missing.value.status == 404
    sdk.delete_all_inbox_notifications("ann")  # 204


def test_notification_settings(sdk: Liveblocks) -> None:
    settings = sdk.get_notification_settings("ann")
    assert settings.email is not None and settings.email.thread is True
    updated = sdk.update_notification_settings(
        "ann", body=UpdateNotificationSettingsRequestBody.from_dict(
            {"slack": {"textMention": False}}))
    assert updated.slack is not None and updated.slack.text_mention is False
    assert updated.slack.thread is True
    sdk.delete_notification_settings("ann")
    again = sdk.get_notification_settings("ann")
    assert again.slack is not None and again.slack.text_mention is True


def test_room_subscription_settings(sdk: Liveblocks) -> None:
    sdk.create_room(body=CreateRoomRequestBody.from_dict({"id": "board", "defaultAccesses": []}))
    default = sdk.get_room_subscription_settings("board", "ann")
    assert (default.threads, default.text_mentions) == ("replies_and_mentions", "mine")
    updated = sdk.update_room_subscription_settings(
        "board", "ann", body=UpdateRoomSubscriptionSettingsRequestBody.from_dict(
            {"threads": "none"}))
    assert (updated.threads, updated.text_mentions) == ("none", "mine")
    listed = sdk.get_user_room_subscription_settings("ann")
    assert [(s.room_id, s.threads) for s in listed.data] == [("board", "none")]
    sdk.delete_room_subscription_settings("board", "ann")
    assert sdk.get_room_subscription_settings("board", "ann").threads == "replies_and_mentions"
    with pytest.raises(LiveblocksError) as missing:
        sdk.get_room_subscription_settings("nope", "ann")
    assert missing.value.status == 404


def _body(*children: dict[str, str]) -> dict[str, object]:
    return {"version": 1, "content": [{"type": "paragraph", "children": list(children)}]}


def test_comments_fill_the_inbox_the_python_sdk_reads(sdk: Liveblocks) -> None:
    sdk.create_room(body=CreateRoomRequestBody.from_dict({"id": "doc", "defaultAccesses": []}))
    sdk.create_group(body=CreateGroupRequestBody.from_dict({"id": "qa", "memberIds": ["gil"]}))
    thread = sdk.create_thread("doc", body=CreateThreadRequestBody.from_dict(
        {"comment": {"userId": "bob", "body": _body({"text": "first"})}}))
    sdk.create_comment("doc", thread.id, body=CreateCommentRequestBody.from_dict(
        {"userId": "ann", "body": _body({"text": "cc "},
                                        {"type": "mention", "kind": "user", "id": "cat"},
                                        {"type": "mention", "kind": "group", "id": "qa"})}))
    for user in ("bob", "cat", "gil"):
        [notification] = sdk.get_inbox_notifications(user).data
        assert isinstance(notification, InboxNotificationThreadData)
        assert (notification.thread_id, notification.room_id) == (thread.id, "doc")
        assert notification.read_at is None
    assert sdk.get_inbox_notifications("ann").data == []
    listed = sdk.get_thread_inbox_notifications("doc", thread.id).data
    assert sorted(n.user_id for n in listed) == ["bob", "cat", "gil"]
    bobs = sdk.get_inbox_notifications("bob").data[0]
    sdk.mark_inbox_notification_as_read(bobs.id)  # 200
    read = sdk.get_inbox_notification("bob", bobs.id)
    assert isinstance(read, InboxNotificationThreadData) and read.read_at is not None
    assert sdk.get_inbox_notifications("bob", query="unread:true").data == []
    sdk.delete_inbox_notification("cat", sdk.get_inbox_notifications("cat").data[0].id)  # 204
    assert sdk.get_inbox_notifications("cat").data == []
    with pytest.raises(LiveblocksError) as gone:
        sdk.get_inbox_notification("cat", bobs.id)
    assert gone.value.status == 404
