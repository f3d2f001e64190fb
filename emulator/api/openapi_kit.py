"""Building blocks for the OpenAPI entries that each feature module declares next to its
handlers: JSON Schema helpers, the shared error responses, and ``operation``.

Request bodies are open objects (the emulator ignores fields it does not know);
response bodies are closed (they hold exactly the fields documented).
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


# ------------------------------------------------------------------ schema helpers


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def open_object(properties: Json, required: list[str] | None = None, **more: Any) -> Json:
    """An object with these properties: a request body (unknown fields are ignored)."""
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema.update(more)
    return schema


def closed_object(properties: Json, required: list[str] | None = None, **more: Any) -> Json:
    """An object with exactly these properties: what the emulator sends."""
    return {**open_object(properties, required, **more), "additionalProperties": False}


def nullable(schema: Json) -> Json:
    """Also ``null``, which the emulator reads as 'not given' (or, in an update, 'delete')."""
    return {"anyOf": [schema, {"type": "null"}]}


def string(min_length: int = 0, max_length: int | None = None, **more: Any) -> Json:
    schema: Json = {"type": "string", **more}
    if min_length:
        schema["minLength"] = min_length
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def limited_map(key: Json, value: Json, max_entries: int, *, in_update: bool) -> Json:
    """An object of ``key: value`` entries; in an update ``null`` removes an entry."""
    return {
        "type": "object",
        "maxProperties": max_entries,
        "propertyNames": key,
        "additionalProperties": nullable(value) if in_update else value,
    }


def live_node(kind: str, data: Json) -> Json:
    # Plain LSON refuses any key beside these two.
    return closed_object({"liveblocksType": {"const": kind}, "data": data},
                         ["liveblocksType", "data"])


TIMESTAMP = string(
    pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$",
    description="ISO-8601 UTC with milliseconds, e.g. 2026-01-01T00:00:00.000Z",
)
NON_EMPTY = string(1)
ANY_OBJECT: Json = {"type": "object"}
JWT = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"


# ------------------------------------------------------------------ errors and responses

ERROR_SCHEMA: Json = {
    "type": "object",
    "description": "Every error, routing errors included. Some carry more fields: "
    "line and column (INVALID_SCHEMA), violations (SCHEMA_VALIDATION_FAILED), "
    "source and path (INVALID_FIXTURE).",
    "required": ["error", "message"],
    "properties": {
        "error": string(pattern="^[A-Z][A-Z_]*$", examples=["ROOM_NOT_FOUND"]),
        "message": NON_EMPTY,
        "suggestion": string(),
        "docs": string(),
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "violations": {
            "type": "array",
            "items": closed_object({"path": string(), "message": string()},
                                   ["path", "message"]),
        },
        "source": string(),
        "path": string(),
    },
    "additionalProperties": False,
}
ERRORS: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "The body is not JSON (or is empty where JSON is needed)"),
    "401": ("Unauthorized", "No Authorization header"),
    "403": ("Forbidden", "Not the secret key"),
    "404": ("NotFound", "The room does not exist (ROOM_NOT_FOUND)"),
    "409": ("Conflict", "The change conflicts with the current state"),
    "413": ("PayloadTooLarge", "The body is larger than --max-body-bytes"),
    "422": ("Invalid", "A value breaks a rule: the message names the field and the rule"),
}
RESPONSES: Json = {
    name: {"description": text, "content": json_content(ref("Error"))}
    for name, text in ERRORS.values()
}


def error(status: str, description: str | None = None) -> Json:
    """An error response: the shared one of its status, or one described for the operation."""
    if description is None:
        return {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    return {"description": description, "content": json_content(ref("Error"))}


def ok(schema: Json, description: str = "Success") -> Json:
    return {"description": description, "content": json_content(schema)}


NO_CONTENT: Json = {"description": "Done (no body)"}
EMPTY_OK: Json = {"description": "Done (status 200, no body)"}
INVALID = error("422")


# ------------------------------------------------------------------ operations


def operation(
    tag: str,
    summary: str,
    responses: Json,
    *,
    body: Json | None = None,
    body_required: bool = True,
    parameters: list[Json] | None = None,
    secret: bool = True,
    description: str | None = None,
    extensions: Json | None = None,
) -> Json:
    """One operation. With the secret key it may also answer 401 and 403; with a body, 400
    and 413."""
    op: Json = {"tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = parameters
    every = dict(responses)
    if body is not None:
        op["requestBody"] = {"required": body_required, "content": json_content(body)}
        every.setdefault("400", error("400"))
        every.setdefault("413", error("413"))
    if secret:
        every.setdefault("401", error("401"))
        every.setdefault("403", error("403"))
    else:
        op["security"] = []
    op["responses"] = dict(sorted(every.items()))
    op.update(extensions or {})
    return op


def in_room(summary: str, responses: Json, *, tag: str = "rooms", **kwargs: Any) -> Json:
    """An operation on an existing room (``/v2/rooms/{roomId}/…``): 404 when there is none."""
    return operation(tag, summary, {"404": error("404"), **responses}, **kwargs)


def path_parameter(name: str, description: str, schema: Json | None = None) -> Json:
    """A ``{name}`` path parameter (a feature lists its own in ``Feature.parameters``)."""
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema if schema is not None else NON_EMPTY}
