"""Room permissions: the permission strings, and what a connection may do in a room.

A list of permission strings ("scopes") grants a base access to the whole room
(``*:read``/``*:write``, or the legacy ``room:read``/``room:write``) and may raise
or lower single resources (``storage:read``, ``comments:none``…). The rules are
those of Liveblocks' permissions guide, as the official client package
(@liveblocks/core 3.24, ``permissions.ts``) implements them:

- without a base permission nothing is granted, whatever else the list holds;
- within one list, the strongest level named for a resource wins;
- a resource not named gets the base level (public/private threads first
  follow ``comments:*``).

Where the scopes come from (PROTOCOL.md §1.3.1):
- public key: the room's ``defaultAccesses``;
- ID token: the room's ``defaultAccesses``, overridden by the accesses of the
  user's groups (merged, strongest wins), overridden by ``usersAccesses[uid]``:
  each level replaces the base access and the resources it names ("each level
  further down overrides the levels above", core's ``mergeRoomPermissionScopes``);
- access token: the ``perms`` entries whose pattern matches the room id (the
  exact id, or ``prefix*``; ``*`` matches every id). When several match, the
  base access is the strongest of them and each resource comes from the most
  specific (longest) pattern naming it, as the client resolves its token cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
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


def _merged(
    sources: Iterable[Levels], combine: Callable[[AccessLevel, AccessLevel], AccessLevel]
) -> Levels:
    """Level maps merged in order; ``combine(earlier, later)`` settles each resource."""
    merged: Levels = {}
    for named in sources:
        for resource in (BASE, *RESOURCES):
            level = _resource_level(named, resource)
            if level is not None:
                merged[resource] = (
                    level if resource not in merged else combine(merged[resource], level)
                )
    return merged


def _later(earlier: AccessLevel, later: AccessLevel) -> AccessLevel:
    return later


def _complete(named: Levels) -> Levels | None:
    """Every resource's level, or None when there is no base access (no access at all)."""
    base = named.get(BASE)
    if base is None:  # other permissions need a base one to mean anything
        return None
    levels: Levels = {BASE: base}
    for resource in RESOURCES:
        fallback = levels["comments"] if resource.startswith("comments:") else base
        levels[resource] = named.get(resource) or fallback
    return levels


def _canonical_scopes(levels: Levels) -> list[str]:
    """The shortest permission list that gives ``levels``: the base, then what differs."""
    scopes = [_BASE_PERMISSION[levels[BASE]]]
    for resource in RESOURCES:
        parent = "comments" if resource.startswith("comments:") else BASE
        if levels[resource] != levels[parent]:
            scopes.append(f"{resource}:{levels[resource]}")
    return scopes


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


def _access(named: Levels, scopes: list[str] | None = None) -> RoomAccess:
    """The access ``named`` levels give; ``scopes`` defaults to their canonical list."""
    levels = _complete(named)
    if levels is None:
        return NO_ACCESS
    return RoomAccess(
        scopes=_canonical_scopes(levels) if scopes is None else scopes,
        may_enter=True,
        may_read_storage=levels["storage"] != "none",
        may_write_storage=levels["storage"] == "write",
        # Presence is part of being in the room: read access includes it (the
        # SDKs' READ_ACCESS became ``["*:read"]``, without ``room:presence:write``).
        may_write_presence=True,
        # Commenting is allowed if any kind of thread (public, private) may be written.
        may_write_comments=any(
            levels[r] == "write" for r in RESOURCES if r.startswith("comments")
        ),
    )


def _known(scopes: Iterable[str]) -> list[str]:
    return [scope for scope in dict.fromkeys(scopes) if scope in ROOM_PERMISSIONS]


def access_from_scopes(scopes: Iterable[str]) -> RoomAccess:
    """The access one list of permission strings gives; the list itself becomes the scopes."""
    kept = _known(scopes)
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
    """Room defaults, overridden by the user's groups, overridden by the user's own accesses."""
    groups = room.groups_accesses
    in_groups = [_named_levels(groups[g]) for g in dict.fromkeys(group_ids) if g in groups]
    user = room.users_accesses.get(user_id, ()) if user_id is not None else ()
    sources = [
        _named_levels(room.default_accesses),
        _merged(in_groups, _strongest),  # groups are peers: the strongest wins
        _named_levels(user),
    ]
    return _access(_merged(sources, _later))


def access_from_access_token(perms: Mapping[str, Sequence[str]], room_id: str) -> RoomAccess:
    """What an access token's ``perms`` grant in ``room_id``."""
    matched = [
        (pattern, _known(scopes))
        for pattern, scopes in perms.items()
        if pattern_matches(pattern, room_id)
    ]
    if len(matched) == 1:  # the common case: the entry's own list, as the dev server sends it
        return access_from_scopes(matched[0][1])
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
    return _access(merged)


def resource_levels(scopes: Iterable[str]) -> Levels | None:
    """Every resource's level a list of permission strings gives; None: no access at all.

    Comments read it to tell public from private threads (``comments:public``/``private``).
    """
    return _complete(_named_levels(_known(scopes)))
