"""How much of Liveblocks' own OpenAPI document the emulator serves.

    python -m bench.openapi_coverage [--missing]

prints one line, ``Liveblocks OpenAPI operations served: N/75 (P%)``, and with
``--missing`` each operation not served yet. An operation counts as served when the
emulator's route table answers its method at its path (under ``/v2``); path
parameters match whatever their names. tests/api/test_liveblocks_openapi.py runs
schemathesis with that document over exactly these operations.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
from typing import Any

from starlette.routing import Route

from emulator.app import routes

DOCUMENT_PATH = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / \
    "liveblocks-openapi-v2.json"  # Liveblocks' published document, as of 2026
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PREFIX = "/v2"  # the document's server is https://api.liveblocks.io/v2


def liveblocks_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT_PATH.read_text())
    return document


def _shape(path: str) -> str:
    """``/v2/rooms/{roomId:segment}`` and ``/v2/rooms/{x}`` -> ``/v2/rooms/{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def liveblocks_operations() -> list[tuple[str, str]]:
    """(METHOD, path as the document writes it) of every operation, in document order."""
    return [(method.upper(), path)
            for path, item in liveblocks_document()["paths"].items()
            for method in HTTP_METHODS if method in item]


def served_operations() -> list[tuple[str, str]]:
    """The operations of Liveblocks' document that the emulator's routes answer."""
    table = {(method, _shape(route.path))
             for route in routes() if isinstance(route, Route)
             for method in route.methods or ()}
    return [(method, path) for method, path in liveblocks_operations()
            if (method, _shape(PREFIX + path)) in table]


def coverage_line() -> str:
    total, served = len(liveblocks_operations()), len(served_operations())
    return f"Liveblocks OpenAPI operations served: {served}/{total} ({served / total:.0%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list what is not served")
    args = parser.parse_args()
    print(coverage_line())
    if args.missing:
        served = set(served_operations())
        for method, path in liveblocks_operations():
            if (method, path) not in served:
                print(f"  missing: {method} {PREFIX}{path}")


if __name__ == "__main__":
    main()
