"""The browser's room calls around comments (COMMENTS.md C24–C28): room subscription
settings, marking the room's inbox notifications read, and text mentions.

Inbox notifications belong to the notifications feature; until it exists, marking read
and text mentions are accepted and change nothing.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import Forbidden, InvalidInput
from ..responses import JSONResponse, no_content
from .client import in_room
from .common import read_object

DEFAULT_SETTINGS = {"threads": "replies_and_mentions", "textMentions": "mine"}
CHOICES = {"threads": ("all", "replies_and_mentions", "none"), "textMentions": ("mine", "none")}


async def get_subscription_settings(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    held = here.state.comments.find(here.room)
    mine = {} if held is None else held.settings.get(here.caller.user_id, {})
    return JSONResponse({**DEFAULT_SETTINGS, **mine})


async def update_subscription_settings(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    body = await read_object(request)
    for key, value in body.items():
        if key not in CHOICES or value not in CHOICES[key]:
            raise InvalidInput(f"{key} must be one of "
                               f"{', '.join(CHOICES.get(key, ('threads', 'textMentions')))}")
    held = here.state.comments.of(here.room)
    mine = held.settings.setdefault(here.caller.user_id, {})
    mine.update(body)
    return JSONResponse({**DEFAULT_SETTINGS, **mine})


async def mark_inbox_notifications_read(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    ids = (await read_object(request)).get("inboxNotificationIds")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("inboxNotificationIds must be an array of ids")
    return no_content()


def _require_storage_write(request: Request) -> None:
    # Text mentions come from text editors, which write storage (COMMENTS.md §1.2).
    if in_room(request).levels.get("storage") != "write":
        raise Forbidden("Text mentions need storage:write", code="STORAGE_ACCESS_DENIED")


async def create_text_mention(request: Request) -> Response:
    _require_storage_write(request)
    body = await read_object(request)
    if not isinstance(body.get("mentionId"), str):
        raise InvalidInput("mentionId must be a string")
    return no_content()


async def delete_text_mention(request: Request) -> Response:
    _require_storage_write(request)
    return no_content()
