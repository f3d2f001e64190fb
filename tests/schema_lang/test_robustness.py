"""No input makes the parser, the checker or the validator raise anything but
`SchemaError` (or, for documents, anything at all)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schema_lang
from schema_lang import SchemaError, load, validate, validate_at
from tests.schema_lang.schema_strategies import draw_storage, draw_valid_document

SETTINGS = settings(max_examples=200, deadline=None)

SCHEMA_CHARS = "type Storage LiveObject<>LiveList LiveMap{}()[]|:;,?=\n\r\t \"'\\#/-.0123456789abAZ_"
TOKENS = [
    "type", "Storage", "A", "a", "LiveObject", "LiveList", "LiveMap", "string", "number",
    "boolean", "null", "true", "false", "{", "}", "<", ">", "(", ")", "[", "]", "|", ":", ";",
    ",", "?", "=", "\n", "\r\n", " ", "\t", '"x"', "'y'", "1", "-2", ".5", "# c\n", "// c\n",
    "liveblocksType", "1Foo", "Presence", "/*", "\\", '"', "'", "{",
]


def load_or_schema_error(text: str) -> None:
    try:
        load(text)
    except SchemaError as error:
        assert error.stage in ("syntax", "semantic")
        assert error.line >= 1 and error.column >= 1
        assert error.message == f"{error.raw_message} (at {error.line}:{error.column})"


@SETTINGS
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    load_or_schema_error(text)


@SETTINGS
@given(st.text(alphabet=SCHEMA_CHARS, max_size=80))
def test_schema_like_text(text: str) -> None:
    load_or_schema_error(text)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_token_soup(text: str) -> None:
    load_or_schema_error(text)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_valid_schemas(data: st.DataObject) -> None:
    text = schema_lang.format(draw_valid_document(data))
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 6)))
        insert = data.draw(st.one_of(st.just(""), st.sampled_from(TOKENS), st.text(max_size=3)))
        text = text[:start] + insert + text[end:]
    load_or_schema_error(text)


@pytest.mark.parametrize(
    "text",
    [
        "type Storage { a: " + "(" * 5000,
        "type Storage { a: " + "(" * 5000 + "string" + ")" * 5000 + " }",
        "type Storage { a: " + "LiveList<" * 5000 + "string" + ">" * 5000 + " }",
        "type Storage { a: " + "{a:" * 5000 + "string" + "}" * 5000 + " }",
        "type Storage { a: string" + "[]" * 5000 + " }",
        "type Storage { a: " + "LiveMap<string, " * 5000,
        "type Storage { a: " + " | ".join(["string"] * 5000) + " }",
        "type Storage { " + ", ".join(f"f{i}: number" for i in range(5000)) + " }",
        "{" * 5000,
        "type Storage " + "{" * 5000,
        "type Storage { a: " + "(" * 40 + "string" + "[]" * 40 + ")" * 40 + " }",
    ],
)
def test_pathological_inputs(text: str) -> None:
    load_or_schema_error(text)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=4), children, max_size=4),
        st.builds(
            lambda kind, data: {"liveblocksType": kind, "data": data},
            st.sampled_from(["LiveObject", "LiveList", "LiveMap", "LiveText", None]),
            st.one_of(children, st.lists(children, max_size=3),
                      st.dictionaries(st.sampled_from(["a", "b", "type", "x1"]), children,
                                      max_size=3)),
        ),
    ),
    max_leaves=20,
)

steps = st.lists(
    st.tuples(
        st.sampled_from(["LiveObject", "LiveList", "LiveMap"]),
        st.one_of(st.sampled_from(["a", "b", "type", "x1", "_y"]), st.integers(-2, 5)),
    ),
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(st.data(), json_values, steps)
def test_arbitrary_documents_and_paths(data: st.DataObject, value: Any, path: Any) -> None:
    document = draw_valid_document(data)
    schema = load(schema_lang.format(document))
    for violation in validate(schema, value):
        assert violation.path.startswith("root")
    validate(schema, {"liveblocksType": "LiveObject", "data": value})
    validate_at(schema, path, value)
    root, _ = draw_storage(data, document)
    validate_at(schema, path, root)


def test_the_garbage_collector_is_enabled_again_after_success_and_failure() -> None:
    import gc

    assert gc.isenabled()
    load("type Storage {}")
    assert gc.isenabled()
    for text in ["type Storage { a: }", "type Storage { a: Foo }"]:
        with pytest.raises(SchemaError):
            load(text)
        assert gc.isenabled()
    gc.disable()
    try:
        load("type Storage {}")
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()
