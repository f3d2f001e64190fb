"""schemathesis with Liveblocks' own OpenAPI document (tests/data/liveblocks-openapi-v2.json,
as published) over every operation of it that the emulator serves.

Checks: never a 5xx, the documented content type, and a body valid against the
document's schema for the status answered. Statuses the document does not list are
not a failure here (it omits most 4xx the service answers: README, "Deviations from
Liveblocks' OpenAPI document"); the emulator's own document, checked by
test_schemathesis.py, lists every status it answers.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
import requests
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from bench.openapi_coverage import PREFIX, liveblocks_document, served_operations
from emulator.server import BackgroundServer
from tests.conftest import SECRET

MAX_EXAMPLES = 10
SEED = 20261201
EXISTING = {"roomId": ["whiteboard", "todos", "private-notes"]}

# Where the document cannot be read as it is: (path in the document, value, why).
CORRECTIONS: list[tuple[tuple[str, ...], Any, str]] = [
    (("paths", "/rooms/{roomId}/broadcast_event", "post", "requestBody", "content"),
     {"application/json": {"schema": {}}},
     "the document puts the body's schema where a media type belongs ('schema': {})"),
]
# The document refers to group schemas it does not define: these are the shapes both SDKs
# send and parse (@liveblocks/node createGroup/convertToGroupData; liveblocks.models.Group).
_MEMBERS = {"type": "object", "required": ["memberIds"],
            "properties": {"memberIds": {"type": "array", "items": {"type": "string"}}}}
_GROUP_PAGE = {"type": "object", "required": ["data", "nextCursor"],
               "properties": {"data": {"type": "array",
                                       "items": {"$ref": "#/components/schemas/Group"}},
                              "nextCursor": {"type": ["string", "null"]}}}
GROUP_SCHEMAS: dict[str, Any] = {
    "Group": {"type": "object",
              "required": ["type", "id", "organizationId", "createdAt", "updatedAt", "scopes",
                           "members"],
              "properties": {"type": {"const": "group"}, "id": {"type": "string"},
                             "organizationId": {"type": "string"},
                             "createdAt": {"type": "string"}, "updatedAt": {"type": "string"},
                             "scopes": {"type": "object"},
                             "members": {"type": "array", "items": {
                                 "$ref": "#/components/schemas/GroupMember"}}}},
    "GroupMember": {"type": "object", "required": ["id", "addedAt"],
                    "properties": {"id": {"type": "string"}, "addedAt": {"type": "string"}}},
    "CreateGroup": {"type": "object", "required": ["id"],
                    "properties": {"id": {"type": "string", "minLength": 1},
                                   "memberIds": {"type": "array", "items": {"type": "string"}},
                                   "organizationId": {"type": "string"},
                                   "scopes": {"type": "object"}}},
    "AddGroupMembers": _MEMBERS,
    "RemoveGroupMembers": _MEMBERS,
    "GetGroups": _GROUP_PAGE,
    "GetUserGroups": _GROUP_PAGE,
}
CORRECTIONS += [(("components", "schemas", name), schema,
                 "referred to by the group operations but not defined")
                for name, schema in GROUP_SCHEMAS.items()]

# Where the emulator answers otherwise on purpose: (path in the document, value, why).
# README lists each one ("Deviations from Liveblocks' OpenAPI document").
DEVIATIONS: list[tuple[tuple[str, ...], Any, str]] = [
    (("components", "schemas", "GetRooms", "properties", "nextCursor"),
     {"type": ["string", "null"]},
     "the last page has no next cursor: the service and both SDKs use null there"),
    (("paths", "/users/{userId}/inbox-notifications", "get", "responses", "200", "content",
      "application/json", "schema"),
     {"type": "object", "required": ["data", "nextCursor"],
      "properties": {"data": {"type": "array"}, "nextCursor": {"type": ["string", "null"]}}},
     "both SDKs read {data, nextCursor} (Node page.data, Python GetInboxNotificationsResponse); "
     "the document says a bare array"),
    (("paths", "/rooms/{roomId}/ydoc", "get", "responses", "200", "content", "application/json",
      "schema"),
     {"type": ["object", "array", "string"]},
     "with key and type the answer is that root's bare value (a Y.Array is a JSON array, a "
     "Y.Text a string), as Liveblocks' dev server answers"),
    (("components", "schemas", "GetYjsVersions", "properties", "nextCursor"),
     {"type": ["string", "null"]},
     "the last page has no next cursor: null, as for rooms"),
]


def patched(document: dict[str, Any]) -> dict[str, Any]:
    for path, value, _why in (*CORRECTIONS, *DEVIATIONS):
        target = document
        for key in path[:-1]:
            target = target[key]
        assert path[-1] in target or path[-2] == "schemas", f"{path} is not in the document"
        target[path[-1]] = value
    return document


SERVED = set(served_operations())
schema = schemathesis.openapi.from_dict(patched(liveblocks_document())).include(
    func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in SERVED
)
schema.config.seed = SEED
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@schema.hook
def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
    """Half the time, a room of the demo fixtures instead of a random id."""
    if not parameters or "roomId" not in parameters:
        return st.just(parameters)
    demo = st.sampled_from(EXISTING["roomId"]).map(lambda room: {**parameters, "roomId": room})
    return st.one_of(st.just(parameters), demo)


CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def test_the_served_operations_are_the_expected_ones() -> None:
    # A ratchet: every operation but the 13 AI copilot ones (python -m bench.openapi_coverage).
    assert len(SERVED) >= 62




@schema.parametrize()
def test_the_emulator_answers_as_liveblocks_documents(
    case: Case, demo_server: BackgroundServer, connection: requests.Session
) -> None:
    demo_server.call(demo_server.state.reset)
    case.call_and_validate(
        base_url=demo_server.base_url + PREFIX,
        session=connection,
        headers={"Authorization": f"Bearer {SECRET}"},
        checks=CHECKS,
    )
