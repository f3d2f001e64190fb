"""The official Python SDK 3.23 drives Comments against the emulator with its exact statuses
(COMMENTS.md §3.4) and parses every answer, grouped reactions included (§3.5)."""

from __future__ import annotations

import io

import httpx
import pytest
from liveblocks import Liveblocks, LiveblocksError
from liveblocks.models.add_comment_reaction_request_body import AddCommentReactionRequestBody
from liveblocks.models.complete_attachment_multipart_upload_request_body import (
    CompleteAttachmentMultipartUploadRequestBody,
)
from liveblocks.models.create_comment_request_body import CreateCommentRequestBody
from liveblocks.models.create_thread_request_body import CreateThreadRequestBody
from liveblocks.models.edit_comment_metadata_request_body import EditCommentMetadataRequestBody
from liveblocks.models.edit_comment_request_body import EditCommentRequestBody
from liveblocks.models.edit_thread_metadata_request_body import EditThreadMetadataRequestBody
from liveblocks.models.mark_thread_as_resolved_request_body import (
    MarkThreadAsResolvedRequestBody,
)
from liveblocks.models.mark_thread_as_unresolved_request_body import (
    MarkThreadAsUnresolvedRequestBody,
)
from liveblocks.models.remove_comment_reaction_request_body import (
    RemoveCommentReactionRequestBody,
)
from liveblocks.models.subscribe_to_thread_request_body import SubscribeToThreadRequestBody
from liveblocks.models.unsubscribe_from_thread_request_body import (
    UnsubscribeFromThreadRequestBody,
)
from liveblocks.types import File

ROOM = "comments-room"


def body(text: str) -> dict[str, object]:
    return {"version": 1, "content": [{"type": "paragraph", "children": [{"text": text}]}]}


@pytest.fixture
def room(http: httpx.Client) -> str:
    assert http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": []}).status_code == 200
    return ROOM


def new_thread(sdk: Liveblocks, room: str, text: str = "first", **more: object) -> str:
    thread = sdk.create_thread(room, body=CreateThreadRequestBody.from_dict(
        {"comment": {"userId": "alice", "body": body(text)}, **more}))
    return str(thread.id)


def test_thread_lifecycle(sdk: Liveblocks, room: str) -> None:
    created = sdk.create_thread(room, body=CreateThreadRequestBody.from_dict({
        "comment": {"userId": "alice", "body": body("Hello"), "metadata": {"pinned": True}},
        "metadata": {"status": "open", "priority": 2},
    }))
    assert created.id.startswith("th_") and created.room_id == room
    assert created.visibility.value == "public" and created.resolved is False
    first = created.comments[0]
    assert first.id.startswith("cm_") and first.user_id == "alice"
    assert first.metadata.to_dict() == {"pinned": True}

    reply = sdk.create_comment(room, created.id, body=CreateCommentRequestBody.from_dict(
        {"userId": "bob", "body": body("Reply")}))
    got = sdk.get_thread(room, created.id)
    assert [c.id for c in got.comments] == [first.id, reply.id]
    assert got.updated_at >= created.updated_at

    assert sdk.edit_thread_metadata(room, created.id, body=EditThreadMetadataRequestBody.from_dict(
        {"metadata": {"status": "closed", "priority": None}, "userId": "alice"})).to_dict() == {
        "status": "closed"}

    resolved = sdk.mark_thread_as_resolved(room, created.id,
                                           body=MarkThreadAsResolvedRequestBody(user_id="bob"))
    assert resolved.resolved is True
    assert sdk.mark_thread_as_unresolved(
        room, created.id, body=MarkThreadAsUnresolvedRequestBody(user_id="bob")).resolved is False

    edited = sdk.edit_comment(room, created.id, reply.id,
                              body=EditCommentRequestBody.from_dict({"body": body("Edited")}))
    assert edited.edited_at is not None
    assert sdk.get_comment(room, created.id, reply.id).body.to_dict()["content"][0][
        "children"] == [{"text": "Edited"}]
    assert sdk.edit_comment_metadata(room, created.id, reply.id,
                                     body=EditCommentMetadataRequestBody.from_dict(
        {"metadata": {"flag": "x"}, "userId": "bob"})).to_dict() == {"flag": "x"}

    sdk.delete_comment(room, created.id, reply.id)  # 204
    assert sdk.get_comment(room, created.id, reply.id).deleted_at is not None
    sdk.delete_thread(room, created.id)  # 204
    with pytest.raises(LiveblocksError) as error:
        sdk.get_thread(room, created.id)
    assert error.value.status == 404


def test_reactions_parse_with_the_grouped_shape(sdk: Liveblocks, room: str,
                                                http: httpx.Client) -> None:
    thread_id = new_thread(sdk, room)
    comment_id = sdk.get_thread(room, thread_id).comments[0].id
    for user in ("alice", "bob"):
        reaction = sdk.add_comment_reaction(room, thread_id, comment_id,
                                            body=AddCommentReactionRequestBody.from_dict(
            {"emoji": "👍", "userId": user}))
        assert reaction.user_id == user and reaction.emoji == "👍"
    # The Python model reads {emoji, userId, createdAt}: the grouped entry carries userId.
    thread = sdk.get_thread(room, thread_id)
    assert [(r.emoji, r.user_id) for r in thread.comments[0].reactions] == [("👍", "alice")]
    raw = http.get(f"/v2/rooms/{room}/threads/{thread_id}").json()
    assert raw["comments"][0]["reactions"][0]["users"] == [{"id": "alice"}, {"id": "bob"}]
    with pytest.raises(LiveblocksError) as error:  # twice: an error for the secret API
        sdk.add_comment_reaction(room, thread_id, comment_id,
                                 body=AddCommentReactionRequestBody.from_dict(
            {"emoji": "👍", "userId": "bob"}))
    assert error.value.status == 409
    sdk.remove_comment_reaction(room, thread_id, comment_id,
                                body=RemoveCommentReactionRequestBody.from_dict(
        {"emoji": "👍", "userId": "bob"}))  # 204
    raw = http.get(f"/v2/rooms/{room}/threads/{thread_id}").json()
    assert raw["comments"][0]["reactions"][0]["users"] == [{"id": "alice"}]


def test_query_language(sdk: Liveblocks, room: str) -> None:
    a = new_thread(sdk, room, metadata={"status": "open", "x": 5})
    b = new_thread(sdk, room, metadata={"status": "closed", "x": 50})
    new_thread(sdk, room)
    sdk.mark_thread_as_resolved(room, b, body=MarkThreadAsResolvedRequestBody(user_id="u"))

    def ids(query: str) -> list[str]:
        return [t.id for t in sdk.get_threads(room, query=query).data]

    assert ids("resolved:true") == [b]
    assert ids("metadata['status']:'open'") == [a]
    assert ids('metadata["status"]^"clo" AND resolved:true') == [b]
    assert ids("metadata['x']>10") == [b]
    assert ids("metadata['x']<=5") == [a]
    assert len(ids("metadata['status']:null")) == 1
    assert len(sdk.get_threads(room).data) == 3
    with pytest.raises(LiveblocksError) as error:
        sdk.get_threads(room, query="colour:'red'")
    assert error.value.status == 422


def test_subscriptions(sdk: Liveblocks, room: str) -> None:
    thread_id = new_thread(sdk, room)
    subscription = sdk.subscribe_to_thread(room, thread_id,
                                           body=SubscribeToThreadRequestBody(user_id="carol"))
    assert subscription.subject_id == thread_id
    users = {s.user_id for s in sdk.get_thread_subscriptions(room, thread_id).data}
    assert users == {"alice", "carol"}  # the author follows her thread
    sdk.unsubscribe_from_thread(room, thread_id,
                                body=UnsubscribeFromThreadRequestBody(user_id="carol"))  # 200
    assert {s.user_id for s in sdk.get_thread_subscriptions(room, thread_id).data} == {"alice"}
    assert sdk.get_thread_inbox_notifications(room, thread_id).data == []


def test_attachments_direct_and_multipart(sdk: Liveblocks, room: str,
                                          http: httpx.Client) -> None:
    small = sdk.upload_attachment(room, "at_small1", "notes.txt",
                                  body=File(payload=io.BytesIO(b"hello")), user_id="alice",
                                  file_size=5)
    assert (small.id, small.size, small.mime_type) == ("at_small1", 5, "text/plain")
    started = sdk.create_attachment_multipart_upload(room, "at_big1", "big.bin",
                                                     file_size=6)
    parts = [sdk.upload_attachment_multipart_part(room, "at_big1", started.upload_id, n,
                                                  body=File(payload=io.BytesIO(data)))
             for n, data in ((1, b"abc"), (2, b"def"))]
    done = sdk.complete_attachment_multipart_upload(
        room, "at_big1", started.upload_id,
        body=CompleteAttachmentMultipartUploadRequestBody.from_dict(
            {"parts": [p.to_dict() for p in parts]}), user_id="alice")
    assert done.size == 6
    aborted = sdk.create_attachment_multipart_upload(room, "at_gone1", "x.bin")
    sdk.abort_attachment_multipart_upload(room, "at_gone1", aborted.upload_id)  # 204

    thread = sdk.create_thread(room, body=CreateThreadRequestBody.from_dict({"comment": {
        "userId": "alice", "body": body("files"), "attachmentIds": ["at_small1", "at_big1"]}}))
    assert [a.id for a in thread.comments[0].attachments] == ["at_small1", "at_big1"]
    with_url = sdk.get_attachment(room, "at_big1")
    assert http.get(with_url.url).content == b"abcdef"
    assert http.get(with_url.url.replace("signature=", "signature=0")).status_code == 403
