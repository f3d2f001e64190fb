"""User groups (``/v2/groups``): who belongs to which group.

Group mentions in comments notify the members, and ID tokens name groups that room
``groupsAccesses`` grant; the groups API is how a backend keeps the list. A group is
``{type: "group", id, organizationId, createdAt, updatedAt, scopes: {mention}, members:
[{id, addedAt}]}`` (both SDKs parse exactly these fields).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .clock import Clock, format_ms
from .errors import Conflict, InvalidInput, NotFound
from .paging import page
from .room_inputs import require_object

MAX_GROUP_ID_LENGTH = 128
MAX_MEMBERS = 1_000
DEFAULT_ORGANIZATION = "default"


class GroupNotFound(NotFound):
    default_code = "GROUP_NOT_FOUND"


@dataclass(slots=True)
class Group:
    id: str
    organization_id: str
    created_ms: int
    updated_ms: int
    sequence: int
    mention: bool = True
    members: dict[str, int] = field(default_factory=dict)  # user id -> added at (ms), in order

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "group",
            "id": self.id,
            "organizationId": self.organization_id,
            "createdAt": format_ms(self.created_ms),
            "updatedAt": format_ms(self.updated_ms),
            "scopes": {"mention": self.mention},
            "members": [{"id": user, "addedAt": format_ms(ms)}
                        for user, ms in self.members.items()],
        }


def _group_id(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_GROUP_ID_LENGTH:
        raise InvalidInput(
            f"id must be a string of 1 to {MAX_GROUP_ID_LENGTH} characters, got {value!r}")
    return value


def member_ids(value: Any, field_name: str = "memberIds") -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f"{field_name} must be a list of non-empty user ids, got {value!r}")
    if len(value) > MAX_MEMBERS:
        raise InvalidInput(f"{field_name} may hold at most {MAX_MEMBERS} ids, got {len(value)}")
    return list(dict.fromkeys(value))


def _copy(group: Group) -> Group:
    return replace(group, members=dict(group.members))


class GroupStore:
    """Groups by id. It takes part in the incremental reset: it notes which groups changed
    and puts back only those."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._groups: dict[str, Group] = {}
        self._sequence = 0
        self._baseline: dict[str, Group] = {}
        self._touched: set[str] = set()

    def __iter__(self) -> Iterator[Group]:
        return iter(self._groups.values())

    def __len__(self) -> int:
        return len(self._groups)

    def clear(self) -> None:
        self._touched |= set(self._groups) | set(self._baseline)
        self._groups.clear()

    def mark_baseline(self) -> None:
        self._baseline = {gid: _copy(g) for gid, g in self._groups.items()}
        self._touched = set()

    def restore_baseline(self) -> None:
        for group_id in self._touched:
            saved = self._baseline.get(group_id)
            if saved is None:
                self._groups.pop(group_id, None)
            else:
                self._groups[group_id] = _copy(saved)
        # Listing order is by sequence: put the groups back in it.
        self._groups = dict(sorted(self._groups.items(), key=lambda item: item[1].sequence))
        self._touched = set()

    def get(self, group_id: str) -> Group:
        group = self._groups.get(group_id)
        if group is None:
            raise GroupNotFound(f"Group with id '{group_id}' was not found")
        return group

    def find(self, group_id: str) -> Group | None:
        return self._groups.get(group_id)

    def create(self, body: Any) -> Group:
        """From ``{id, memberIds?, organizationId?, scopes?: {mention}}`` (all checked first)."""
        body = require_object(body, "Request body")
        group_id = _group_id(body.get("id"))
        members = member_ids(body.get("memberIds", []))
        organization = body.get("organizationId", DEFAULT_ORGANIZATION)
        if organization is None:
            organization = DEFAULT_ORGANIZATION
        if not isinstance(organization, str) or not organization:
            raise InvalidInput(f"organizationId must be a non-empty string, got {organization!r}")
        scopes = require_object(body.get("scopes") or {}, "scopes")
        mention = scopes.get("mention", True)
        if not isinstance(mention, bool):
            raise InvalidInput(f"scopes.mention must be a boolean, got {mention!r}")
        if group_id in self._groups:
            raise Conflict(f"Group with id '{group_id}' already exists",
                           code="GROUP_ALREADY_EXISTS")
        now = self._clock()
        self._sequence += 1
        group = Group(group_id, organization, now, now, self._sequence, mention,
                      dict.fromkeys(members, now))
        self._groups[group_id] = group
        self._touched.add(group_id)
        return group

    def restore(self, group: Group) -> None:
        """Put a group read from a fixture back (its sequence follows the others)."""
        self._sequence += 1
        group.sequence = self._sequence
        self._groups[group.id] = group
        self._touched.add(group.id)

    def delete(self, group_id: str) -> None:
        self.get(group_id)
        del self._groups[group_id]
        self._touched.add(group_id)

    def add_members(self, group_id: str, users: list[str]) -> Group:
        group = self.get(group_id)
        now = self._clock()
        for user in users:
            group.members.setdefault(user, now)
        group.updated_ms = now
        self._touched.add(group_id)
        return group

    def remove_members(self, group_id: str, users: list[str]) -> Group:
        group = self.get(group_id)
        for user in users:
            group.members.pop(user, None)
        group.updated_ms = self._clock()
        self._touched.add(group_id)
        return group

    def members_of(self, group_id: str) -> list[str]:
        """The members of a group; none for a group that does not exist."""
        group = self._groups.get(group_id)
        return list(group.members) if group else []

    def page(self, *, limit: int, starting_after: str | None,
             user_id: str | None = None) -> tuple[list[Group], str | None]:
        groups = [g for g in self._groups.values() if user_id is None or user_id in g.members]
        return page(groups, lambda g: g.sequence, limit=limit, starting_after=starting_after)
