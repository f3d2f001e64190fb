"""The one exception type of the package: a syntax or semantic schema error."""

from __future__ import annotations

from typing import Literal

Stage = Literal["syntax", "semantic"]


class SchemaError(Exception):
    """A schema that cannot be parsed or does not pass the checker.

    `message` is the full diagnostic, `<raw_message> (at <line>:<column>)`, the
    form the official `@liveblocks/schema` prints; `raw_message` has no position
    suffix (and, like the official reporter, no trailing period).
    """

    raw_message: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    stage: Stage

    def __init__(
        self,
        raw_message: str,
        line: int,
        column: int,
        *,
        stage: Stage,
        end_line: int | None = None,
        end_column: int | None = None,
    ) -> None:
        # The official reporter strips one trailing period before adding the position.
        self.raw_message = raw_message[:-1] if raw_message.endswith(".") else raw_message
        self.line = line
        self.column = column
        self.end_line = line if end_line is None else end_line
        self.end_column = column if end_column is None else end_column
        self.stage = stage
        self.message = f"{self.raw_message} (at {line}:{column})"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # The keyword-only arguments need help to survive pickling.
        return (_restore, (self.raw_message, self.line, self.column, self.stage,
                           self.end_line, self.end_column))

    def __repr__(self) -> str:
        return f"SchemaError({self.message!r}, stage={self.stage!r})"


def _restore(
    raw_message: str, line: int, column: int, stage: Stage, end_line: int, end_column: int
) -> SchemaError:
    return SchemaError(
        raw_message, line, column, stage=stage, end_line=end_line, end_column=end_column
    )
