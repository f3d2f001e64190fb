"""What the comments handlers share: reading bodies and dates, and turning records into
JSON for a room."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from ...domain.clock import parse_iso
from ...domain.comments_inputs import (
    check_body,
    check_metadata_patch,
    optional_strings,
    require_object,
)
from ...domain.comments_json import comment_json, thread_json
from ...domain.comments_model import Comment, Thread
from ...domain.errors import InvalidInput
from ...domain.rooms import Room
from ...state import EmulatorState
from ..requests import read_json


async def read_object(request: Request) -> dict[str, Any]:
    """The JSON object body; an empty body is ``{}`` (the client posts some calls bare)."""
    return require_object(await read_json(request, empty={}), "Request body")


def optional_date(body: dict[str, Any], key: str) -> int | None:
    """A caller-given ISO date (back-dates the change), in ms."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(f"{key} must be an ISO-8601 date string")
    try:
        return parse_iso(value)
    except ValueError:
        raise InvalidInput(f"{key} must be an ISO-8601 date, got {value!r}") from None


def thread_out(state: EmulatorState, room: Room, thread: Thread) -> dict[str, Any]:
    return thread_json(room.id, thread, state.comments.find(room))


def comment_out(state: EmulatorState, room: Room, comment: Comment) -> dict[str, Any]:
    return comment_json(room.id, comment, state.comments.find(room))


def path(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    return value


def comment_edit(body: dict[str, Any]) -> dict[str, Any]:
    """The fields of a comment edit (both APIs): a new body, and optionally the attachment
    ids it keeps and a metadata patch."""
    attachment_ids = body.get("attachmentIds")
    patch = body.get("metadata")
    return {
        "body": check_body(body.get("body")),
        "attachment_ids": (None if attachment_ids is None
                           else optional_strings(attachment_ids, "attachmentIds")),
        "metadata_patch": None if patch is None else check_metadata_patch(patch),
    }
