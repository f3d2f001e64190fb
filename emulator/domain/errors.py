"""Typed errors raised by the domain.

Each error carries a machine code (``ROOM_NOT_FOUND``…) and a human sentence
that names the offending value, so a user can fix a request from the message
alone. The kind of error (its class) decides the HTTP status; that mapping lives
in one place, ``emulator.api.errors``.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: ``code`` is the machine-readable error, ``message`` the sentence."""

    default_code = "ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        suggestion: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.suggestion = suggestion
        # Additional JSON fields for the error body (e.g. line/column of a schema error).
        self.extra: dict[str, Any] = extra or {}


class BadRequest(DomainError):
    """The request could not be read at all (e.g. a body that is not JSON)."""

    default_code = "INVALID_REQUEST"


class InvalidInput(DomainError):
    """The request was read but a value breaks a rule (a limit, a type, a format)."""

    default_code = "INVALID_REQUEST"


class NotFound(DomainError):
    default_code = "NOT_FOUND"


class Conflict(DomainError):
    default_code = "CONFLICT"


class Unauthorized(DomainError):
    """No credentials were given."""

    default_code = "UNAUTHORIZED"


class Forbidden(DomainError):
    """Credentials were given but do not allow this."""

    default_code = "FORBIDDEN"


class PayloadTooLarge(DomainError):
    default_code = "PAYLOAD_TOO_LARGE"


class RoomNotFound(NotFound):
    default_code = "ROOM_NOT_FOUND"

    def __init__(self, room_id: str) -> None:
        super().__init__(f"Room with id '{room_id}' was not found")
        self.room_id = room_id


class RoomAlreadyExists(Conflict):
    default_code = "ROOM_ALREADY_EXISTS"

    def __init__(self, room_id: str) -> None:
        super().__init__(f"Room with id '{room_id}' already exists")
        self.room_id = room_id
