"""The browser's room calls around comments (COMMENTS.md C24–C26): room subscription
settings and marking the room's inbox notifications read.

Both read and write the same stores as the secret-key API (``state.notification_settings``,
``state.inbox``), so a backend and the browser see one truth. Text mentions (C27/C28) are
served with the Yjs calls.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import InvalidInput
from ...domain.notification_settings import check_room_settings_update
from ..responses import JSONResponse, no_content
from .client import in_room
from .common import read_object


async def get_subscription_settings(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    settings = here.state.notification_settings
    return JSONResponse(settings.room(here.room.id, here.caller.user_id))


async def update_subscription_settings(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    update = check_room_settings_update(await read_object(request))
    user = here.caller.user_id
    answer = here.state.notification_settings.update_room(here.room.id, user, update)
    if "threads" in update:
        here.state.notifier.room_threads_setting_changed(here.room, user)
    return JSONResponse(answer)


async def mark_inbox_notifications_read(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    ids = (await read_object(request)).get("inboxNotificationIds")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("inboxNotificationIds must be an array of ids")
    inbox = here.state.inbox
    wanted = set(ids)
    inbox.mark_read([n for n in inbox.of_user(here.caller.user_id)
                     if n.id in wanted and n.room_id == here.room.id])
    return no_content()
