"""The users tab: the users the emulator has heard of (``known_users``), and for one user
their inbox (paged, mark read, delete), notification settings and groups.

Inbox, settings and groups are read through their stores' public reading methods, and every
change goes through the REST API (``/dashboard/api``), so notifications made by other
features (comments, triggers) show up here without this module knowing how.

Live: the list and the user re-render on ``emulator.restChange`` (any REST change, e.g. a
notification triggered or read) and on the comment events (comments notify users).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state
from ...domain.errors import InvalidInput
from ...domain.webhook_events import COMMENT_EVENTS
from ...state import EmulatorState
from ..known_users import known_users
from ..paging import page_of
from ..registry import Tab, view
from ..render import fragment, page

USERS_PAGE = 100
INBOX_PAGE = 50
REFRESH_ON = " ".join(["emulator.restChange", *sorted(COMMENT_EVENTS)])


def _user_list(state: EmulatorState, prefix: str, asked: str | None,
               selected: str) -> dict[str, Any]:
    known = known_users(state)
    ids = sorted(user for user in known if user.startswith(prefix))
    shown = page_of(ids, asked, USERS_PAGE)
    return {"users": [(user, sorted(known[user])) for user in shown.items], "total": len(ids),
            "page": shown.number, "pages": shown.pages, "prefix": prefix,
            "selected": selected,
            "unread": {user: state.inbox.unread_count(user) for user in shown.items}}


def _user(state: EmulatorState, user_id: str, inbox_after: str | None) -> dict[str, Any]:
    error = None
    try:
        notifications, next_cursor = state.inbox.page(user_id, limit=INBOX_PAGE,
                                                      starting_after=inbox_after)
    except InvalidInput as invalid:  # a stale cursor (the inbox changed): the first page
        error = invalid.message
        notifications, next_cursor = state.inbox.page(user_id, limit=INBOX_PAGE,
                                                      starting_after=None)
        inbox_after = None
    room_settings, _ = state.notification_settings.rooms_of(user_id, limit=50,
                                                            starting_after=None)
    groups, _ = state.groups.page(limit=100, starting_after=None, user_id=user_id)
    return {
        "user_id": user_id,
        "inbox": [(n.to_json(), n.unread) for n in notifications],
        "inbox_total": len(state.inbox.of_user(user_id)),
        "unread": state.inbox.unread_count(user_id),
        "inbox_after": inbox_after, "next_cursor": next_cursor, "inbox_error": error,
        "channels": state.notification_settings.channels(user_id),
        "room_settings": [(s.room_id, s.to_json()) for s in room_settings],
        "groups": [group.to_json() for group in groups],
    }


def _list_context(request: Request) -> dict[str, Any]:
    params = request.query_params
    return _user_list(emulator_state(request), params.get("prefix", ""),
                      params.get("page"), params.get("user", ""))


def _detail_context(request: Request) -> dict[str, Any]:
    params = request.query_params
    selected = params.get("user", "")
    detail = _user(emulator_state(request), selected, params.get("inbox_after") or None) \
        if selected else None
    return {"detail": detail}


async def users_page(request: Request) -> Response:
    return page(request, "users.html", tab="users", query=request.url.query,
                refresh_on=REFRESH_ON, **_list_context(request), **_detail_context(request))


async def users_list(request: Request) -> Response:
    return fragment("users_list.html", **_list_context(request))


async def user_detail(request: Request) -> Response:
    return fragment("user_detail.html", **_detail_context(request))


TAB = Tab("users", "Users", [
    view("GET", "/dashboard/users", users_page),
    view("GET", "/dashboard/users/list", users_list),
    view("GET", "/dashboard/users/detail", user_detail),
], order=25)
