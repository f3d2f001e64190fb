"""Fixture documents: seeding schemas, rooms and storage, and snapshotting them back.

A fixture document (JSON, see fixtures/fixture.schema.json)::

    {"schemas": [{"name": "todo", "body": "type Storage {…}"}],
     "rooms": [{"id": "todos", "defaultAccesses": ["room:write"],
                "storage": {"liveblocksType": "LiveObject", "data": {…}},
                "schema": "todo@1"}]}

Loading is all or nothing: every entry is checked (shapes, limits, duplicate
ids, schema references, storage against its schema) before anything is
stored, and a refusal names the source and the JSON path of the bad part. A
snapshot is a fixture document of the whole state; loading it into an empty
emulator gives the same state back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .clock import format_ms, parse_iso
from .comments import CommentStore
from .comments_fixtures import CommentsSeed, SeedError, dump, parse_seed, restore
from .errors import DomainError, InvalidInput
from .notifications_fixtures import FIELDS as NOTIFICATION_FIELDS
from .notifications_fixtures import (
    NotificationsSeed,
    check_notifications,
    dump_notifications,
    generate_from_threads,
    load_notifications,
    parse_notifications,
)
from .room_inputs import MAX_ACCESS_ID_LENGTH_ON_UPDATE, RoomCreation, parse_creation
from .rooms import RoomStore, room_record
from .schemas import SchemaRegistry, StoredSchema, check_name, compile_body
from .storage_formats import from_plain_lson
from .storage_schema import describe, lson_violations
from .thread_notifications import ThreadNotifier
from .webhook_delivery import parse_saved_delivery
from .webhook_endpoints import check_endpoint_entry
from .yjs_docs import YjsStore, decode_saved

EMPTY_STORAGE = {"liveblocksType": "LiveObject", "data": {}}

TOP_LEVEL_FIELDS = frozenset({"$schema", "schemas", "rooms", "webhooks", "webhookDeliveries",
                              *NOTIFICATION_FIELDS})
SCHEMA_FIELDS = frozenset({"name", "version", "body", "file", "createdAt", "updatedAt"})
ROOM_FIELDS = frozenset({
    "id", "organizationId", "createdAt", "lastConnectionAt", "metadata", "defaultAccesses",
    "usersAccesses", "groupsAccesses", "storage", "schema", "yjs", "threads", "attachments",
})


class FixtureError(InvalidInput):
    """A fixture that cannot be loaded: where (source and JSON path) and why."""

    default_code = "INVALID_FIXTURE"

    def __init__(self, source: str, path: str, reason: str) -> None:
        super().__init__(f"{source}: {path}: {reason}", extra={"source": source, "path": path})
        self.source = source
        self.path = path
        self.reason = reason


@dataclass(slots=True)
class FixtureRoom:
    creation: RoomCreation
    created_ms: int
    last_connection_ms: int | None
    # Plain LSON, checked: rooms build their document from it when first used, so a
    # reset back to fixtures costs no node trees.
    storage: Any
    schema_id: str | None
    path: str
    # The Yjs documents as v1 updates by guid ("root" first), checked.
    yjs: dict[str, bytes] | None = None
    comments: CommentsSeed | None = None


@dataclass(slots=True)
class Fixture:
    source: str
    schemas: list[StoredSchema] = field(default_factory=list)
    schema_paths: list[str] = field(default_factory=list)
    rooms: list[FixtureRoom] = field(default_factory=list)
    # Webhook endpoint entries (checked) and their JSON paths (webhook_endpoints.py).
    webhooks: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    # Deliveries still pending when a state file was written (webhook_delivery.py).
    webhook_deliveries: list[dict[str, Any]] = field(default_factory=list)
    # Groups, settings and inbox notifications (notifications_fixtures.py).
    notifications: NotificationsSeed | None = None


# Reads a schema body from a file named in a fixture (paths are relative to the fixture).
ReadSchemaFile = Callable[[str], str]


def _no_files(name: str) -> str:
    raise ValueError("schema files can only be named in fixture files, not in inline documents")


def parse_fixture(
    data: Any, source: str, *, now_ms: int, read_file: ReadSchemaFile = _no_files
) -> Fixture:
    """Check the shape of one fixture document (not yet its fit with the current state)."""
    if not isinstance(data, dict):
        raise FixtureError(
            source, "$", "a fixture must be a JSON object with 'schemas' and 'rooms'"
        )
    _refuse_unknown(data, TOP_LEVEL_FIELDS, source, "$")
    fixture = Fixture(source)
    for index, entry in enumerate(_list(data, "schemas", source)):
        path = f"$.schemas[{index}]"
        fixture.schemas.append(_parse_schema(entry, source, path, now_ms, read_file))
        fixture.schema_paths.append(path)
    for index, entry in enumerate(_list(data, "rooms", source)):
        fixture.rooms.append(_parse_room(entry, source, f"$.rooms[{index}]", now_ms))
    for index, entry in enumerate(_list(data, "webhooks", source)):
        path = f"$.webhooks[{index}]"
        try:
            check_endpoint_entry(entry)
        except InvalidInput as error:
            raise FixtureError(source, path, error.message) from None
        fixture.webhooks.append((entry, path))
    for index, entry in enumerate(_list(data, "webhookDeliveries", source)):
        try:
            parse_saved_delivery(entry)
        except InvalidInput as error:
            raise FixtureError(source, f"$.webhookDeliveries[{index}]", error.message) from None
        fixture.webhook_deliveries.append(entry)
    try:
        fixture.notifications = parse_notifications(data, now_ms)
    except SeedError as error:
        raise FixtureError(source, f"$.{error.where}", error.message) from None
    return fixture


def _list(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise FixtureError(source, f"$.{key}", f"'{key}' must be an array")
    return value


def _refuse_unknown(entry: dict[str, Any], allowed: frozenset[str], source: str, path: str) -> None:
    for key in entry:
        if key not in allowed:
            raise FixtureError(
                source, f"{path}.{key}",
                f"unknown field {key!r}; allowed fields are {', '.join(sorted(allowed))}",
            )


def _time(entry: dict[str, Any], key: str, source: str, path: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return parse_iso(value)
    except ValueError:
        raise FixtureError(
            source, f"{path}.{key}", f"{key} must be an ISO-8601 date, got {value!r}"
        ) from None


def _parse_schema(
    entry: Any, source: str, path: str, now_ms: int, read_file: ReadSchemaFile
) -> StoredSchema:
    if not isinstance(entry, dict):
        raise FixtureError(source, path, "a schema entry must be an object")
    _refuse_unknown(entry, SCHEMA_FIELDS, source, path)
    try:
        name = check_name(entry.get("name"))
    except InvalidInput as error:
        raise FixtureError(source, f"{path}.name", error.message) from None
    version = entry.get("version", 1)
    if type(version) is not int or version < 1:
        raise FixtureError(source, f"{path}.version", "version must be a positive integer")
    if ("body" in entry) == ("file" in entry):
        raise FixtureError(source, path, "give the schema text as 'body' or a path as 'file'")
    body = entry.get("body")
    if "file" in entry:
        try:
            body = read_file(entry["file"])
        except (OSError, ValueError, TypeError) as error:
            raise FixtureError(
                source, f"{path}.file", f"cannot read schema file: {error}"
            ) from None
    try:
        schema = compile_body(body)
    except DomainError as error:
        raise FixtureError(source, f"{path}.{'file' if 'file' in entry else 'body'}",
                           error.message) from None
    created = _time(entry, "createdAt", source, path) or now_ms
    updated = _time(entry, "updatedAt", source, path) or created
    assert isinstance(body, str)
    return StoredSchema(name, version, body, created, updated, schema)


def _parse_room(entry: Any, source: str, path: str, now_ms: int) -> FixtureRoom:
    if not isinstance(entry, dict):
        raise FixtureError(source, path, "a room entry must be an object")
    _refuse_unknown(entry, ROOM_FIELDS, source, path)
    fields = {k: v for k, v in entry.items()
              if k in ROOM_FIELDS - {"storage", "schema", "yjs", "threads", "attachments"}}
    fields.setdefault("defaultAccesses", [])
    try:
        creation = parse_creation(fields, access_id_limit=MAX_ACCESS_ID_LENGTH_ON_UPDATE)
    except InvalidInput as error:
        raise FixtureError(source, path, error.message) from None
    storage = entry.get("storage")
    if storage is not None:
        try:
            from_plain_lson(storage)  # only to check it
        except InvalidInput as error:
            raise FixtureError(source, f"{path}.storage", error.message) from None
    schema_id = entry.get("schema")
    if schema_id is not None and not isinstance(schema_id, str):
        raise FixtureError(source, f"{path}.schema", "schema must be a string like 'name@1'")
    yjs = None
    if entry.get("yjs") is not None:
        try:
            yjs = decode_saved(entry["yjs"], "yjs")
        except InvalidInput as error:
            raise FixtureError(source, f"{path}.yjs", error.message) from None
    try:
        comments = parse_seed(entry.get("threads"), entry.get("attachments"), now_ms)
    except SeedError as error:
        raise FixtureError(source, f"{path}.{error.where}", error.message) from None
    return FixtureRoom(
        creation,
        _time(entry, "createdAt", source, path) or now_ms,
        _time(entry, "lastConnectionAt", source, path),
        storage,
        schema_id,
        path,
        yjs,
        comments,
    )


def load_fixtures(
    rooms: RoomStore,
    schemas: SchemaRegistry,
    fixtures: Iterable[Fixture],
    *,
    yjs: YjsStore | None = None,
    comments: CommentStore | None = None,
    notifier: ThreadNotifier | None = None,
) -> None:
    """Add the fixtures to the state, or change nothing and raise FixtureError."""
    fixtures = list(fixtures)
    new_schemas: dict[str, StoredSchema] = {}
    for fixture in fixtures:
        for stored, path in zip(fixture.schemas, fixture.schema_paths, strict=True):
            if stored.id in new_schemas or schemas.exists(stored.name, stored.version):
                raise FixtureError(fixture.source, path, f"schema '{stored.id}' is defined twice")
            new_schemas[stored.id] = stored
    new_rooms: set[str] = set()
    for fixture in fixtures:
        for planned in fixture.rooms:
            room_id = planned.creation.id
            if room_id in new_rooms or room_id in rooms:
                raise FixtureError(fixture.source, f"{planned.path}.id",
                                   f"room '{room_id}' is defined twice")
            new_rooms.add(room_id)
            if planned.schema_id is not None:
                _check_storage_fits(fixture.source, planned, schemas, new_schemas)
    if notifier is not None:
        for fixture in fixtures:
            if fixture.notifications is not None:
                try:
                    check_notifications(fixture.notifications, notifier,
                                        lambda r: r in new_rooms or r in rooms)
                except SeedError as error:
                    raise FixtureError(fixture.source, f"$.{error.where}",
                                       error.message) from None
    # Everything is checked: from here on nothing can fail. Parsed fixtures are kept
    # and loaded again on every reset, so nothing here may share mutable state.
    for stored in new_schemas.values():
        schemas.restore(stored)
    for fixture in fixtures:
        for entry in fixture.rooms:
            # A room may be changed in place: it gets its own lists and dicts.
            room = rooms.create(entry.creation.detached_copy(), created_ms=entry.created_ms)
            room.last_connection_ms = entry.last_connection_ms
            if entry.storage is not None:
                room.use_plain_lson(entry.storage)
            if entry.schema_id is not None:
                room.schema_id = schemas.get(entry.schema_id).id
            if entry.yjs is not None and yjs is not None:
                yjs.docs(room).load(entry.yjs)
            if entry.comments is not None and comments is not None:
                restore(comments, room, entry.comments)
    if notifier is not None:
        for fixture in fixtures:
            seed = fixture.notifications
            if seed is not None:
                load_notifications(seed, notifier)
                if seed.generate:
                    generate_from_threads(notifier, [rooms.get(entry.creation.id)
                                                     for entry in fixture.rooms])


def _check_storage_fits(
    source: str, room: FixtureRoom, schemas: SchemaRegistry, new_schemas: dict[str, StoredSchema]
) -> None:
    assert room.schema_id is not None
    stored = new_schemas.get(room.schema_id)
    if stored is None:
        try:
            stored = schemas.get(room.schema_id)
        except DomainError:
            raise FixtureError(source, f"{room.path}.schema",
                               f"schema '{room.schema_id}' is not defined") from None
    violations = lson_violations(stored.schema, room.storage or EMPTY_STORAGE)
    if violations:
        raise FixtureError(source, f"{room.path}.storage",
                           f"storage does not match schema '{stored.id}': {describe(violations)}")


def snapshot(
    rooms: RoomStore,
    schemas: SchemaRegistry,
    *,
    yjs: YjsStore | None = None,
    comments: CommentStore | None = None,
    notifier: ThreadNotifier | None = None,
) -> dict[str, Any]:
    """The whole state as a fixture document (rooms oldest first)."""
    schema_entries = [
        {"name": s.name, "version": s.version, "body": s.body,
         "createdAt": format_ms(s.created_ms), "updatedAt": format_ms(s.updated_ms)}
        for s in sorted(schemas, key=lambda s: (s.name, s.version))
    ]
    room_entries: list[dict[str, Any]] = []
    for room in rooms:
        entry = room_record(room)  # the REST room, so a fixture reads like an API answer
        storage = room.plain_lson()
        if storage is not None:
            entry["storage"] = storage
        if room.schema_id is not None:
            entry["schema"] = room.schema_id
        docs = None if yjs is None else yjs.find(room)
        if docs is not None and not docs.is_empty():
            entry["yjs"] = docs.updates()
        if comments is not None:
            entry.update(dump(comments, room))
        room_entries.append(entry)
    extra = {} if notifier is None else dump_notifications(notifier)
    return {"schemas": schema_entries, "rooms": room_entries, **extra}
