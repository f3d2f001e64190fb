"""The browser Comments API (``/v2/c/rooms/{roomId}/…``, C1–C28) and the attachment download
URL, as a Feature."""

from __future__ import annotations

from ..client_caller import client_required
from ..endpoints import Endpoint, Feature
from ..openapi_kit import (
    NO_CONTENT,
    NON_EMPTY,
    TIMESTAMP,
    closed_object,
    error,
    ok,
    open_object,
    operation,
    ref,
    string,
)
from . import attachments, client, client_room
from .docs import (
    ATTACHMENT_OK,
    COMMENT_OK,
    CONFLICT,
    METADATA_OK,
    SUBSCRIPTION_OK,
    THREAD_OK,
    client_op,
    metadata,
)
from .routes import (
    ATTACHMENT_IDS,
    FILE_SIZE,
    MULTIPART_STARTED,
    PART_OK,
    PARTS,
    QUERY,
    octets_op,
)

ROOM = "/v2/c/rooms/{roomId}"
THREADS = ROOM + "/threads"
THREAD = THREADS + "/{threadId}"
COMMENT = THREAD + "/comments/{commentId}"
ATTACHMENT = ROOM + "/attachments/{attachmentId}"

THREADS_LIST = closed_object({
    "data": {"type": "array", "items": ref("Thread")},
    "inboxNotifications": {"type": "array"},
    "subscriptions": {"type": "array", "items": ref("ThreadSubscription")},
    "meta": closed_object({"nextCursor": {"anyOf": [NON_EMPTY, {"type": "null"}]},
                           "requestedAt": TIMESTAMP,
                           "permissionHints": ref("PermissionHints")},
                          ["nextCursor", "requestedAt", "permissionHints"]),
}, ["data", "inboxNotifications", "subscriptions", "meta"])
THREADS_DELTA = closed_object({
    "data": {"type": "array", "items": ref("Thread")},
    "deletedThreads": {"type": "array", "items": ref("DeletedThread")},
    "inboxNotifications": {"type": "array"},
    "deletedInboxNotifications": {"type": "array"},
    "subscriptions": {"type": "array", "items": ref("ThreadSubscription")},
    "deletedSubscriptions": {"type": "array", "items": ref("DeletedSubscription")},
    "meta": closed_object({"requestedAt": TIMESTAMP,
                           "permissionHints": ref("PermissionHints")},
                          ["requestedAt", "permissionHints"]),
}, ["data", "deletedThreads", "inboxNotifications", "deletedInboxNotifications",
    "subscriptions", "deletedSubscriptions", "meta"])
NEW_COMMENT = open_object({"id": string(1, 128), "body": ref("CommentBody"),
                           "metadata": metadata(), "attachmentIds": ATTACHMENT_IDS},
                          ["id", "body"])
SETTINGS = closed_object({"threads": {"enum": ["all", "replies_and_mentions", "none"]},
                          "textMentions": {"enum": ["mine", "none"]}},
                         ["threads", "textMentions"])
CURSOR = {"name": "cursor", "in": "query", "schema": string()}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                    "maximum": 100}}
SINCE = {"name": "since", "in": "query", "required": True, "schema": TIMESTAMP}


def _guarded(method: str, path: str, handler: object, doc: dict[str, object]) -> Endpoint:
    return Endpoint(method, path, handler, doc, guard=client_required)


CLIENT_ENDPOINTS = [
    _guarded("GET", THREADS, client.list_threads, client_op(
        "List the room's threads the caller may read (C1), with permissionHints",
        {"200": ok(THREADS_LIST)}, parameters=[CURSOR, QUERY, LIMIT])),
    _guarded("GET", THREADS + "/delta", client.threads_delta, client_op(
        "What changed since an earlier requestedAt (C2), deletions included",
        {"200": ok(THREADS_DELTA)}, parameters=[SINCE, QUERY])),
    _guarded("GET", THREADS + "/comments/search", client.search_comments, client_op(
        "Search the room's comments (C3)",
        {"200": ok(closed_object({"data": {"type": "array", "items": closed_object(
            {"threadId": NON_EMPTY, "commentId": NON_EMPTY, "content": string()},
            ["threadId", "commentId", "content"])}}, ["data"]))},
        parameters=[{"name": "text", "in": "query", "schema": string()},
                    {**QUERY, "description": "threadResolved, hasAttachments, hasMentions, "
                     "threadMetadata['k']"}])),
    _guarded("POST", THREADS, client.create_thread, client_op(
        "Create a thread with the ids the client made (C4)",
        {"200": THREAD_OK, "409": CONFLICT},
        body=open_object({"id": string(1, 128), "visibility": {"enum": ["public", "private"]},
                          "comment": NEW_COMMENT, "metadata": metadata()},
                         ["id", "comment"]))),
    _guarded("DELETE", THREAD, client.delete_thread, client_op(
        "Delete a thread the caller started (C5)", {"204": NO_CONTENT})),
    _guarded("GET", ROOM + "/thread-with-notification/{threadId}",
             client.thread_with_notification, client_op(
        "A thread, the caller's notification about it and subscription to it (C6)",
        {"200": ok(closed_object({"thread": ref("Thread"),
                                  "inboxNotification": {"type": "object"},
                                  "subscription": ref("ThreadSubscription")}, ["thread"]))})),
    _guarded("POST", THREAD + "/metadata", client.edit_thread_metadata, client_op(
        "Edit a thread's metadata; the body is the patch (C7)", {"200": METADATA_OK},
        body=metadata(in_update=True))),
    _guarded("POST", COMMENT + "/metadata", client.edit_comment_metadata, client_op(
        "Edit a comment's metadata; the body is the patch (C8)", {"200": METADATA_OK},
        body=metadata(in_update=True))),
    _guarded("POST", THREAD + "/comments", client.create_comment, client_op(
        "Reply (C9)", {"200": COMMENT_OK, "409": CONFLICT}, body=NEW_COMMENT)),
    _guarded("POST", COMMENT, client.edit_comment, client_op(
        "Edit one's own comment (C10)", {"200": COMMENT_OK},
        body=open_object({"body": ref("CommentBody"), "metadata": metadata(in_update=True),
                          "attachmentIds": ATTACHMENT_IDS}, ["body"]))),
    _guarded("DELETE", COMMENT, client.delete_comment, client_op(
        "Delete one's own comment (C11)", {"204": NO_CONTENT})),
    _guarded("POST", COMMENT + "/reactions", client.add_reaction, client_op(
        "React (C12); a repeat changes nothing", {"200": ok(ref("UserReaction"))},
        body=open_object({"emoji": string(1, 32)}, ["emoji"]))),
    _guarded("DELETE", COMMENT + "/reactions/{emoji}", client.remove_reaction, client_op(
        "Remove one's reaction (C13)", {"204": NO_CONTENT})),
    _guarded("POST", THREAD + "/mark-as-resolved", client.mark_as_resolved, client_op(
        "Resolve (C14; no body)", {"204": NO_CONTENT})),
    _guarded("POST", THREAD + "/mark-as-unresolved", client.mark_as_unresolved, client_op(
        "Unresolve (C15; no body)", {"204": NO_CONTENT})),
    _guarded("POST", THREAD + "/subscribe", client.subscribe, client_op(
        "Follow a thread (C16; no body)", {"200": SUBSCRIPTION_OK})),
    _guarded("POST", THREAD + "/unsubscribe", client.unsubscribe, client_op(
        "Stop following a thread (C17; no body)", {"204": NO_CONTENT})),
    _guarded("PUT", ATTACHMENT + "/upload/{name}", attachments.client_upload, octets_op(
        "Upload an attachment of up to 5 MiB (C18)", {"200": ATTACHMENT_OK}, [FILE_SIZE],
        browser=True)),
    _guarded("POST", ATTACHMENT + "/multipart/{multipartKey}",
             attachments.client_start_multipart, client_op(
        "Start a multipart upload (C19); the path names the file",
        {"200": MULTIPART_STARTED, "409": CONFLICT, "413": error("413")},
        parameters=[FILE_SIZE])),
    _guarded("PUT", ATTACHMENT + "/multipart/{uploadId}/{partNumber}",
             attachments.client_upload_part,
             octets_op("Upload one part (C20)", {"200": PART_OK}, [], browser=True)),
    _guarded("POST", ATTACHMENT + "/multipart/{uploadId}/complete",
             attachments.client_complete_multipart, client_op(
        "Complete a multipart upload (C21)", {"200": ATTACHMENT_OK, "409": CONFLICT,
                                              "413": error("413")}, body=PARTS)),
    _guarded("DELETE", ATTACHMENT + "/multipart/{multipartKey}",
             attachments.client_abort_multipart, client_op(
        "Abort a multipart upload (C22); the path names the upload id", {"204": NO_CONTENT})),
    _guarded("POST", ROOM + "/attachments/presigned-urls", attachments.presigned_urls,
             client_op(
        "Download URLs, aligned with the ids; null for an unknown one (C23)",
        {"200": ok(closed_object({"urls": {"type": "array", "items": {
            "anyOf": [NON_EMPTY, {"type": "null"}]}}}, ["urls"]))},
        body=open_object({"attachmentIds": {"type": "array", "items": string()}},
                         ["attachmentIds"]))),
    _guarded("GET", ROOM + "/subscription-settings", client_room.get_subscription_settings,
             client_op("The caller's room subscription settings (C24)", {"200": ok(SETTINGS)})),
    _guarded("POST", ROOM + "/subscription-settings",
             client_room.update_subscription_settings, client_op(
        "Change the caller's room subscription settings (C25)", {"200": ok(SETTINGS)},
        body=open_object({"threads": {"enum": ["all", "replies_and_mentions", "none"]},
                          "textMentions": {"enum": ["mine", "none"]}}))),
    _guarded("POST", ROOM + "/inbox-notifications/read",
             client_room.mark_inbox_notifications_read, client_op(
        "Mark the room's inbox notifications read (C26; accepted, notifications pending)",
        {"204": NO_CONTENT},
        body=open_object({"inboxNotificationIds": {"type": "array", "items": string()}},
                         ["inboxNotificationIds"]))),
    Endpoint("GET", "/v2/attachment-files/{roomId}/{attachmentId}", attachments.download,
             operation("comments (browser)", "Download an attachment through a signed URL",
                       {"200": {"description": "The file's bytes, with its MIME type",
                                "content": {"*/*": {"schema": {"type": "string",
                                                               "format": "binary"}}}},
                        "403": error("403", "Not signed by the emulator, or expired"),
                        "404": error("404", "No such room or attachment")},
                       secret=False,
                       parameters=[{"name": "expires", "in": "query", "required": True,
                                    "schema": string(1, 16)},
                                   {"name": "signature", "in": "query", "required": True,
                                    "schema": string(1, 64)}]),
             guard=None),
]

# Text mentions (C27/C28) are served with the Yjs calls (emulator/api/client_yjs.py on main).
CLIENT_FEATURE = Feature("comments-browser", CLIENT_ENDPOINTS)
