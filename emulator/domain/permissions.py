"""Room permissions: the permission strings, and what a connection may do in a room.

A list of permission strings ("scopes") grants a base access to the whole room
(``*:read``/``*:write``, or the legacy ``room:read``/``room:write``) and may raise
or lower single resources (``storage:read``, ``comments:none``…). The rules follow
Liveblocks' permissions guide and the official client (@liveblocks/core 3.24,
``permissions.ts``), which evaluates the same lists to decide what it may do:

- without a base permission nothing is granted, whatever else the list holds;
- within one list, the strongest level named for a resource wins;
- a resource not named gets the base level (public/private threads fall back
  to ``comments:*`` first).

Where the scopes come from (PROTOCOL.md §1.3.1):
- public key: the room's ``defaultAccesses``;
- ID token: the room's ``defaultAccesses`` + ``usersAccesses[uid]`` +
  ``groupsAccesses[g]`` for each of the token's groups, as one list;
- access token: the token's ``perms`` entries whose pattern matches the room id
  (exact id, or ``prefix*``; ``*`` matches every id). When several match, the
  base access is the strongest of them and each resource comes from the most
  specific (longest) pattern that names it, as the client computes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

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

# Room id patterns in an access token: ``*``, or 1–128 characters without ``*``
# optionally followed by one ``*`` (the SDKs check the same expression).
ROOM_PATTERN = re.compile(r"[*]|[^*]{1,128}[*]?")
MAX_ROOM_PATTERNS = 10

AccessLevel = Literal["none", "read", "write"]
_RANK: dict[AccessLevel, int] = {"none": 0, "read": 1, "write": 2}

BASE = "room"  # the key of the base access in a level map
RESOURCES = ("storage", "comments", "comments:public", "comments:private", "feeds")

# permission string -> (resource, level). ``room:presence:write`` is absent on
# purpose: it is a legacy string that grants nothing on its own (read access
# already includes presence).
_GRANTS: dict[str, tuple[str, AccessLevel]] = {
    "*:read": (BASE, "read"),
    "room:read": (BASE, "read"),
    "*:write": (BASE, "write"),
    "room:write": (BASE, "write"),
    **{
        f"{resource}:{level}": (resource, level)
        for resource in RESOURCES
        for level in ("none", "read", "write")
    },
}
_BASE_PERMISSION: dict[AccessLevel, str] = {"read": "*:read", "write": "*:write"}

Levels = dict[str, AccessLevel]


def is_room_pattern(text: str) -> bool:
    return ROOM_PATTERN.fullmatch(text) is not None


def pattern_matches(pattern: str, room_id: str) -> bool:
    """``prefix*`` matches every id that starts with the prefix; anything else only itself."""
    if pattern.endswith("*"):
        return room_id.startswith(pattern[:-1])
    return pattern == room_id


def _strongest(left: AccessLevel, right: AccessLevel) -> AccessLevel:
    return right if _RANK[right] > _RANK[left] else left


def _named_levels(scopes: Iterable[str]) -> Levels:
    """The level each resource (and the base) is given by name: the strongest one named."""
    levels: Levels = {}
    for scope in scopes:
        grant = _GRANTS.get(scope)
        if grant is not None:
            resource, level = grant
            levels[resource] = _strongest(levels.get(resource, "none"), level)
    return levels


def _resource_level(named: Levels, resource: str) -> AccessLevel | None:
    if resource in named:
        return named[resource]
    # Public and private threads follow ``comments:*`` when not named themselves.
    return named.get("comments") if resource.startswith("comments:") else None


@dataclass(frozen=True, slots=True)
class RoomAccess:
    """What one connection may do in one room, and the scopes to tell the client.

    ``scopes`` goes to ROOM_STATE/USER_JOINED as is: it only holds valid
    permission strings (the client throws on any other), and the client derives
    the same rights from it as the fields below say.
    """

    scopes: list[str]
    may_enter: bool
    may_read_storage: bool
    may_write_storage: bool
    may_write_presence: bool
    may_write_comments: bool


NO_ACCESS = RoomAccess(
    scopes=[],
    may_enter=False,
    may_read_storage=False,
    may_write_storage=False,
    may_write_presence=False,
    may_write_comments=False,
)


def _access(named: Levels, scopes: list[str]) -> RoomAccess:
    base = named.get(BASE)
    if base is None:  # other permissions need a base one to mean anything
        return NO_ACCESS
    storage = _resource_level(named, "storage") or base
    comments = max(
        (_resource_level(named, r) or base for r in RESOURCES if r.startswith("comments")),
        key=_RANK.__getitem__,
    )
    return RoomAccess(
        scopes=scopes,
        may_enter=True,
        may_read_storage=storage != "none",
        may_write_storage=storage == "write",
        # Presence is part of entering: read access includes it (the SDKs'
        # READ_ACCESS became ``["*:read"]`` without ``room:presence:write``).
        may_write_presence=True,
        may_write_comments=comments == "write",
    )


def access_from_scopes(scopes: Iterable[str]) -> RoomAccess:
    """The access one list of permission strings gives (repeats and unknown strings dropped)."""
    kept = [scope for scope in dict.fromkeys(scopes) if scope in ROOM_PERMISSIONS]
    return _access(_named_levels(kept), kept)


class RoomAccesses(Protocol):
    """The permission fields of a room (``emulator.domain.rooms.Room`` has them)."""

    @property
    def default_accesses(self) -> Sequence[str]: ...

    @property
    def users_accesses(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def groups_accesses(self) -> Mapping[str, Sequence[str]]: ...


def access_from_public_key(room: RoomAccesses) -> RoomAccess:
    """Anyone holding the public key gets the room's default accesses."""
    return access_from_scopes(room.default_accesses)


def access_from_id_token(
    room: RoomAccesses, user_id: str | None, group_ids: Iterable[str] = ()
) -> RoomAccess:
    """Room defaults, the user's own accesses and those of each of their groups, together."""
    scopes = list(room.default_accesses)
    if user_id is not None:
        scopes.extend(room.users_accesses.get(user_id, ()))
    for group_id in group_ids:
        scopes.extend(room.groups_accesses.get(group_id, ()))
    return access_from_scopes(scopes)


def access_from_access_token(perms: Mapping[str, Sequence[str]], room_id: str) -> RoomAccess:
    """What an access token's ``perms`` grant in ``room_id``."""
    matched = [
        (pattern, [s for s in dict.fromkeys(scopes) if s in ROOM_PERMISSIONS])
        for pattern, scopes in perms.items()
        if pattern_matches(pattern, room_id)
    ]
    if not matched:
        return NO_ACCESS
    merged: Levels = {}
    specificity: dict[str, int] = {}
    for pattern, scopes in matched:
        named = _named_levels(scopes)
        if BASE in named:  # base access adds up: the strongest match wins
            merged[BASE] = _strongest(merged.get(BASE, "none"), named[BASE])
        weight = len(pattern.removesuffix("*"))
        for resource in RESOURCES:
            level = _resource_level(named, resource)
            if level is None:
                continue
            # A resource comes from the most specific pattern naming it.
            if weight > specificity.get(resource, -1):
                merged[resource], specificity[resource] = level, weight
            elif weight == specificity[resource]:
                merged[resource] = _strongest(merged[resource], level)
    if len(matched) == 1:
        return _access(merged, matched[0][1])
    return _access(merged, _scopes_for(merged))


def _scopes_for(levels: Levels) -> list[str]:
    """Permission strings that give exactly ``levels`` (for a merge of several patterns)."""
    base = levels.get(BASE)
    if base is None:
        return []
    return [_BASE_PERMISSION[base]] + [
        f"{resource}:{levels[resource]}" for resource in RESOURCES if resource in levels
    ]
