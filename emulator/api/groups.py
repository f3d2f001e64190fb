"""Groups (secret key): create, list, get, delete, add and remove members, a user's groups."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.groups import MAX_GROUP_ID_LENGTH, member_ids
from ..domain.room_inputs import require_object
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    INVALID,
    NO_CONTENT,
    NON_EMPTY,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, query_int, read_json
from .responses import JSONResponse, no_content


async def create_group(request: Request) -> Response:
    group = emulator_state(request).groups.create(await read_json(request))
    return JSONResponse(group.to_json())


async def list_groups(request: Request) -> Response:
    return _group_page(request, user_id=None)


async def user_groups(request: Request) -> Response:
    return _group_page(request, user_id=request.path_params["userId"])


def _group_page(request: Request, *, user_id: str | None) -> Response:
    limit = query_int(request, "limit", default=20, low=1, high=100)
    groups, cursor = emulator_state(request).groups.page(
        limit=limit, starting_after=request.query_params.get("startingAfter") or None,
        user_id=user_id)
    return JSONResponse({"data": [g.to_json() for g in groups], "nextCursor": cursor})


async def get_group(request: Request) -> Response:
    return JSONResponse(emulator_state(request).groups.get(request.path_params["groupId"])
                        .to_json())


async def delete_group(request: Request) -> Response:
    emulator_state(request).groups.delete(request.path_params["groupId"])
    return no_content()


async def add_members(request: Request) -> Response:
    groups = emulator_state(request).groups
    groups.get(request.path_params["groupId"])  # 404 before reading the body
    body = require_object(await read_json(request), "Request body")
    group = groups.add_members(request.path_params["groupId"], member_ids(body.get("memberIds")))
    return JSONResponse(group.to_json())


async def remove_members(request: Request) -> Response:
    groups = emulator_state(request).groups
    groups.get(request.path_params["groupId"])
    body = require_object(await read_json(request), "Request body")
    group = groups.remove_members(request.path_params["groupId"],
                                  member_ids(body.get("memberIds")))
    return JSONResponse(group.to_json())


# ------------------------------------------------------------------ OpenAPI

GROUP = "/v2/groups/{groupId}"
NOT_FOUND = error("404", "No such group (GROUP_NOT_FOUND)")
GROUP_OK = ok(ref("Group"))
PAGE_PARAMETERS: list[Json] = [
    {"name": "limit", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
    {"name": "startingAfter", "in": "query", "description": "The nextCursor of the last page",
     "schema": string()},
]
MEMBERS_BODY = open_object({"memberIds": {"type": "array", "items": NON_EMPTY}}, ["memberIds"])


def group_list(summary: str, description: str) -> Json:
    return operation("groups", summary, {"200": ok(ref("GroupList")), "422": INVALID},
                     parameters=PAGE_PARAMETERS, description=description)


FEATURE = Feature(
    "groups",
    [
        Endpoint("POST", "/v2/groups", create_group, operation(
            "groups", "Create a group",
            {"200": GROUP_OK, "409": error("409", "GROUP_ALREADY_EXISTS"), "422": INVALID},
            body=open_object({
                "id": string(1, MAX_GROUP_ID_LENGTH),
                "memberIds": {"type": "array", "items": NON_EMPTY},
                "organizationId": {"anyOf": [NON_EMPTY, {"type": "null"}]},
                "scopes": {"anyOf": [open_object({"mention": {"type": "boolean"}}),
                                     {"type": "null"}]},
            }, ["id"]))),
        Endpoint("GET", "/v2/groups", list_groups,
                 group_list("List groups", "In the order they were created")),
        Endpoint("GET", GROUP, get_group,
                 operation("groups", "Get a group", {"200": GROUP_OK, "404": NOT_FOUND})),
        Endpoint("DELETE", GROUP, delete_group,
                 operation("groups", "Delete a group", {"204": NO_CONTENT, "404": NOT_FOUND})),
        Endpoint("POST", GROUP + "/add-members", add_members, operation(
            "groups", "Add members to a group (members already in stay as they are)",
            {"200": GROUP_OK, "404": NOT_FOUND, "422": INVALID}, body=MEMBERS_BODY)),
        Endpoint("POST", GROUP + "/remove-members", remove_members, operation(
            "groups", "Remove members from a group",
            {"200": GROUP_OK, "404": NOT_FOUND, "422": INVALID}, body=MEMBERS_BODY)),
        Endpoint("GET", "/v2/users/{userId}/groups", user_groups,
                 group_list("The groups a user is a member of", "In the order they were "
                            "created")),
    ],
    schemas={
        "Group": closed_object(
            {
                "type": {"const": "group"},
                "id": string(1, MAX_GROUP_ID_LENGTH),
                "organizationId": NON_EMPTY,
                "createdAt": TIMESTAMP,
                "updatedAt": TIMESTAMP,
                "scopes": closed_object({"mention": {"type": "boolean"}}, ["mention"]),
                "members": {"type": "array", "items": closed_object(
                    {"id": NON_EMPTY, "addedAt": TIMESTAMP}, ["id", "addedAt"])},
            },
            ["type", "id", "organizationId", "createdAt", "updatedAt", "scopes", "members"],
        ),
        "GroupList": closed_object(
            {"data": {"type": "array", "items": ref("Group")},
             "nextCursor": {"type": ["string", "null"]}},
            ["data", "nextCursor"],
        ),
    },
    parameters={
        "groupId": path_parameter("groupId", "A group id"),
        "userId": path_parameter("userId", "A user id, percent-escaped as one path segment"),
    },
)
