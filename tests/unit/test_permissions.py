"""Who may do what in a room: rooms × users × groups × token patterns, as Liveblocks documents it.

Outcomes: "write" (enter, edit storage), "read" (enter, read storage only),
"no-storage" (enter, no storage at all), "none" (refused at the door).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.permissions import (
    NO_ACCESS,
    ROOM_PERMISSIONS,
    RoomAccess,
    access_from_access_token,
    access_from_id_token,
    access_from_public_key,
    access_from_scopes,
    is_room_pattern,
    pattern_matches,
)
from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import Room, RoomStore

READ_WITH_PRESENCE = ["room:read", "room:presence:write"]  # the docs' "read access with presence"


def outcome(access: RoomAccess) -> str:
    if not access.may_enter:
        return "none"
    assert access.may_write_presence  # whoever is in may show their presence
    if access.may_write_storage:
        return "write"
    return "read" if access.may_read_storage else "no-storage"


ROOMS: dict[str, dict[str, Any]] = {
    "public": {"defaultAccesses": ["room:write"]},
    "read-only": {"defaultAccesses": READ_WITH_PRESENCE},
    "private": {
        "defaultAccesses": [],
        "usersAccesses": {"alice": ["room:write"], "bob": READ_WITH_PRESENCE},
        "groupsAccesses": {"engineering": READ_WITH_PRESENCE, "design": ["room:write"]},
    },
    # "write access to everything except read-only access to storage" (permissions guide)
    "storage-read": {"defaultAccesses": ["*:write", "storage:read"]},
    # "read access to everything, except write access to comments and no access to feeds"
    "comments-write": {"defaultAccesses": ["*:read", "comments:write", "feeds:none"]},
    # Each level further down overrides the ones above, downwards too.
    "demoted-guest": {"defaultAccesses": ["room:write"], "usersAccesses": {"guest": ["room:read"]}},
    "storage-by-level": {
        "defaultAccesses": ["*:read"],
        "usersAccesses": {"alice": ["storage:write"]},
        "groupsAccesses": {"design": ["storage:none"]},
    },
    # Resource permissions need a base one: this room lets nobody in.
    "no-base": {"defaultAccesses": ["storage:write"], "usersAccesses": {"alice": ["comments:write"]}},
}

USERS: dict[str, tuple[str, list[str]]] = {
    "alice": ("alice", []),
    "bob": ("bob", []),
    "carol@eng": ("carol", ["engineering"]),
    "dave@design": ("dave", ["design"]),
    "erin@eng+design": ("erin", ["engineering", "design"]),
    "bob@design": ("bob", ["design"]),  # the user's own access beats the group's
    "guest": ("guest", []),
}

# room → outcome per user, in USERS order; the last column is the public key.
EXPECTED: dict[str, tuple[str, ...]] = {
    #                  alice       bob     carol@eng  dave@design  erin@both  bob@design  guest   public key
    "public":         ("write",   "write", "write",   "write",     "write",   "write",    "write",   "write"),
    "read-only":      ("read",    "read",  "read",    "read",      "read",    "read",     "read",    "read"),
    "private":        ("write",   "read",  "read",    "write",     "write",   "read",     "none",    "none"),
    "storage-read":   ("read",    "read",  "read",    "read",      "read",    "read",     "read",    "read"),
    "comments-write": ("read",    "read",  "read",    "read",      "read",    "read",     "read",    "read"),
    "demoted-guest":  ("write",   "write", "write",   "write",     "write",   "write",    "read",    "write"),
    "storage-by-level": ("write", "read",  "read",    "no-storage", "no-storage", "no-storage", "read", "read"),
    "no-base":        ("none",    "none",  "none",    "none",      "none",    "none",     "none",    "none"),
}


def make_room(room_id: str) -> Room:
    fields = ROOMS[room_id]
    return RoomStore(lambda: 0).create(RoomCreation(
        id=room_id,
        default_accesses=fields["defaultAccesses"],
        users_accesses=fields.get("usersAccesses", {}),
        groups_accesses=fields.get("groupsAccesses", {}),
    ))


ID_TOKEN_CASES = [
    (room_id, user, EXPECTED[room_id][column])
    for room_id in ROOMS
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("room_id", "user", "expected"), ID_TOKEN_CASES)
def test_id_token_outcome(room_id: str, user: str, expected: str) -> None:
    user_id, groups = USERS[user]
    assert outcome(access_from_id_token(make_room(room_id), user_id, groups)) == expected


@pytest.mark.parametrize("room_id", list(ROOMS))
def test_public_key_outcome(room_id: str) -> None:
    assert outcome(access_from_public_key(make_room(room_id))) == EXPECTED[room_id][-1]


def test_the_expected_table_is_complete() -> None:
    assert set(EXPECTED) == set(ROOMS)
    assert all(len(row) == len(USERS) + 1 for row in EXPECTED.values())


# pattern table → room id → outcome
ACCESS_TOKEN_CASES: list[tuple[dict[str, list[str]], str, str]] = [
    ({"*": ["room:write"]}, "anything", "write"),
    ({"*": ["*:read"]}, "", "read"),
    # The access-token guide's example.
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "design:9Hdu73", "write"),
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "product:launch", "read"),
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "product:", "read"),
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "design:other", "none"),
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "design:9Hdu73x", "none"),
    ({"design:9Hdu73": ["*:write"], "product:*": ["*:read"]}, "Product:launch", "none"),
    # Full access to the org's product rooms, read access to the rest of the org.
    ({"Vu78Rt:product:*": ["*:write"], "Vu78Rt:*": ["*:read"]}, "Vu78Rt:product:6Dsw12", "write"),
    ({"Vu78Rt:*": ["*:read"], "Vu78Rt:product:*": ["*:write"]}, "Vu78Rt:product:6Dsw12", "write"),
    ({"Vu78Rt:product:*": ["*:write"], "Vu78Rt:*": ["*:read"]}, "Vu78Rt:design:9Hdu73", "read"),
    ({"Vu78Rt:product:*": ["*:write"], "Vu78Rt:*": ["*:read"]}, "Acme:product:1", "none"),
    # The base access adds up; a resource comes from the most specific pattern naming it.
    ({"a*": ["*:write"], "ab": ["*:read", "storage:read"]}, "ab", "read"),
    ({"a*": ["*:write"], "ab": ["*:read", "storage:read"]}, "abc", "write"),
    ({"a*": ["*:write", "storage:none"], "ab*": ["storage:write"]}, "abc", "write"),
    ({"a*": ["*:write", "storage:none"], "ab*": ["storage:write"]}, "ax", "no-storage"),
    ({"r": ["storage:write"]}, "r", "none"),
    ({"r": ["room:presence:write"]}, "r", "none"),
    ({"r": READ_WITH_PRESENCE}, "r", "read"),
    ({}, "r", "none"),
]


@pytest.mark.parametrize(("perms", "room_id", "expected"), ACCESS_TOKEN_CASES)
def test_access_token_outcome(perms: dict[str, list[str]], room_id: str, expected: str) -> None:
    assert outcome(access_from_access_token(perms, room_id)) == expected


def test_comment_rights_follow_the_same_rules() -> None:
    assert access_from_scopes(["*:read", "comments:write"]).may_write_comments
    assert access_from_scopes(["*:read", "comments:public:write"]).may_write_comments
    assert not access_from_scopes(["*:write", "comments:read"]).may_write_comments
    assert not access_from_scopes(["comments:write"]).may_write_comments


# ------------------------------------------------------------------ scopes for ROOM_STATE


def test_public_key_scopes_are_the_room_defaults() -> None:
    assert access_from_public_key(make_room("read-only")).scopes == READ_WITH_PRESENCE
    assert access_from_public_key(make_room("private")).scopes == []


def test_id_token_scopes_are_the_merged_levels() -> None:
    assert access_from_id_token(make_room("private"), "alice").scopes == ["*:write"]
    assert access_from_id_token(make_room("private"), "bob", ["design"]).scopes == ["*:read"]
    assert access_from_id_token(make_room("storage-by-level"), "alice").scopes == ["*:read", "storage:write"]
    assert access_from_id_token(make_room("comments-write"), "x").scopes == ["*:read", "comments:write", "feeds:none"]
    assert access_from_id_token(make_room("private"), "guest") == NO_ACCESS


def test_access_token_scopes() -> None:
    # One matching entry: its own list, as Liveblocks' dev server sends it.
    assert access_from_access_token({"r": ["room:write", "room:write"]}, "r").scopes == ["room:write"]
    # Several: the list that gives the merged rights.
    merged = access_from_access_token({"a*": ["*:write"], "ab": ["*:read", "storage:read"]}, "ab")
    assert merged.scopes == ["*:write", "storage:read"]


def test_unknown_strings_never_reach_the_scopes() -> None:
    assert access_from_scopes(["bogus", "room:write", "room:write"]).scopes == ["room:write"]
    assert access_from_access_token({"*": ["bogus", "*:read"]}, "x").scopes == ["*:read"]


permission_lists = st.lists(st.sampled_from(sorted(ROOM_PERMISSIONS)), max_size=5)


def rights(access: RoomAccess) -> tuple[bool, ...]:
    return (access.may_enter, access.may_read_storage, access.may_write_storage,
            access.may_write_presence, access.may_write_comments)


@given(st.dictionaries(st.sampled_from(["*", "a*", "ab*", "abc", "b*", "ab"]), permission_lists, max_size=6),
       st.sampled_from(["abc", "ab", "abd", "b", "c"]))
def test_scopes_give_back_the_same_rights(perms: dict[str, list[str]], room_id: str) -> None:
    access = access_from_access_token(perms, room_id)
    assert set(access.scopes) <= ROOM_PERMISSIONS
    assert rights(access_from_scopes(access.scopes)) == rights(access)
    # The order of the patterns in the token does not matter.
    reordered = access_from_access_token(dict(reversed(list(perms.items()))), room_id)
    assert rights(reordered) == rights(access)


@given(permission_lists, st.text(max_size=20))
def test_star_gives_the_same_everywhere(scopes: list[str], room_id: str) -> None:
    assert access_from_access_token({"*": scopes}, room_id) == access_from_scopes(scopes)


# ------------------------------------------------------------------ patterns

no_star = st.text(st.characters(blacklist_characters="*"), min_size=1, max_size=128)


@given(prefix=no_star, suffix=st.text(max_size=20))
def test_a_prefix_pattern_matches_every_id_that_starts_with_it(prefix: str, suffix: str) -> None:
    assert is_room_pattern(prefix + "*")
    assert pattern_matches(prefix + "*", prefix + suffix)


@given(prefix=no_star, room_id=st.text(max_size=40))
def test_a_prefix_pattern_matches_nothing_else(prefix: str, room_id: str) -> None:
    assert pattern_matches(prefix + "*", room_id) == room_id.startswith(prefix)


@given(exact=no_star, room_id=st.text(max_size=130))
def test_an_exact_id_matches_only_itself(exact: str, room_id: str) -> None:
    assert is_room_pattern(exact)
    assert pattern_matches(exact, exact)
    assert pattern_matches(exact, room_id) == (room_id == exact)


@given(st.text(max_size=40))
def test_star_matches_everything(room_id: str) -> None:
    assert pattern_matches("*", room_id)


@given(st.text(max_size=140))
def test_pattern_rule(text: str) -> None:
    # "*" alone, or 1–128 characters without "*", optionally followed by one "*".
    body = text.removesuffix("*")
    expected = text == "*" or (1 <= len(body) <= 128 and "*" not in body)
    assert is_room_pattern(text) == expected


@pytest.mark.parametrize("text", ["", "**", "*a", "a*b", "a**", "x" * 129, "x" * 129 + "*"])
def test_bad_patterns(text: str) -> None:
    assert not is_room_pattern(text)


@pytest.mark.parametrize("text", ["*", "a", "a*", "x" * 128, "x" * 128 + "*", "room\n", "é*"])
def test_good_patterns(text: str) -> None:
    assert is_room_pattern(text)
