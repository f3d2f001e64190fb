"""The secret-key Comments API, S1–S19 of COMMENTS.md §3.1: threads, comments, metadata,
reactions, resolve, subscriptions and participants, with the statuses both SDKs expect
(Python 3.23 wants 204 for deletes and reaction removal, 200 for everything else)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...domain.clock import format_ms
from ...domain.comments_inputs import (
    check_body,
    check_emoji,
    check_metadata,
    check_metadata_patch,
    check_user_id,
    check_visibility,
    optional_strings,
    require_object,
)
from ...domain.comments_json import subscription_json
from ...domain.comments_query import parse_conditions, thread_matches
from ..requests import emulator_state, path_room
from ..responses import JSONResponse, no_content
from .common import comment_edit, comment_out, optional_date, path, read_object, thread_out

SECRET_QUERY_FIELDS = ("resolved", "visibility", "roomId", "metadata")


async def get_threads(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    text = request.query_params.get("query")
    conditions = parse_conditions(text, SECRET_QUERY_FIELDS) if text else []
    threads = [t for t in state.comments.threads(room)
               if thread_matches(conditions, t, room.id, None)]
    return JSONResponse({"data": [thread_out(state, room, t) for t in threads]})


async def create_thread(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    comment = require_object(body.get("comment"), "comment")
    thread = state.comments.create_thread(
        room,
        user_id=check_user_id(comment.get("userId"), "comment.userId"),
        body=check_body(comment.get("body"), "comment.body"),
        visibility=check_visibility(body.get("visibility")),
        metadata=check_metadata(body.get("metadata")),
        comment_metadata=check_metadata(comment.get("metadata"), "comment.metadata"),
        attachment_ids=optional_strings(comment.get("attachmentIds"), "comment.attachmentIds"),
        at_ms=optional_date(comment, "createdAt"),
    )
    return JSONResponse(thread_out(state, room, thread))


async def get_thread(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    return JSONResponse(thread_out(state, room, state.comments.thread(room, path(request,
                                                                                 "threadId"))))


async def delete_thread(request: Request) -> Response:
    state = emulator_state(request)
    state.comments.delete_thread(path_room(request), path(request, "threadId"))
    return no_content()


async def edit_thread_metadata(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    patch = check_metadata_patch(body.get("metadata"))
    user_id = check_user_id(body.get("userId"))
    metadata = state.comments.edit_thread_metadata(
        room, path(request, "threadId"), patch, user_id, optional_date(body, "updatedAt"))
    return JSONResponse(metadata)


async def _resolve(request: Request, resolved: bool) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    user_id = check_user_id(body.get("userId"))
    thread = state.comments.set_resolved(room, path(request, "threadId"), resolved, user_id)
    return JSONResponse(thread_out(state, room, thread))


async def mark_as_resolved(request: Request) -> Response:
    return await _resolve(request, True)


async def mark_as_unresolved(request: Request) -> Response:
    return await _resolve(request, False)


async def subscribe(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    user_id = check_user_id((await read_object(request)).get("userId"))
    thread_id = path(request, "threadId")
    since = state.comments.subscribe(room, thread_id, user_id)
    return JSONResponse(subscription_json(thread_id, since))


async def unsubscribe(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    user_id = check_user_id((await read_object(request)).get("userId"))
    state.comments.unsubscribe(room, path(request, "threadId"), user_id)
    return Response(status_code=200)  # Python 3.23 wants 200 here, not 204


async def get_subscriptions(request: Request) -> Response:
    state = emulator_state(request)
    thread = state.comments.thread(path_room(request), path(request, "threadId"))
    return JSONResponse({"data": [subscription_json(thread.id, since, user_id)
                                  for user_id, since in thread.subscriptions.items()]})


async def get_participants(request: Request) -> Response:
    state = emulator_state(request)
    thread = state.comments.thread(path_room(request), path(request, "threadId"))
    return JSONResponse({"participantIds": thread.participants()})


async def get_thread_inbox_notifications(request: Request) -> Response:
    # Every user's thread notification about the thread (S12 adds userId to each).
    state = emulator_state(request)
    room = path_room(request)
    thread = state.comments.thread(room, path(request, "threadId"))
    found = sorted(state.inbox.of_thread(thread.id, room.id),
                   key=lambda n: (n.notified_ms, n.sequence), reverse=True)
    return JSONResponse({"data": [{**n.to_json(), "userId": n.user_id} for n in found]})


async def create_comment(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    comment = state.comments.create_comment(
        room, path(request, "threadId"),
        user_id=check_user_id(body.get("userId")),
        body=check_body(body.get("body")),
        metadata=check_metadata(body.get("metadata")),
        attachment_ids=optional_strings(body.get("attachmentIds"), "attachmentIds"),
        at_ms=optional_date(body, "createdAt"),
    )
    return JSONResponse(comment_out(state, room, comment))


async def get_comment(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    _, comment = state.comments.comment(room, path(request, "threadId"),
                                        path(request, "commentId"))
    return JSONResponse(comment_out(state, room, comment))


async def edit_comment(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    comment = state.comments.edit_comment(
        room, path(request, "threadId"), path(request, "commentId"), **comment_edit(body),
        at_ms=optional_date(body, "editedAt"))
    return JSONResponse(comment_out(state, room, comment))


async def delete_comment(request: Request) -> Response:
    state = emulator_state(request)
    state.comments.delete_comment(path_room(request), path(request, "threadId"),
                                  path(request, "commentId"))
    return no_content()


async def edit_comment_metadata(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    patch = check_metadata_patch(body.get("metadata"))
    metadata = state.comments.edit_comment_metadata(
        room, path(request, "threadId"), path(request, "commentId"), patch,
        check_user_id(body.get("userId")), optional_date(body, "updatedAt"))
    return JSONResponse(metadata)


async def add_reaction(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    emoji = check_emoji(body.get("emoji"))
    user_id = check_user_id(body.get("userId"))
    at = state.comments.add_reaction(room, path(request, "threadId"), path(request, "commentId"),
                                     user_id, emoji, at_ms=optional_date(body, "createdAt"),
                                     strict=True)
    return JSONResponse({"emoji": emoji, "userId": user_id, "createdAt": format_ms(at)})


async def remove_reaction(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = await read_object(request)
    emoji = check_emoji(body.get("emoji"))
    user_id = check_user_id(body.get("userId"))
    state.comments.remove_reaction(room, path(request, "threadId"), path(request, "commentId"),
                                   user_id, emoji, at_ms=optional_date(body, "removedAt"),
                                   strict=True)
    return no_content()
