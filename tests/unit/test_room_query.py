"""The rooms query language: what parses, what it means, what is refused."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.room_inputs import RoomCreation
from emulator.domain.room_query import Clause, InvalidQuery, compile_clauses, parse_query
from emulator.domain.rooms import RoomStore


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roomId^'liveblocks:'", [Clause("roomId", None, "^", "liveblocks:")]),
        ("metadata['roomType']:'whiteboard'", [Clause("metadata", "roomType", ":", "whiteboard")]),
        (
            "roomId^'a' AND metadata['k']:'v'",
            [Clause("roomId", None, "^", "a"), Clause("metadata", "k", ":", "v")],
        ),
        (
            'metadata["a"]:"x" metadata["b"]^"y"',
            [Clause("metadata", "a", ":", "x"), Clause("metadata", "b", "^", "y")],
        ),
        ("  roomId : 'spaced'  ", [Clause("roomId", None, ":", "spaced")]),
        ('roomId:"say \\"hi\\""', [Clause("roomId", None, ":", 'say "hi"')]),
        ("roomId:'say \"hi\"'", [Clause("roomId", None, ":", 'say "hi"')]),
        ("roomId:'\\u00e9'", [Clause("roomId", None, ":", "é")]),
        ("", []),
    ],
)
def test_parses(text: str, expected: list[Clause]) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "roomId",
        "roomId^",
        "AND roomId^'a'",
        "roomId^'a' AND",
        "name:'x'",
        "roomId>5",
        "metadata[k]:'v'",
        "metadata['k']",
        "roomId:'a' OR roomId:'b'",
        "roomId:5",
        "roomId:true",
        "roomId:'\\x'",
        "(roomId:'a')",
        "roomId:'a' AND AND roomId:'b'",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(InvalidQuery):
        parse_query(text)


@given(st.text(max_size=60))
def test_never_crashes(text: str) -> None:
    with contextlib.suppress(InvalidQuery):
        parse_query(text)


def node_sdk_quote(value: str) -> str:
    """What @liveblocks/node's objectToQuery writes for a string (its `quote`)."""
    import json

    result = json.dumps(value, ensure_ascii=False)
    if "'" in result:
        return result
    return "'" + result[1:-1].replace('\\"', '"') + "'"


@given(st.text(max_size=30), st.text(max_size=30))
def test_reads_what_the_node_sdk_writes(key: str, value: str) -> None:
    text = f"metadata[{node_sdk_quote(key)}]:{node_sdk_quote(value)} roomId^{node_sdk_quote(value)}"
    assert parse_query(text) == [
        Clause("metadata", key, ":", value),
        Clause("roomId", None, "^", value),
    ]


def test_prefix_and_equality_semantics() -> None:
    store = RoomStore(lambda: 0)
    store.create(RoomCreation(id="team:a", default_accesses=[], metadata={"c": "blue"}))
    store.create(RoomCreation(id="team", default_accesses=[], metadata={"c": ["blue"]}))
    predicate = compile_clauses(parse_query("roomId^'team:'"))
    assert [r.id for r in store if predicate(r)] == ["team:a"]
    predicate = compile_clauses(parse_query("metadata['c']:'blue'"))
    assert [r.id for r in store if predicate(r)] == ["team:a"]
    predicate = compile_clauses(parse_query("metadata['c']^'bl'"))
    assert [r.id for r in store if predicate(r)] == ["team:a"]
