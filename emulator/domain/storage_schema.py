"""Checking a room's storage against its attached schema: whole documents and changed slots."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import InvalidInput
from .storage import StorageDocument
from .storage_formats import slot_value, to_plain_lson
from .storage_ops import Slot

if TYPE_CHECKING:  # imported on first use, like in schemas.py
    from schema_lang import Schema, Violation

MAX_REPORTED = 20


class SchemaValidationFailed(InvalidInput):
    default_code = "SCHEMA_VALIDATION_FAILED"


def document_violations(schema: Schema, doc: StorageDocument) -> list[Violation]:
    return lson_violations(schema, to_plain_lson(doc))


def lson_violations(schema: Schema, plain_lson: Any) -> list[Violation]:
    from schema_lang import validate

    return validate(schema, plain_lson)


def slot_violations(
    schema: Schema, doc: StorageDocument, slots: Iterable[Slot]
) -> list[Violation]:
    """Violations of the slots a batch of ops changed (the rest of the document was valid)."""
    from schema_lang import MISSING, validate_at

    found: list[Violation] = []
    for container_id, key in slots:
        present, value = slot_value(doc, container_id, key)
        found.extend(
            validate_at(schema, doc.slot_path(container_id, key), value if present else MISSING)
        )
    return found


def describe(violations: list[Violation]) -> str:
    shown = "; ".join(str(v) for v in violations[:MAX_REPORTED])
    more = len(violations) - MAX_REPORTED
    return shown + (f"; and {more} more" if more > 0 else "")


def refuse(schema_id: str, violations: list[Violation], what: str) -> SchemaValidationFailed:
    return SchemaValidationFailed(
        f"{what} does not match schema '{schema_id}': {describe(violations)}",
        extra={"violations": [{"path": v.path, "message": v.message} for v in violations]},
    )
