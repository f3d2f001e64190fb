"""`python -m schema_lang check FILE...`: lint schema files.

Prints `FILE:LINE:COL: message` for each invalid file. Exit status: 0 when
every file is valid, 1 when one is not, 2 for a usage error or an unreadable file.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from .errors import SchemaError
from .formatter import format_schema
from .schema import Schema, load

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _read(path: str, stderr: TextIO) -> str | None:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"schema_lang: cannot read {path}: {reason}", file=stderr)
        return None


def _run(
    paths: Sequence[str], stderr: TextIO, report: TextIO, on_valid: Callable[[Schema], object]
) -> int:
    """Load each file; print diagnostics to `report`, hand valid schemas to `on_valid`."""
    status = EXIT_OK
    for path in paths:
        text = _read(path, stderr)
        if text is None:
            status = EXIT_USAGE
            continue
        try:
            schema = load(text)
        except SchemaError as error:
            print(f"{path}:{error.line}:{error.column}: {error.raw_message}", file=report)
            if status == EXIT_OK:
                status = EXIT_INVALID
        else:
            on_valid(schema)
    return status


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = argparse.ArgumentParser(
        prog="python -m schema_lang", description="Check Liveblocks storage schema files."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_cmd = commands.add_parser(
        "check", help="report the first error of each file as FILE:LINE:COL: message"
    )
    check_cmd.add_argument("files", nargs="+", metavar="FILE", help='schema file ("-" for stdin)')
    format_cmd = commands.add_parser("format", help="print valid files in canonical form")
    format_cmd.add_argument("files", nargs="+", metavar="FILE", help='schema file ("-" for stdin)')
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage or --help already
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "check":
        return _run(args.files, err, out, lambda schema: None)
    return _run(args.files, err, err, lambda schema: out.write(format_schema(schema.ast)))
