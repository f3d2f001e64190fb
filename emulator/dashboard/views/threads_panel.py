"""A room's threads and their comments (``state.comments``): resolved or not, metadata,
reactions, edits and deleted comments, paged ``PAGE_SIZE`` threads at a time (oldest first,
as ``useThreads`` lists them). Re-rendered on every comment webhook event of the room, so a
comment added over REST or by a client shows at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...domain.comments_inputs import body_text
from ...domain.comments_model import Comment, Thread
from ...domain.rooms import Room
from ...domain.webhook_events import COMMENT_EVENTS
from ...state import EmulatorState
from ..paging import page_of
from ..registry import RoomPanel

PAGE_SIZE = 20
PAGE_PARAM = "threads_page"


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id, "user_id": comment.user_id, "created_ms": comment.created_ms,
        "edited_ms": comment.edited_ms, "deleted": comment.is_deleted,
        "text": body_text(comment.body).strip(), "metadata": comment.metadata,
        "attachments": len(comment.attachment_ids),
        "reactions": [{"emoji": group.emoji, "users": list(group.users)}
                      for group in comment.reactions],
    }


def _thread(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.id, "created_ms": thread.created_ms, "updated_ms": thread.updated_ms,
        "resolved": thread.resolved, "visibility": thread.visibility,
        "metadata": thread.metadata, "subscribers": sorted(thread.subscriptions),
        "comments": [_comment(comment) for comment in thread.comments],
    }


def _threads(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    threads = state.comments.threads(room)
    shown = page_of(threads, params.get(PAGE_PARAM), PAGE_SIZE)
    return {"threads": [_thread(thread) for thread in shown.items], "total": len(threads),
            "page": shown.number, "pages": shown.pages, "page_param": PAGE_PARAM,
            "resolved": sum(1 for thread in threads if thread.resolved)}


PANELS = (
    RoomPanel("threads", "Threads and comments", "panel_threads.html", _threads,
              frozenset(COMMENT_EVENTS), order=60),
)
