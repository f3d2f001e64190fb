"""Random bodies and query strings at every storage and schema endpoint: never a 5xx, always a
message."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_rooms_fuzz import check, json_values, send
from tests.api.test_storage_http import ENDPOINTS
from tests.strategies import lson_garbage, lson_roots, patch_garbage, patch_values

SCHEMA_TEXTS = [
    "type Storage { n?: number }",
    "type Todo { text: string, checked: boolean }\ntype Storage { todos?: LiveList<LiveObject<Todo>> }",
    "type Storage { m?: LiveMap<string, number | null>, s?: 'a' | 'b' }",
    "type Storage { n: numbr }",
    "type Storage {",
    "",
    "type S { a: LiveObject<S> }\ntype Storage { s?: LiveObject<S> }",
]
schema_texts = st.sampled_from(SCHEMA_TEXTS) | st.text(
    alphabet=st.sampled_from(list("type Storage{}:<>|?,;\n'\"[]()LiveObjectListMap0123456789-.#/")),
    max_size=60,
)
schema_names = st.sampled_from(["s", "t", "s@1", "", "S", "a" * 65]) | st.text(max_size=10)
schema_ids = st.sampled_from(["s@1", "s@2", "s", "t@1", "s@0", "s@²", "@1", "s@1@1"]) | st.text(
    max_size=12
)
ops = st.fixed_dictionaries(
    {"type": st.integers(-1, 12)},
    optional={
        "opId": st.sampled_from(["1:0", "1:1", "x"]) | st.text(max_size=4),
        "id": st.sampled_from(["root", "si:1", "si:2", "1:0", "1:1"]) | json_values,
        "parentId": st.sampled_from(["root", "si:1", "1:0"]) | json_values,
        "parentKey": st.sampled_from(["a", "!", " ~", ""]) | json_values,
        "key": st.sampled_from(["a", "n"]) | json_values,
        "data": st.dictionaries(st.text(max_size=3), patch_values, max_size=3) | json_values,
        "intent": st.sampled_from(["set", "push"]) | json_values,
        "deletedId": st.sampled_from(["si:1", "1:0"]) | json_values,
    },
)
messages = st.fixed_dictionaries(
    {
        "messages": st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from([201, 100, 0]), "ops": st.lists(ops, max_size=5)}
            )
            | json_values,
            max_size=3,
        )
    }
)
bodies = st.one_of(
    lson_roots,
    lson_garbage,
    st.lists(patch_garbage, max_size=4),
    patch_garbage,
    st.fixed_dictionaries(
        {}, optional={"name": schema_names | json_values, "body": schema_texts | json_values}
    ),
    st.fixed_dictionaries({}, optional={"schema": schema_ids | json_values}),
    messages,
    json_values,
)
room_ids = st.sampled_from(["r", "r", "r", "missing"]) | st.text(min_size=1, max_size=40)
query_params = st.lists(
    st.tuples(
        st.sampled_from(["format", "format", "idempotent", "other"]),
        st.sampled_from(["json", "plain-lson", "", "xml"]) | st.text(max_size=20),
    ),
    max_size=3,
)


def setup(http: httpx.Client) -> None:
    """A room "r" with some storage, and a schema "s@1" (attached or not: the fuzz decides)."""
    http.post("/v2/rooms?idempotent", json={"id": "r", "defaultAccesses": []})
    http.post("/v2/schemas", json={"name": "s", "body": SCHEMA_TEXTS[0]})
    storage = {"liveblocksType": "LiveObject", "data": {"n": 1}}
    http.post("/v2/rooms/r/storage", json=storage)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    room_id=room_ids,
    schema_id=schema_ids,
    body=bodies,
    params=query_params,
    raw=st.booleans(),
)
def test_no_input_breaks_a_storage_or_schema_endpoint(
    http: httpx.Client,
    endpoint: tuple[str, str],
    room_id: str,
    schema_id: str,
    body: Any,
    params: list[tuple[str, str]],
    raw: bool,
) -> None:
    setup(http)
    method, template = endpoint
    url = template.format(id=quote(room_id, safe=""), schema=quote(schema_id, safe=""))
    check(send(http, method, url, params, body, raw=raw))
    # Whatever happened, the room's storage can still be read in both formats.
    for storage_format in ("plain-lson", "json"):
        after = http.get("/v2/rooms/r/storage", params={"format": storage_format})
        assert after.status_code in (200, 404), after.text
