"""OpenAPI pieces of Comments: component schemas, path parameters and operation helpers."""

from __future__ import annotations

from typing import Any

from ...domain.comments_attachments import MAX_ATTACHMENT_BYTES
from ...domain.comments_inputs import (
    MAX_EMOJI,
    MAX_METADATA_ENTRIES,
    MAX_METADATA_KEY,
    MAX_METADATA_STRING,
)
from ..openapi_kit import (
    NON_EMPTY,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    limited_map,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)

TAG = "comments"
CLIENT_TAG = "comments (browser)"

METADATA_VALUE: Json = {"anyOf": [string(0, MAX_METADATA_STRING), {"type": "number"},
                                  {"type": "boolean"}]}


def metadata(*, in_update: bool = False) -> Json:
    return limited_map(string(1, MAX_METADATA_KEY), METADATA_VALUE, MAX_METADATA_ENTRIES,
                       in_update=in_update)


TEXT = open_object({"text": string(), "bold": {"type": "boolean"},
                    "italic": {"type": "boolean"}, "strikethrough": {"type": "boolean"},
                    "code": {"type": "boolean"}}, ["text"])
MENTION = open_object({"type": {"const": "mention"}, "kind": {"enum": ["user", "group"]},
                       "id": string(1, 128), "userIds": {"type": "array", "items": NON_EMPTY}},
                      ["type", "id"])
LINK = open_object({"type": {"const": "link"}, "url": NON_EMPTY, "text": string()},
                   ["type", "url"])
ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"

SCHEMAS: Json = {
    "CommentBody": open_object({
        "version": {"const": 1},
        "content": {"type": "array", "items": open_object({
            "type": {"const": "paragraph"},
            "children": {"type": "array", "items": {"anyOf": [TEXT, MENTION, LINK]}},
        }, ["type", "children"])},
    }, ["version", "content"], description="CommentBody v1: paragraphs of text, mentions "
       "and links"),
    "CommentMetadata": metadata(),
    "CommentReaction": closed_object({
        "emoji": NON_EMPTY, "createdAt": TIMESTAMP,
        "users": {"type": "array", "minItems": 1,
                  "items": closed_object({"id": NON_EMPTY}, ["id"])},
        "userId": {**NON_EMPTY, "description": "The first user: lets the Python SDK 3.23, "
                   "which reads {emoji, userId, createdAt}, parse comments"},
    }, ["emoji", "createdAt", "users", "userId"]),
    "CommentAttachment": closed_object({
        "type": {"const": "attachment"}, "id": NON_EMPTY, "name": NON_EMPTY,
        "size": {"type": "integer", "minimum": 0}, "mimeType": NON_EMPTY,
    }, ["type", "id", "name", "size", "mimeType"]),
    "Comment": closed_object({
        "type": {"const": "comment"}, "id": NON_EMPTY, "threadId": NON_EMPTY,
        "roomId": NON_EMPTY, "userId": NON_EMPTY, "createdAt": TIMESTAMP,
        "editedAt": TIMESTAMP, "deletedAt": TIMESTAMP, "body": ref("CommentBody"),
        "metadata": ref("CommentMetadata"),
        "reactions": {"type": "array", "items": ref("CommentReaction")},
        "attachments": {"type": "array", "items": ref("CommentAttachment")},
    }, ["type", "id", "threadId", "roomId", "userId", "createdAt", "metadata", "reactions",
        "attachments"], description="A deleted comment has deletedAt and no body"),
    "Thread": closed_object({
        "type": {"const": "thread"}, "id": NON_EMPTY, "roomId": NON_EMPTY,
        "createdAt": TIMESTAMP, "updatedAt": TIMESTAMP, "metadata": ref("CommentMetadata"),
        "resolved": {"type": "boolean"}, "visibility": {"enum": ["public", "private"]},
        "comments": {"type": "array", "items": ref("Comment")},
    }, ["type", "id", "roomId", "createdAt", "updatedAt", "metadata", "resolved",
        "visibility", "comments"]),
    "ThreadSubscription": closed_object({
        "kind": {"const": "thread"}, "subjectId": NON_EMPTY, "createdAt": TIMESTAMP,
        "userId": NON_EMPTY,
    }, ["kind", "subjectId", "createdAt"]),
    "UserReaction": closed_object({"emoji": NON_EMPTY, "userId": NON_EMPTY,
                                   "createdAt": TIMESTAMP}, ["emoji", "userId", "createdAt"]),
    "PermissionHints": {"type": "object",
                        "additionalProperties": {"type": "array", "items": string()}},
    "DeletedThread": closed_object({"type": {"const": "deletedThread"}, "id": NON_EMPTY,
                                    "roomId": NON_EMPTY, "deletedAt": TIMESTAMP},
                                   ["type", "id", "roomId", "deletedAt"]),
    "DeletedSubscription": closed_object({
        "type": {"const": "deletedSubscription"}, "kind": {"const": "thread"},
        "subjectId": NON_EMPTY, "deletedAt": TIMESTAMP},
        ["type", "kind", "subjectId", "deletedAt"]),
}

PARAMETERS: Json = {
    "threadId": path_parameter("threadId", "A thread id (th_…)", string(1, 128)),
    "commentId": path_parameter("commentId", "A comment id (cm_…)", string(1, 128)),
    "attachmentId": path_parameter("attachmentId", "An attachment id (at_…)", string(1, 128)),
    "name": path_parameter("name", "The file name", string(1, 255)),
    "multipartKey": path_parameter(
        "multipartKey", "The file name (POST: start an upload) or the upload id (DELETE: "
        "abort it) — one path, as the SDKs call it", string(1, 255)),
    "uploadId": path_parameter("uploadId", "A multipart upload id", string(1, 128)),
    "partNumber": path_parameter("partNumber", "1-10000", string(1, 5, pattern=r"^\d+$")),
    "emoji": path_parameter("emoji", "The emoji (percent-escaped)", string(1, MAX_EMOJI)),
}

NOT_FOUND = error("404", "The room, thread or comment does not exist (ROOM_NOT_FOUND, "
                  "THREAD_NOT_FOUND, COMMENT_NOT_FOUND…)")
INVALID = error("422", "A value breaks a rule (body, metadata limits, query): the message "
                "names it")
CONFLICT = error("409", "The id already exists, or the reaction already does")
TOO_LARGE_UPLOAD = error("413", f"The file is larger than {MAX_ATTACHMENT_BYTES} bytes")
USER_BODY = open_object({"userId": string(1, 128)}, ["userId"])
METADATA_EDIT = open_object({"metadata": metadata(in_update=True), "userId": string(1, 128),
                             "updatedAt": TIMESTAMP}, ["metadata", "userId"])


def secret_op(summary: str, responses: Json, **kwargs: Any) -> Json:
    return operation(TAG, summary, {"404": NOT_FOUND, "422": INVALID, **responses}, **kwargs)


def client_op(summary: str, responses: Json, **kwargs: Any) -> Json:
    """A browser call: ``Authorization: Bearer <access or ID token | public key>``."""
    return operation(CLIENT_TAG, summary, {
        "401": error("401", "No Authorization header"),
        "403": error("403", "A token or key the emulator did not make, an expired token, or "
                     "a permission the call needs (COMMENTS.md §1.2)"),
        "404": NOT_FOUND, "422": INVALID, **responses}, secret=False,
        description="Called by @liveblocks/client with a token from the app's auth endpoint "
        "or the public key (not the secret key).", **kwargs)


THREAD_OK = ok(ref("Thread"))
COMMENT_OK = ok(ref("Comment"))
METADATA_OK = ok(ref("CommentMetadata"), "The whole metadata after the change")
SUBSCRIPTION_OK = ok(ref("ThreadSubscription"))
ATTACHMENT_OK = ok(ref("CommentAttachment"))
OCTETS: Json = {"required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                     "format": "binary"}}}}
