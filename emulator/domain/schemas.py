"""The schema registry: named, versioned storage schemas and the rooms they are attached to.

A schema id is ``name@version``. Versions are immutable: ``update`` makes the
next version, and neither update nor delete is allowed while a room uses the
schema (the seed: "A schema can only be updated if it is not used by any room").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import Conflict, InvalidInput, NotFound

if TYPE_CHECKING:
    from schema_lang import Schema

# fullmatch: "$" alone would also accept a name ending with a newline.
NAME_PATTERN = re.compile(r"[a-z0-9-]{1,64}")
VERSION_PATTERN = re.compile(r"[0-9]+")
MAX_BODY_LENGTH = 1_000_000


class InvalidSchema(InvalidInput):
    default_code = "INVALID_SCHEMA"


class SchemaNotFound(NotFound):
    default_code = "SCHEMA_NOT_FOUND"


class SchemaInUse(Conflict):
    default_code = "SCHEMA_IN_USE"


@dataclass(frozen=True, slots=True, eq=False)
class StoredSchema:
    """One immutable version of a schema (which rooms use it is asked of the rooms)."""

    name: str
    version: int
    body: str
    created_ms: int
    updated_ms: int
    schema: Schema

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"


def check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise InvalidInput("name is required and must be a string")
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            f"name {name[:80]!r} is not a valid schema name: use 1 to 64 lowercase letters, "
            "digits and dashes"
        )
    return name


@functools.lru_cache(maxsize=256)
def _load(body: str) -> Schema:
    # Checked schemas are immutable: a reset that reloads fixtures reuses them.
    # (schema_lang is imported on first use: most runs never define a schema, and the
    # import is a third of the emulator's start-up time.)
    from schema_lang import load

    return load(body)


def compile_body(body: Any) -> Schema:
    """Parse and check a schema text; its diagnostics become an INVALID_SCHEMA error."""
    if not isinstance(body, str):
        raise InvalidInput("body is required and must be a string holding the schema")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidInput(f"body must be at most {MAX_BODY_LENGTH} characters long")
    from schema_lang import SchemaError

    try:
        return _load(body)
    except SchemaError as error:
        raise InvalidSchema(
            str(error), extra={"line": error.line, "column": error.column}
        ) from None


def _copy_versions(
    versions: dict[str, dict[int, StoredSchema]]
) -> dict[str, dict[int, StoredSchema]]:
    return {name: dict(by_number) for name, by_number in versions.items()}


class SchemaRegistry:
    def __init__(
        self, clock: Callable[[], int], rooms_using: Callable[[str], list[str]]
    ) -> None:
        self._clock = clock
        # Ids of the rooms a schema id is attached to: asked of the rooms when needed
        # (only to refuse an update or delete), so there is no second record to keep true.
        self._rooms_using = rooms_using
        self._versions: dict[str, dict[int, StoredSchema]] = {}
        # The incremental reset (see emulator.state): versions are immutable, so the
        # baseline is a copy of the two dict levels, put back only after a change.
        self._baseline: dict[str, dict[int, StoredSchema]] = {}
        self._changed = False

    def __iter__(self) -> Iterator[StoredSchema]:
        for versions in self._versions.values():
            yield from versions.values()

    def clear(self) -> None:
        self._versions = {}
        self._changed = True

    def mark_baseline(self) -> None:
        self._baseline = _copy_versions(self._versions)
        self._changed = False

    def restore_baseline(self) -> None:
        if self._changed:
            self._versions = _copy_versions(self._baseline)
            self._changed = False

    def create(self, name: Any, body: Any) -> StoredSchema:
        name = check_name(name)
        if name in self._versions:
            latest = max(self._versions[name])
            raise Conflict(
                f"A schema named '{name}' already exists (latest version {name}@{latest}); "
                "use PUT /v2/schemas/{name}@{version} to make a new version",
                code="SCHEMA_ALREADY_EXISTS",
            )
        return self._store(name, 1, body, None)

    def _store(self, name: str, version: int, body: Any, created_ms: int | None) -> StoredSchema:
        schema = compile_body(body)
        now = self._clock() if created_ms is None else created_ms
        stored = StoredSchema(name, version, body, now, now, schema)
        self._changed = True
        self._versions.setdefault(name, {})[version] = stored
        return stored

    def exists(self, name: str, version: int) -> bool:
        return version in self._versions.get(name, {})

    def restore(self, stored: StoredSchema) -> None:
        """Put back a version exactly as it was (fixtures and snapshots)."""
        if self.exists(stored.name, stored.version):
            raise Conflict(f"Schema '{stored.id}' already exists", code="SCHEMA_ALREADY_EXISTS")
        self._changed = True
        self._versions.setdefault(stored.name, {})[stored.version] = stored

    def get(self, schema_id: Any) -> StoredSchema:
        """By ``name@version``; a bare name means its latest version."""
        if not isinstance(schema_id, str) or not schema_id:
            raise InvalidInput("schema must be a string like 'my-schema@1'")
        name, _, version_text = schema_id.partition("@")
        versions = self._versions.get(name)
        if versions:
            if not version_text:
                return versions[max(versions)]
            # ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
            if VERSION_PATTERN.fullmatch(version_text) and int(version_text) in versions:
                return versions[int(version_text)]
        raise SchemaNotFound(f"Schema '{schema_id[:200]}' was not found")

    def update(self, schema_id: str, body: Any) -> StoredSchema:
        current = self.get(schema_id)
        self._refuse_if_used(current, "updated")
        versions = self._versions[current.name]
        return self._store(current.name, max(versions) + 1, body, None)

    def delete(self, schema_id: str) -> None:
        stored = self.get(schema_id)
        self._refuse_if_used(stored, "deleted")
        versions = self._versions[stored.name]
        self._changed = True
        del versions[stored.version]
        if not versions:
            del self._versions[stored.name]

    def _refuse_if_used(self, stored: StoredSchema, verb: str) -> None:
        using = self._rooms_using(stored.id)
        if using:
            rooms = ", ".join(sorted(repr(room) for room in using)[:5])
            raise SchemaInUse(
                f"Schema '{stored.id}' cannot be {verb} while it is attached to rooms ({rooms}); "
                "detach it first"
            )
