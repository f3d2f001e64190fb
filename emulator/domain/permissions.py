"""Room permission strings: the closed set that Liveblocks (and both SDKs) accept."""

from __future__ import annotations

# Both official SDKs refuse any other string before sending, and Liveblocks
# answers 422 for one: room accesses and token permissions share this set.
ROOM_PERMISSIONS: frozenset[str] = frozenset(
    {
        "room:write",
        "room:read",
        "room:presence:write",
        "*:read",
        "*:write",
        "storage:read",
        "storage:write",
        "storage:none",
        "comments:read",
        "comments:write",
        "comments:none",
        "comments:public:read",
        "comments:public:write",
        "comments:public:none",
        "comments:private:read",
        "comments:private:write",
        "comments:private:none",
        "feeds:read",
        "feeds:write",
        "feeds:none",
    }
)
