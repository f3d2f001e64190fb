"""The browser's room calls around comments (COMMENTS.md C24–C26): room subscription
settings and marking the room's inbox notifications read.

Inbox notifications belong to the notifications feature; until it reaches the browser,
marking read is accepted and changes nothing. Text mentions (C27/C28) are served with the
Yjs calls.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import InvalidInput
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
