"""Fixture files on disk: reading them (a file or every *.json of a folder), and schema files."""

from __future__ import annotations

import json
import os
import pathlib
import tempfile
from dataclasses import dataclass
from typing import Any

from .domain.fixtures import Fixture, FixtureError, parse_fixture
from .json_text import dumps, loads


@dataclass(frozen=True, slots=True)
class FixtureSource:
    """A fixture document and where it came from (kept to re-load it on every reset)."""

    data: Any
    source: str
    base_dir: pathlib.Path | None = None

    def parse(self, now_ms: int) -> Fixture:
        return parse_fixture(self.data, self.source, now_ms=now_ms, read_file=self._read_file)

    def _read_file(self, name: str) -> str:
        if self.base_dir is None:
            raise ValueError("schema files can only be named in fixture files")
        if not isinstance(name, str) or not name:
            raise ValueError("'file' must be a non-empty path")
        return (self.base_dir / name).read_text(encoding="utf-8")


def read_fixture_file(path: pathlib.Path) -> FixtureSource:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(source, "$", f"cannot read the file: {error}") from None
    try:
        data = loads(text)
    except json.JSONDecodeError as error:
        raise FixtureError(
            source, "$", f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:  # NaN / Infinity
        raise FixtureError(source, "$", f"invalid JSON: {error}") from None
    except RecursionError:
        raise FixtureError(source, "$", "invalid JSON: nested too deeply") from None
    return FixtureSource(data, source, path.parent)


def read_fixture_paths(paths: list[str]) -> list[FixtureSource]:
    """Each path is a fixture file or a folder whose *.json files are read in name order."""
    sources: list[FixtureSource] = []
    for name in paths:
        path = pathlib.Path(name)
        if path.is_dir():
            files = sorted(p for p in path.glob("*.json") if not p.name.endswith(".schema.json"))
            sources.extend(read_fixture_file(file) for file in files)
        elif path.exists():
            sources.append(read_fixture_file(path))
        else:
            raise FixtureError(name, "$", "no such file or folder")
    return sources


def write_json_atomically(path: pathlib.Path, content: Any) -> None:
    """Write then rename, so a crash never leaves a half-written state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            # Compact, and safe for storage of any depth.
            file.write(dumps(content))
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise
