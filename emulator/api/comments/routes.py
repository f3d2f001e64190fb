"""The Comments features: the secret-key API (S1–S25) and the browser API (C1–C28), each an
Endpoint list with its OpenAPI entries."""

from __future__ import annotations

from ...domain.comments_inputs import MAX_EMOJI
from ..endpoints import Endpoint, Feature
from ..openapi_kit import (
    EMPTY_OK,
    NO_CONTENT,
    NON_EMPTY,
    TIMESTAMP,
    error,
    ok,
    open_object,
    ref,
    string,
)
from . import attachments, secret
from .docs import (
    ATTACHMENT_OK,
    COMMENT_OK,
    CONFLICT,
    METADATA_EDIT,
    METADATA_OK,
    OCTETS,
    PARAMETERS,
    SCHEMAS,
    SUBSCRIPTION_OK,
    THREAD_OK,
    TOO_LARGE_UPLOAD,
    USER_BODY,
    client_op,
    metadata,
    secret_op,
)

ROOM = "/v2/rooms/{roomId}"
THREADS = ROOM + "/threads"
THREAD = THREADS + "/{threadId}"
COMMENT = THREAD + "/comments/{commentId}"
ATTACHMENT = ROOM + "/attachments/{attachmentId}"

QUERY = {"name": "query", "in": "query", "schema": string(),
         "description": "Thread filter: resolved:false metadata['k']:'v' …"}
ATTACHMENT_IDS = {"type": "array", "items": string(1, 128), "maxItems": 50}
NEW_COMMENT = open_object({
    "userId": string(1, 128), "body": ref("CommentBody"), "createdAt": TIMESTAMP,
    "metadata": metadata(), "attachmentIds": ATTACHMENT_IDS}, ["userId", "body"])
COMMENT_EDIT = open_object({"body": ref("CommentBody"), "editedAt": TIMESTAMP,
                            "metadata": metadata(in_update=True),
                            "attachmentIds": ATTACHMENT_IDS}, ["body"])
REACTION = open_object({"emoji": string(1, MAX_EMOJI), "userId": string(1, 128),
                        "createdAt": TIMESTAMP, "removedAt": TIMESTAMP}, ["emoji", "userId"])
FILE_SIZE = {"name": "fileSize", "in": "query", "schema": string(1, 12, pattern=r"^\d+$")}
USER_ID = {"name": "userId", "in": "query", "schema": string(1, 128)}
MULTIPART_STARTED = ok(open_object({"attachmentId": NON_EMPTY, "uploadId": NON_EMPTY},
                                   ["attachmentId", "uploadId"],
                                   additionalProperties=False))
PART_OK = ok(open_object({"partNumber": {"type": "integer"}, "etag": NON_EMPTY},
                         ["partNumber", "etag"], additionalProperties=False))
PARTS = open_object({"parts": {"type": "array", "items": open_object(
    {"partNumber": {"type": "integer"}, "etag": string()}, ["partNumber", "etag"])}},
    ["parts"])
UPLOAD_ERRORS = {"400": error("400"), "409": CONFLICT, "413": TOO_LARGE_UPLOAD}


def octets_op(summary: str, responses: dict[str, object], parameters: list[object],
            browser: bool = False) -> dict[str, object]:
    make = client_op if browser else secret_op
    return make(summary, {**UPLOAD_ERRORS, **responses}, parameters=parameters,
                extensions={"requestBody": OCTETS})


SECRET_ENDPOINTS = [
    Endpoint("GET", THREADS, secret.get_threads, secret_op(
        "List a room's threads (S1), oldest first",
        {"200": ok(open_object({"data": {"type": "array", "items": ref("Thread")}}, ["data"],
                               additionalProperties=False))}, parameters=[QUERY])),
    Endpoint("POST", THREADS, secret.create_thread, secret_op(
        "Create a thread with its first comment (S2)", {"200": THREAD_OK, "409": CONFLICT},
        body=open_object({"comment": NEW_COMMENT, "metadata": metadata(),
                          "visibility": {"enum": ["public", "private"]}}, ["comment"]))),
    Endpoint("GET", THREAD, secret.get_thread, secret_op("Get a thread (S3)",
                                                         {"200": THREAD_OK})),
    Endpoint("DELETE", THREAD, secret.delete_thread, secret_op("Delete a thread (S4)",
                                                               {"204": NO_CONTENT})),
    Endpoint("POST", THREAD + "/metadata", secret.edit_thread_metadata, secret_op(
        "Edit a thread's metadata (S5); null removes a key", {"200": METADATA_OK},
        body=METADATA_EDIT)),
    Endpoint("POST", THREAD + "/mark-as-resolved", secret.mark_as_resolved, secret_op(
        "Resolve a thread (S6)", {"200": THREAD_OK}, body=USER_BODY)),
    Endpoint("POST", THREAD + "/mark-as-unresolved", secret.mark_as_unresolved, secret_op(
        "Unresolve a thread (S7)", {"200": THREAD_OK}, body=USER_BODY)),
    Endpoint("POST", THREAD + "/subscribe", secret.subscribe, secret_op(
        "Subscribe a user to a thread (S8)", {"200": SUBSCRIPTION_OK}, body=USER_BODY)),
    Endpoint("POST", THREAD + "/unsubscribe", secret.unsubscribe, secret_op(
        "Unsubscribe a user from a thread (S9)", {"200": EMPTY_OK}, body=USER_BODY)),
    Endpoint("GET", THREAD + "/subscriptions", secret.get_subscriptions, secret_op(
        "A thread's subscriptions (S10)",
        {"200": ok(open_object({"data": {"type": "array", "items": ref("ThreadSubscription")}},
                               ["data"], additionalProperties=False))})),
    Endpoint("GET", THREAD + "/participants", secret.get_participants, secret_op(
        "Commenters and mentioned users (S11, deprecated by Liveblocks)",
        {"200": ok(open_object({"participantIds": {"type": "array", "items": NON_EMPTY}},
                               ["participantIds"], additionalProperties=False))})),
    Endpoint("GET", THREAD + "/inbox-notifications", secret.get_thread_inbox_notifications,
             secret_op("Every user's thread notification about a thread (S12)",
                       {"200": ok(open_object({"data": {"type": "array", "items": open_object(
                           {"kind": {"const": "thread"}, "id": NON_EMPTY, "userId": NON_EMPTY,
                            "threadId": NON_EMPTY, "roomId": NON_EMPTY,
                            "notifiedAt": {"type": "string"},
                            "readAt": {"type": ["string", "null"]},
                            "organizationId": {"type": "string"}},
                           ["kind", "id", "userId", "threadId", "roomId", "notifiedAt",
                            "readAt"], additionalProperties=False)}},
                                              ["data"], additionalProperties=False))})),
    Endpoint("POST", THREAD + "/comments", secret.create_comment, secret_op(
        "Add a comment (S13)", {"200": COMMENT_OK, "409": CONFLICT}, body=NEW_COMMENT)),
    Endpoint("GET", COMMENT, secret.get_comment, secret_op("Get a comment (S14)",
                                                           {"200": COMMENT_OK})),
    Endpoint("POST", COMMENT, secret.edit_comment, secret_op(
        "Edit a comment (S15)", {"200": COMMENT_OK}, body=COMMENT_EDIT)),
    Endpoint("DELETE", COMMENT, secret.delete_comment, secret_op(
        "Delete a comment (S16); the thread goes with its last comment", {"204": NO_CONTENT})),
    Endpoint("POST", COMMENT + "/metadata", secret.edit_comment_metadata, secret_op(
        "Edit a comment's metadata (S17)", {"200": METADATA_OK}, body=METADATA_EDIT)),
    Endpoint("POST", COMMENT + "/add-reaction", secret.add_reaction, secret_op(
        "Add a reaction (S18); 409 if the user already has it",
        {"200": ok(ref("UserReaction")), "409": CONFLICT}, body=REACTION)),
    Endpoint("POST", COMMENT + "/remove-reaction", secret.remove_reaction, secret_op(
        "Remove a reaction (S19); 404 if the user has none", {"204": NO_CONTENT},
        body=REACTION)),
    Endpoint("GET", ATTACHMENT, attachments.get_attachment, secret_op(
        "An attachment with a download URL valid one hour (S20)",
        {"200": ok(open_object({"type": {"const": "attachment"}, "id": NON_EMPTY,
                                "name": NON_EMPTY, "size": {"type": "integer"},
                                "mimeType": NON_EMPTY, "url": NON_EMPTY,
                                "expiresAt": TIMESTAMP},
                               ["type", "id", "name", "size", "mimeType", "url", "expiresAt"],
                               additionalProperties=False))})),
    Endpoint("PUT", ATTACHMENT + "/upload/{name}", attachments.upload_attachment, octets_op(
        "Upload an attachment in one request (S21)", {"200": ATTACHMENT_OK},
        [USER_ID, FILE_SIZE])),
    Endpoint("POST", ATTACHMENT + "/multipart/{multipartKey}", attachments.start_multipart,
             secret_op("Start a multipart upload (S22); the path names the file",
                       {"200": MULTIPART_STARTED, "409": CONFLICT, "413": TOO_LARGE_UPLOAD},
                       parameters=[USER_ID, FILE_SIZE])),
    Endpoint("PUT", ATTACHMENT + "/multipart/{uploadId}/{partNumber}", attachments.upload_part,
             octets_op("Upload one part (S23)", {"200": PART_OK}, [])),
    Endpoint("POST", ATTACHMENT + "/multipart/{uploadId}/complete",
             attachments.complete_multipart, secret_op(
        "Complete a multipart upload (S24)", {"200": ATTACHMENT_OK, "409": CONFLICT,
                                              "413": TOO_LARGE_UPLOAD},
        body=PARTS, parameters=[USER_ID])),
    Endpoint("DELETE", ATTACHMENT + "/multipart/{multipartKey}", attachments.abort_multipart,
             secret_op("Abort a multipart upload (S25); the path names the upload id",
                       {"204": NO_CONTENT})),
]

SECRET_FEATURE = Feature("comments", SECRET_ENDPOINTS, schemas=SCHEMAS, parameters=PARAMETERS)
