"""schemathesis against the OpenAPI document, on a running emulator.

For each documented HTTP operation, schemathesis sends requests made from the
document (its explicit examples, its coverage cases and random valid and
invalid data) and checks each response: never a 5xx, a status the operation
documents, the documented content type, and a body valid against the
documented schema (so every error has the Error shape). Where a secret-key
operation succeeds, it must refuse the same request without the key, or with
another one.

Each example starts from the demo fixtures, so its outcome depends on it alone
(Hypothesis can replay and shrink a failure), and path parameters are often
the ids of the demo's rooms and schema, so the operations also reach rooms that
exist. The run is bounded and derandomized: the same requests on every run.
"""

from __future__ import annotations

import json
from typing import Any

import hypothesis.strategies as st
import jsonschema
import requests
import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.api.openapi import document
from emulator.domain.room_inputs import MAX_ROOM_ID_LENGTH
from emulator.server import BackgroundServer
from tests.conftest import SECRET

MAX_EXAMPLES = 10  # random examples per operation, beside the explicit and coverage cases
SEED = 20260109  # the same requests on every run: CI is stable and a failure replays
EXISTING = {"roomId": ["whiteboard", "todos", "private-notes", "meeting-notes", "design-review"],
            "schemaId": ["todo-list@1", "todo-list"]}

SPEC = json.loads(json.dumps(document()))
schema = schemathesis.openapi.from_dict(SPEC).exclude(
    tag="realtime"  # WebSocket upgrades: tests/realtime and tests/e2e cover them
)
schema.config.seed = SEED
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@schema.hook
def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
    """Half the time, the id of a room or schema of the demo fixtures instead of a random one
    (an id meant to be invalid is kept)."""
    name = next((name for name in EXISTING if name in (parameters or {})), None)
    if parameters is None or name is None or len(parameters[name]) > MAX_ROOM_ID_LENGTH:
        return st.just(parameters)
    demo = st.sampled_from(EXISTING[name]).map(lambda value: {**parameters, name: value})
    return st.one_of(st.just(parameters), demo)


def error_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every error is JSON with a code and a message (the Error schema, whatever the status)."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type") == ["application/json"], response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    return True


SERIALIZED_NODE = jsonschema.Draft202012Validator(SPEC["components"]["schemas"]["SerializedNode"])


def ndjson_nodes(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """request-storage-mutation's ndjson: {"actor": n}, then one SerializedNode a line."""
    if response.headers.get("content-type") != ["application/x-ndjson"]:
        return None
    first, *nodes, last = response.text.split("\n")
    assert last == "", "the last line ends with a newline"
    actor = json.loads(first)
    assert list(actor) == ["actor"] and type(actor["actor"]) is int, first
    assert nodes, "the root is always there"
    for line in nodes:
        SERIALIZED_NODE.validate(json.loads(line))
    return True


CHECKS = [
    not_a_server_error,
    ignored_auth,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_shape,
    ndjson_nodes,
]




@schema.parametrize()
def test_the_emulator_keeps_its_document(
    case: Case, demo_server: BackgroundServer, connection: requests.Session
) -> None:
    # Each example starts from the demo: its outcome depends on it alone.
    demo_server.call(demo_server.state.reset)
    case.call_and_validate(
        base_url=demo_server.base_url,
        session=connection,
        headers={"Authorization": f"Bearer {SECRET}"},
        checks=CHECKS,
    )
