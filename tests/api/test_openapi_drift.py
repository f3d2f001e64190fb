"""The OpenAPI document says exactly what the route table serves, and is a valid document."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import openapi_spec_validator
import pytest
import referencing
import schemathesis
from openapi_spec_validator import OpenAPIV31SpecValidator
from schemathesis.core.result import Err
from starlette.routing import Route, WebSocketRoute

from emulator.api.openapi import document
from emulator.app import create_app

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SPEC = json.loads(json.dumps(document()))  # as served: plain JSON, no Python tuples or objects


def openapi_path(starlette_path: str) -> str:
    """``/v2/rooms/{room_id:segment}`` -> ``/v2/rooms/{roomId}``."""

    def camel(match: re.Match[str]) -> str:
        head, *rest = match.group(1).split("_")
        return "{" + head + "".join(word.title() for word in rest) + "}"

    return re.sub(r"\{(\w+)(?::\w+)?\}", camel, starlette_path)


def served() -> dict[str, set[str]]:
    """Path -> methods of the app's route table. Starlette answers HEAD wherever it answers
    GET: that HEAD is implied by GET and not documented on its own."""
    table: dict[str, set[str]] = {}
    for route in create_app().routes:
        if isinstance(route, WebSocketRoute):
            methods = {"get"}  # documented as the GET of the upgrade, with x-websocket
        else:
            assert isinstance(route, Route), route
            methods = {m.lower() for m in route.methods or ()} - {"head"}
        table.setdefault(openapi_path(route.path), set()).update(methods)
    return table


def documented() -> dict[str, set[str]]:
    return {path: {m for m in item if m in HTTP_METHODS} for path, item in SPEC["paths"].items()}


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_route_is_documented_and_nothing_else() -> None:
    table, doc = served(), documented()
    assert sorted(set(table) - set(doc)) == [], "routes missing from the document"
    assert sorted(set(doc) - set(table)) == [], "documented paths the app does not serve"
    assert {p: sorted(m) for p, m in table.items()} == {p: sorted(m) for p, m in doc.items()}


def test_websocket_routes_are_marked_as_such() -> None:
    websockets = {openapi_path(r.path) for r in create_app().routes if isinstance(r, WebSocketRoute)}
    marked = {path for path, _, op in operations() if op.get("x-websocket")}
    assert websockets == marked == {"/v7", "/v8"}


def test_secret_key_routes_are_the_documented_ones() -> None:
    # secret_required wraps a handler (functools.wraps): the route's endpoint has __wrapped__.
    guarded: set[tuple[str, str]] = set()
    for route in create_app().routes:
        if isinstance(route, Route) and hasattr(route.endpoint, "__wrapped__"):
            guarded |= {(openapi_path(route.path), m.lower()) for m in route.methods or ()}
    needs_secret = {(path, method) for path, method, op in operations()
                    if op.get("security", SPEC["security"])}
    assert needs_secret == guarded - {(p, "head") for p, _ in guarded}


def test_path_parameters_are_declared() -> None:
    for path, method, op in operations():
        names = set(re.findall(r"\{(\w+)\}", path))
        params = [*SPEC["paths"][path].get("parameters", []), *op.get("parameters", [])]
        declared = {p["name"] for p in params if p["in"] == "path"}
        assert declared == names, f"{method.upper()} {path}"


def test_every_operation_documents_success_and_errors_in_the_error_shape() -> None:
    for path, method, op in operations():
        statuses = set(op["responses"])
        assert statuses & {"101", "200", "204"}, f"{method.upper()} {path}: no success"
        if op.get("security", SPEC["security"]):
            assert {"401", "403"} <= statuses, f"{method.upper()} {path}"
        if "requestBody" in op:
            assert {"400", "413"} <= statuses, f"{method.upper()} {path}"
        for status, response in op["responses"].items():
            if status.startswith("4"):
                resolved = resolve(response)
                schema = resolved["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, f"{path} {status}"


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schemas_in(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON Schema of the document: components, parameters and media types."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            if key == "schema" and isinstance(value, dict):
                yield here, value
            elif key == "schemas" and where == "#/components":
                yield from ((f"{here}/{name}", s) for name, s in value.items())
            else:
                yield from schemas_in(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schemas_in(value, f"{where}/{index}")


def test_the_document_is_valid_openapi_3_1() -> None:
    openapi_spec_validator.validate(SPEC, cls=OpenAPIV31SpecValidator)
    # schemathesis reads every operation of it.
    loaded = list(schemathesis.openapi.from_dict(SPEC).get_all_operations())
    assert [result.err() for result in loaded if isinstance(result, Err)] == []
    assert len(loaded) == sum(1 for _ in operations())


def test_every_schema_is_valid_json_schema_2020_12() -> None:
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "urn:doc", referencing.Resource.from_contents(SPEC, referencing.jsonschema.DRAFT202012)
    )
    resolver = registry.resolver("urn:doc")
    found = list(schemas_in(SPEC))
    assert len(found) > 50
    for where, schema in found:
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            pytest.fail(f"{where}: {error.message}")
        # Every reference resolves against the document.
        for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema)):
            resolver.lookup(ref)


def test_limits_are_those_of_the_validation() -> None:
    schemas = SPEC["components"]["schemas"]
    create = schemas["CreateRoom"]["properties"]
    metadata = create["metadata"]["anyOf"][0]
    assert metadata["maxProperties"] == 50
    assert metadata["propertyNames"]["maxLength"] == 40
    assert schemas["MetadataValue"]["anyOf"][0]["maxLength"] == 256
    assert create["usersAccesses"]["anyOf"][0]["propertyNames"]["maxLength"] == 40
    update = schemas["UpdateRoom"]["properties"]
    assert update["usersAccesses"]["anyOf"][0]["propertyNames"]["maxLength"] == 256
    assert create["id"]["maxLength"] == 128
    assert "room:write" in schemas["Permission"]["enum"]
    limit = next(p for p in SPEC["paths"]["/v2/rooms"]["get"]["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)


def test_served_without_authentication(anonymous_http: httpx.Client) -> None:
    response = anonymous_http.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == SPEC
