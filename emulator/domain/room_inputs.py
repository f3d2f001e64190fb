"""Reading and checking room fields sent by clients (create, update, upsert).

The limits are the ones Liveblocks documents (the seed API reference): a value
that breaks one is refused with a message naming the field, the limit and the
offending value, and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidInput
from .permissions import ROOM_PERMISSIONS

MAX_ROOM_ID_LENGTH = 128
MAX_METADATA_ENTRIES = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 256
MAX_ACCESS_ENTRIES = 100
MAX_ACCESS_ID_LENGTH_ON_CREATE = 40
MAX_ACCESS_ID_LENGTH_ON_UPDATE = 256
MAX_ORGANIZATION_ID_LENGTH = 256

Metadata = dict[str, str | list[str]]
Accesses = dict[str, list[str]]


def shorten(text: str, limit: int = 60) -> str:
    """Quote a user value in a message without echoing 10,000 characters back."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def require_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object, got {_type_name(value)}")
    return value


def check_room_id(value: Any, field_name: str = "id") -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field_name} must be a string, got {_type_name(value)}")
    if value == "":
        raise InvalidInput(f"{field_name} must not be empty")
    if value in (".", ".."):
        # URL clients resolve these as path segments: such a room could never be addressed.
        raise InvalidInput(f"{field_name} cannot be {value!r}")
    if len(value) > MAX_ROOM_ID_LENGTH:
        raise InvalidInput(
            f"{field_name} must be at most {MAX_ROOM_ID_LENGTH} characters long "
            f"(got {len(value)})"
        )
    return value


def check_permissions(value: Any, field_name: str) -> list[str]:
    if not isinstance(value, list):
        raise InvalidInput(f"{field_name} must be an array of permissions, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str) or item not in ROOM_PERMISSIONS:
            shown = shorten(item) if isinstance(item, str) else _type_name(item)
            raise InvalidInput(
                f"{field_name} contains an invalid permission {shown}; valid permissions are "
                + ", ".join(sorted(ROOM_PERMISSIONS))
            )
    # Keep the client's order but drop repeats, as a set of permissions is meant.
    return list(dict.fromkeys(value))


def check_organization_id(value: Any, field_name: str = "organizationId") -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field_name} must be a string, got {_type_name(value)}")
    if value == "" or len(value) > MAX_ORGANIZATION_ID_LENGTH:
        raise InvalidInput(
            f"{field_name} must be between 1 and {MAX_ORGANIZATION_ID_LENGTH} characters long"
        )
    return value


def _check_metadata_value(key: str, value: Any) -> str | list[str]:
    def check_string(text: str) -> str:
        if len(text) > MAX_METADATA_VALUE_LENGTH:
            raise InvalidInput(
                f"metadata value for key {shorten(key)} must be at most "
                f"{MAX_METADATA_VALUE_LENGTH} characters long (got {len(text)})"
            )
        return text

    if isinstance(value, str):
        return check_string(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [check_string(item) for item in value]
    raise InvalidInput(
        f"metadata value for key {shorten(key)} must be a string or an array of strings, "
        f"got {_type_name(value)}"
    )


def _check_metadata_key(key: str) -> str:
    if len(key) > MAX_METADATA_KEY_LENGTH:
        raise InvalidInput(
            f"metadata key {shorten(key)} must be at most {MAX_METADATA_KEY_LENGTH} "
            f"characters long (got {len(key)})"
        )
    return key


def _check_metadata_size(metadata: dict[str, Any]) -> None:
    if len(metadata) > MAX_METADATA_ENTRIES:
        raise InvalidInput(
            f"metadata can have at most {MAX_METADATA_ENTRIES} entries (got {len(metadata)})"
        )


def _check_access_id(field_name: str, key: str, max_length: int) -> None:
    if key == "":
        raise InvalidInput(f"{field_name} keys must not be empty")
    if len(key) > max_length:
        raise InvalidInput(
            f"{field_name} id {shorten(key)} must be at most {max_length} characters long "
            f"(got {len(key)})"
        )


def _check_access_size(field_name: str, accesses: dict[str, Any]) -> None:
    if len(accesses) > MAX_ACCESS_ENTRIES:
        raise InvalidInput(
            f"{field_name} can have at most {MAX_ACCESS_ENTRIES} entries (got {len(accesses)})"
        )


@dataclass(slots=True)
class RoomCreation:
    """A checked request to create a room."""

    id: str
    default_accesses: list[str]
    metadata: Metadata = field(default_factory=dict)
    users_accesses: Accesses = field(default_factory=dict)
    groups_accesses: Accesses = field(default_factory=dict)
    organization_id: str = "default"

    def detached_copy(self) -> RoomCreation:
        """An equal request sharing no list or dict with this one (fixtures are re-used)."""
        return RoomCreation(
            self.id, list(self.default_accesses), copy_metadata(self.metadata),
            copy_accesses(self.users_accesses), copy_accesses(self.groups_accesses),
            self.organization_id,
        )


def copy_metadata(metadata: Metadata) -> Metadata:
    return {key: list(value) if isinstance(value, list) else value
            for key, value in metadata.items()}


def copy_accesses(accesses: Accesses) -> Accesses:
    return {key: list(value) for key, value in accesses.items()}


def parse_creation(
    body: Any,
    *,
    room_id: str | None = None,
    access_id_limit: int = MAX_ACCESS_ID_LENGTH_ON_CREATE,
) -> RoomCreation:
    """Check a create-room body. ``room_id`` is given when the id comes from the URL.

    Fixtures and snapshots pass the update limit for access ids: a room updated
    with a long user id must load back from its snapshot.
    """
    data = require_object(body, "Request body")
    if room_id is None:
        if "id" not in data:
            raise InvalidInput("id is required")
        room_id = check_room_id(data["id"])
    if "defaultAccesses" not in data:
        raise InvalidInput("defaultAccesses is required")
    creation = RoomCreation(
        id=room_id,
        default_accesses=check_permissions(data["defaultAccesses"], "defaultAccesses"),
    )
    if data.get("metadata") is not None:
        metadata = require_object(data["metadata"], "metadata")
        _check_metadata_size(metadata)
        creation.metadata = {
            _check_metadata_key(k): _check_metadata_value(k, v) for k, v in metadata.items()
        }
    for field_name, attribute in (
        ("usersAccesses", "users_accesses"),
        ("groupsAccesses", "groups_accesses"),
    ):
        if data.get(field_name) is None:
            continue
        accesses = require_object(data[field_name], field_name)
        _check_access_size(field_name, accesses)
        checked: Accesses = {}
        for key, perms in accesses.items():
            _check_access_id(field_name, key, access_id_limit)
            checked[key] = check_permissions(perms, f"{field_name}[{shorten(key)}]")
        setattr(creation, attribute, checked)
    if data.get("organizationId") is not None:
        creation.organization_id = check_organization_id(data["organizationId"])
    if data.get("engine") is not None and data["engine"] not in (1, 2):
        raise InvalidInput(f"engine must be 1 or 2, got {data['engine']!r}")
    return creation


@dataclass(slots=True)
class RoomUpdate:
    """A checked partial update. ``None`` in a map means: delete that key.

    ``clear_*`` flags say a whole map was set to null (clear it first).
    """

    default_accesses: list[str] | None = None
    metadata: dict[str, str | list[str] | None] = field(default_factory=dict)
    users_accesses: dict[str, list[str] | None] = field(default_factory=dict)
    groups_accesses: dict[str, list[str] | None] = field(default_factory=dict)
    clear_metadata: bool = False
    clear_users_accesses: bool = False
    clear_groups_accesses: bool = False


def parse_update(body: Any) -> RoomUpdate:
    data = require_object(body, "Request body")
    update = RoomUpdate()
    if "defaultAccesses" in data:
        # null removes the property: the room keeps no default access (private).
        value = data["defaultAccesses"]
        update.default_accesses = (
            [] if value is None else check_permissions(value, "defaultAccesses")
        )
    if "metadata" in data:
        if data["metadata"] is None:
            update.clear_metadata = True
        else:
            metadata = require_object(data["metadata"], "metadata")
            for key, value in metadata.items():
                _check_metadata_key(key)
                update.metadata[key] = None if value is None else _check_metadata_value(key, value)
    for field_name, attribute, clear_flag in (
        ("usersAccesses", "users_accesses", "clear_users_accesses"),
        ("groupsAccesses", "groups_accesses", "clear_groups_accesses"),
    ):
        if field_name not in data:
            continue
        if data[field_name] is None:
            setattr(update, clear_flag, True)
            continue
        accesses = require_object(data[field_name], field_name)
        changes: dict[str, list[str] | None] = {}
        for key, perms in accesses.items():
            _check_access_id(field_name, key, MAX_ACCESS_ID_LENGTH_ON_UPDATE)
            label = f"{field_name}[{shorten(key)}]"
            changes[key] = None if perms is None else check_permissions(perms, label)
        setattr(update, attribute, changes)
    return update


def merged_metadata(current: Metadata, update: RoomUpdate) -> Metadata:
    result: Metadata = {} if update.clear_metadata else dict(current)
    for key, value in update.metadata.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    _check_metadata_size(result)
    return result


def merged_accesses(
    field_name: str, current: Accesses, changes: dict[str, list[str] | None], clear: bool
) -> Accesses:
    result: Accesses = {} if clear else dict(current)
    for key, perms in changes.items():
        if perms is None:
            result.pop(key, None)
        else:
            result[key] = perms
    _check_access_size(field_name, result)
    return result


def apply_update_to_creation(creation: RoomCreation, update: RoomUpdate) -> None:
    """Fold an update into a room about to be created (upsert of a missing room)."""
    creation.metadata = merged_metadata(creation.metadata, update)
    creation.users_accesses = merged_accesses(
        "usersAccesses", creation.users_accesses, update.users_accesses,
        update.clear_users_accesses,
    )
    creation.groups_accesses = merged_accesses(
        "groupsAccesses", creation.groups_accesses, update.groups_accesses,
        update.clear_groups_accesses,
    )
    if update.default_accesses is not None:
        creation.default_accesses = update.default_accesses
