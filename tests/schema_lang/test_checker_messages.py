"""SCHEMA_LANGUAGE.md §1.5 and §2: every semantic rule, its exact message and position,
and the order in which the checks run."""

from __future__ import annotations

import pytest

from schema_lang import SchemaError, load


def semantic_error(text: str) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        load(text)
    assert info.value.stage == "semantic", info.value
    return info.value


def assert_error(text: str, message: str, line: int, column: int) -> None:
    error = semantic_error(text)
    assert error.raw_message == message
    assert (error.line, error.column) == (line, column)
    assert error.message == f"{message} (at {line}:{column})"
    assert str(error) == error.message


def test_a_valid_schema_loads() -> None:
    schema = load(
        "type Storage {\n"
        "  todos: LiveList<LiveObject<Todo>>\n"
        "  board?: LiveObject<Board> | null\n"
        "  settings: Settings\n"
        "}\n"
        "type Todo { text: string, done: boolean, tags: string[] }\n"
        "type Board { columns: LiveMap<string, LiveList<string>> }\n"
        "type Settings { theme: 'dark' | 'light', size?: 1 | 2 | 3 }\n"
    )
    assert set(schema.types) == {"Storage", "Todo", "Board", "Settings"}
    assert schema.root.name.name == "Storage"
    assert schema.live_types == {"Storage", "Todo", "Board"}
    assert not schema.is_live("Settings")


# 1. Registration


def test_duplicate_type_names() -> None:
    assert_error(
        "type A { x: number }\ntype A { y: number }\ntype Storage { a: A }",
        "A type named 'A' is defined multiple times (on line 1 and 2)",
        2,
        6,
    )


def test_duplicate_types_are_reported_before_anything_else() -> None:
    assert_error(
        "type Storage { a: Missing }\ntype Storage {}",
        "A type named 'Storage' is defined multiple times (on line 1 and 2)",
        2,
        6,
    )


# 2. Static vs live


def test_a_live_body_type_must_be_referenced_as_liveobject() -> None:
    assert_error(
        "type Storage { board: Board }\ntype Board { items: LiveList<string> }",
        "Type 'Board' uses Live constructs, so it must be referenced as 'LiveObject<Board>'",
        1,
        23,
    )


@pytest.mark.parametrize(
    "body", ["LiveMap<string, string>", "LiveObject<C>", "{ x: LiveList<string> }[]",
             "string | LiveList<string>"]
)
def test_any_live_construct_at_any_depth_makes_a_body_live(body: str) -> None:
    error = semantic_error(f"type Storage {{ b: B }}\ntype B {{ x: {body} }}\ntype C {{}}")
    assert error.raw_message.startswith("Type 'B' uses Live constructs")


@pytest.mark.parametrize(
    ("field", "column"), [("LiveList<Board>", 33), ("LiveMap<string, Board>", 40)]
)
def test_live_body_rule_applies_inside_live_structures(field: str, column: int) -> None:
    assert_error(
        f"type Storage {{ boards: {field} }}\ntype Board {{ items: LiveList<string> }}",
        "Type 'Board' uses Live constructs, so it must be referenced as 'LiveObject<Board>'",
        1,
        column,
    )


def test_mixing_plain_then_liveobject_references() -> None:
    # The official checker names the LiveObject<> reference's line but points
    # at the plain reference, whichever comes first.
    assert_error(
        "type Storage {\n  a: A\n  b: LiveObject<A>\n}\ntype A { x: number }",
        "Type 'A' already referenced as 'LiveObject<A>' on line 3. You cannot mix these references",
        2,
        6,
    )


def test_mixing_plain_then_multiline_liveobject_references() -> None:
    assert_error(
        "type Storage {\n  a: A\n  b: LiveObject<\nA\n>\n}\ntype A {}",
        "Type 'A' already referenced as 'LiveObject<A>' on line 3–5. "
        "You cannot mix these references",
        2,
        6,
    )


def test_the_plain_reference_reported_is_the_last_one_before_liveobject() -> None:
    assert_error(
        "type Storage {\n  a: A\n  c: A[]\n  b: LiveObject<A>\n}\ntype A {}",
        "Type 'A' already referenced as 'LiveObject<A>' on line 4. You cannot mix these references",
        3,
        6,
    )


def test_mixing_liveobject_then_plain_references() -> None:
    assert_error(
        "type Storage {\n  b: LiveObject<A>\n  a: A\n}\ntype A { x: number }",
        "Type 'A' already referenced as 'LiveObject<A>' on line 2. You cannot mix these references",
        3,
        6,
    )


def test_mixed_references_across_definitions() -> None:
    assert_error(
        "type Storage { b: LiveObject<B>, a: A }\ntype B { a: LiveObject<A> }\ntype A {}",
        "Type 'A' already referenced as 'LiveObject<A>' on line 2. You cannot mix these references",
        1,
        37,
    )


def test_a_multiline_reference_reports_its_line_range() -> None:
    assert_error(
        "type Storage {\n  b: LiveObject<\nA\n>\n  a: A\n}\ntype A {}",
        "Type 'A' already referenced as 'LiveObject<A>' on line 2–4. "
        "You cannot mix these references",
        5,
        6,
    )


def test_static_live_errors_come_before_the_visit() -> None:
    # The unknown type and the bad field name come earlier in the text but are
    # found by the later visit.
    assert_error(
        "type Storage { liveblocksType: Nope, a: A }\ntype A { l: LiveList<string> }",
        "Type 'A' uses Live constructs, so it must be referenced as 'LiveObject<A>'",
        1,
        41,
    )


def test_static_types_referenced_as_liveobject_become_live() -> None:
    schema = load("type Storage { a: LiveObject<A> }\ntype A { x: number }")
    assert schema.is_live("A")


# 3. The visit: object type definitions


def test_duplicate_fields() -> None:
    assert_error(
        "type Storage {\n  a: string\n  a: number\n}",
        "A field named 'a' is defined multiple times (on line 2 and 3)",
        3,
        3,
    )


def test_an_optional_and_a_required_field_of_the_same_name_are_duplicates() -> None:
    assert_error(
        "type Storage { a: string, a?: number }",
        "A field named 'a' is defined multiple times (on line 1 and 1)",
        1,
        27,
    )


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("type Storage { a: Node }\ntype Node { next: Node }", 2, 19),
        ("type Storage { a: Node }\ntype Node { next?: Node }", 2, 20),
        ("type Storage { a: Node }\ntype Node { next: Node | null }", 2, 19),
        ("type Storage { a: Node }\ntype Node { next: Node[] }", 2, 19),
        ("type Storage { a: Node }\ntype Node { next: { n: Node } }", 2, 24),
        ("type Storage { a: LiveObject<Node> }\ntype Node { next: LiveList<LiveObject<Node>> }",
         2, 28),
        ("type Storage { a: LiveObject<Node> }\ntype Node { next: LiveObject<Node> }", 2, 19),
        ("type Storage { a: LiveObject<Node> }\ntype Node { m: LiveMap<string, LiveObject<Node>> }",
         2, 32),
    ],
)
def test_any_cycle_is_rejected(text: str, line: int, column: int) -> None:
    assert_error(text, "Circular reference 'Node' not yet supported", line, column)


def test_storage_referencing_itself_is_a_cycle() -> None:
    assert_error(
        "type Storage { s?: LiveObject<Storage> }",
        "Circular reference 'Storage' not yet supported",
        1,
        20,
    )


def test_an_indirect_cycle_is_reported_where_the_search_closes_it() -> None:
    assert_error(
        "type Storage { a: A }\ntype A { b: B }\ntype B { a: A }",
        "Circular reference 'A' not yet supported",
        3,
        13,
    )


def test_duplicate_fields_come_before_cycles() -> None:
    assert_error(
        "type Storage { a: Storage, a: string }",
        "A field named 'a' is defined multiple times (on line 1 and 1)",
        1,
        28,
    )


def test_cycles_come_before_the_definition_name() -> None:
    assert_error(
        "type Storage { a: foo }\ntype foo { a: foo }",
        "Circular reference 'foo' not yet supported",
        2,
        15,
    )


def test_a_long_chain_of_types_is_checked_without_recursion() -> None:
    n = 3000
    lines = ["type Storage { t: T0 }"]
    lines += [f"type T{i} {{ next: T{i + 1} }}" for i in range(n)]
    lines.append(f"type T{n} {{ back: T0 }}")
    assert_error("\n".join(lines), "Circular reference 'T0' not yet supported", n + 2, 20)
    lines[-1] = f"type T{n} {{ x: number }}"
    assert len(load("\n".join(lines)).types) == n + 2


# 3. The visit: type names


@pytest.mark.parametrize("name", ["string", "number", "boolean", "null"])
def test_built_in_names_cannot_be_redefined(name: str) -> None:
    assert_error(
        f"type {name} {{}}\ntype Storage {{ a: {name}[] }}",
        f"Name '{name}' is a built-in and cannot be redefined",
        1,
        6,
    )


@pytest.mark.parametrize("name", ["foo", "true", "1Foo", "liveX", "type"])
def test_type_names_start_with_an_uppercase_character(name: str) -> None:
    assert_error(
        f"type {name} {{}}\ntype Storage {{}}",
        "Type names should start with an uppercase character",
        1,
        6,
    )


def test_digit_first_storage_is_parsed_then_rejected() -> None:
    assert_error(
        "type 1Storage {}", "Type names should start with an uppercase character", 1, 6
    )


def test_an_underscore_may_start_a_type_name() -> None:
    load("type Storage { a: _Foo }\ntype _Foo {}")


@pytest.mark.parametrize(
    "name", ["LiveText", "Livestuff", "LIVE", "Presence", "PRESENCE", "ARRAY", "Array", "Int",
             "String", "Float", "Number", "Boolean", "Null"]
)
def test_reserved_type_names(name: str) -> None:
    assert_error(
        f"type {name} {{}}\ntype Storage {{}}",
        f"Name '{name}' is reserved for future use",
        1,
        6,
    )


def test_reserved_names_are_also_checked_on_references() -> None:
    assert_error(
        "type Storage { a: Presence }\ntype Presence {}",
        "Name 'Presence' is reserved for future use",
        1,
        19,
    )


def test_names_that_only_contain_reserved_words_are_fine() -> None:
    load("type Storage { a: Arrays, b: Stringy, c: MyLive }\ntype Arrays {}\ntype Stringy {}\n"
         "type MyLive {}")


# 3. The visit: identifiers


def test_liveblocks_type_is_a_reserved_field_name() -> None:
    assert_error(
        "type Storage {\n  liveblocksType: string\n}",
        "Identifier 'liveblocksType' is reserved",
        2,
        3,
    )


def test_liveblocks_type_is_reserved_in_object_literals_too() -> None:
    assert_error(
        "type Storage { a: { liveblocksType?: string } }",
        "Identifier 'liveblocksType' is reserved",
        1,
        21,
    )


def test_the_reserved_identifier_is_case_sensitive() -> None:
    load("type Storage { LiveblocksType: string, liveblockstype: string }")


# 3. The visit: object literals


def test_duplicate_fields_in_object_literals() -> None:
    assert_error(
        "type Storage { a: { x: number, x?: string } }",
        "A field named 'x' is defined multiple times (on line 1 and 1)",
        1,
        32,
    )


@pytest.mark.parametrize(
    ("field", "column"),
    [("LiveList<string>", 24), ("LiveMap<string, number>", 24), ("LiveObject<A>", 24)],
)
def test_no_live_construct_inside_an_object_literal(field: str, column: int) -> None:
    assert_error(
        f"type Storage {{ a: {{ x: {field} }} }}\ntype A {{}}",
        "Cannot use Live construct inside an object literal",
        1,
        column,
    )


# 3. The visit: arrays


@pytest.mark.parametrize(
    ("type_text", "column"),
    [("LiveList<string>[]", 19), ("LiveObject<A>[]", 19), ("LiveMap<string, A>[]", 19),
     ("(LiveList<string>)[]", 20)],
)
def test_no_live_construct_inside_an_array(type_text: str, column: int) -> None:
    assert_error(
        f"type Storage {{ a: {type_text} }}\ntype A {{}}",
        "Cannot use Live construct inside an array",
        1,
        column,
    )


# 3. The visit: literals


@pytest.mark.parametrize(("literal", "column"), [("0.5", 19), (".5", 19), ("-2.5", 19)])
def test_number_literals_must_be_whole(literal: str, column: int) -> None:
    assert_error(
        f"type Storage {{ a: {literal} }}",
        "Number literals can only be whole integers",
        1,
        column,
    )


def test_a_whole_float_literal_is_accepted() -> None:
    load("type Storage { a: 1.0 | 2 }")


# 3. The visit: LiveMap keys


@pytest.mark.parametrize(
    ("key", "column"),
    [("number", 27), ('"x"', 27), ("string | null", 27), ("A", 27), ("boolean", 27)],
)
def test_livemap_keys_must_be_string(key: str, column: int) -> None:
    assert_error(
        f"type Storage {{ a: LiveMap<{key}, number> }}\ntype A {{}}",
        "Only 'string' keys are currently supported in LiveMaps",
        1,
        column,
    )


def test_a_parenthesized_string_key_is_fine() -> None:
    load("type Storage { a: LiveMap<(string), number> }")


# 3. The visit: type references and suggestions


def test_unknown_type() -> None:
    assert_error("type Storage { a: Foo }", "Unknown type 'Foo'", 1, 19)


def test_unknown_type_with_a_suggestion() -> None:
    assert_error(
        "type Storage { a: strin }", "Unknown type 'strin'. Did you mean 'string'?", 1, 19
    )


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("String", "string"), ("Number", "number"), ("Boolean", "boolean"), ("Null", "null"),
     ("int", None), ("Tod", "Todo"), ("todo", "Todo"), ("TODOS", "Todo"), ("Bolean", "boolean"),
     ("nul", "null"), ("Storag", None), ("Todo_", "Todo"), ("Float", None)],
)
def test_unknown_type_suggestions(name: str, suggestion: str | None) -> None:
    error = semantic_error(f"type Storage {{ t: Todo, a: {name} }}\ntype Todo {{}}")
    expected = f"Unknown type '{name}'"
    if suggestion is not None:
        expected += f". Did you mean '{suggestion}'?"
    assert error.raw_message == expected


def test_suggestions_never_offer_storage() -> None:
    assert_error("type Storage { a: Storagee }", "Unknown type 'Storagee'", 1, 19)


def test_the_first_best_suggestion_wins() -> None:
    # "Cat" and "Car" are both one edit from "Cax"; the first defined wins.
    text = "type Storage { a: Cat, b: Car, c: Cax }\ntype Cat {}\ntype Car {}"
    assert semantic_error(text).raw_message == "Unknown type 'Cax'. Did you mean 'Cat'?"
    text = "type Storage { a: Car, b: Cat, c: Cax }\ntype Car {}\ntype Cat {}"
    assert semantic_error(text).raw_message == "Unknown type 'Cax'. Did you mean 'Car'?"


def test_a_closer_suggestion_beats_an_earlier_one() -> None:
    text = "type Storage { a: Abcde, b: Abcdf, c: Abcdx }\ntype Abcdf {}\ntype Abcde {}"
    error = semantic_error(text.replace("c: Abcdx", "c: Abcdfx"))
    assert error.raw_message == "Unknown type 'Abcdfx'. Did you mean 'Abcdf'?"


def test_suggestions_are_below_forty_percent_of_the_length() -> None:
    # "ab" allows a distance below 0.8, i.e. only a case-insensitive match.
    assert semantic_error("type Storage { a: ab }").raw_message == "Unknown type 'ab'"
    text = "type Storage { a: AB, b: ab }\ntype AB {}"
    assert semantic_error(text).raw_message == "Unknown type 'ab'. Did you mean 'AB'?"


def test_unknown_object_type() -> None:
    assert_error(
        "type Storage { a: LiveObject<Foo> }", "Unknown object type 'Foo'", 1, 30
    )


def test_unknown_object_type_suggests_object_types_only() -> None:
    text = "type Storage { t: LiveObject<Todo>, a: LiveObject<Todoo>, s: LiveObject<strin> }\n"
    text += "type Todo {}"
    assert semantic_error(text).raw_message == "Unknown object type 'Todoo'. Did you mean 'Todo'?"
    text = "type Storage { a: LiveObject<strin> }"
    assert semantic_error(text).raw_message == "Unknown object type 'strin'"


def test_liveobject_of_a_scalar_keyword_is_an_unknown_object_type() -> None:
    assert_error(
        "type Storage { a: LiveObject<number> }", "Unknown object type 'number'", 1, 30
    )


def test_an_unknown_type_comes_before_the_type_name_rules() -> None:
    assert_error("type Storage { a: foo }", "Unknown type 'foo'", 1, 19)
    assert_error("type Storage { a: LiveText }", "Unknown type 'LiveText'", 1, 19)


def test_a_bad_reference_to_a_defined_type_reports_at_the_reference() -> None:
    assert_error(
        "type Storage { a: foo }\ntype foo {}",
        "Type names should start with an uppercase character",
        1,
        19,
    )


# 3. The visit: unions


def test_unions_with_two_object_types() -> None:
    assert_error(
        "type Storage { a: A | B }\ntype A {}\ntype B {}",
        "Unions with more than one object type are not yet supported: "
        "type 'B' cannot appear in a union with 'A'",
        1,
        23,
    )


def test_named_types_and_object_literals_share_the_object_tag() -> None:
    assert_error(
        "type Storage { a: A | { x: number } }\ntype A {}",
        "Unions with more than one object type are not yet supported: "
        "type '{ x: number }' cannot appear in a union with 'A'",
        1,
        23,
    )
    assert_error(
        "type Storage { a: {} | { x?: number, y: string[] } }",
        "Unions with more than one object type are not yet supported: "
        "type '{ x?: number, y: string[] }' cannot appear in a union with '{}'",
        1,
        24,
    )


def test_unions_with_two_liveobjects() -> None:
    assert_error(
        "type Storage { a: LiveObject<A> | LiveObject<B> }\ntype A {}\ntype B {}",
        "Unions with more than one LiveObject are not yet supported: "
        "type 'LiveObject<B>' cannot appear in a union with 'LiveObject<A>'",
        1,
        35,
    )


@pytest.mark.parametrize(
    ("type_text", "later", "earlier", "column"),
    [
        ("number[] | string[]", "string[]", "number[]", 30),
        ("LiveList<string> | LiveList<number>", "LiveList<number>", "LiveList<string>", 38),
        ("LiveMap<string, number> | LiveMap<string, string>", "LiveMap<string, string>",
         "LiveMap<string, number>", 45),
        ("null | null", "null", "null", 26),
        ("string | null | string", "string", "string", 35),
        ('"x" | \'x\'', '"x"', '"x"', 25),
        ("1 | 1.0", "1", "1", 23),
        ("true | true", "true", "true", 26),
        ("(string | number)[] | boolean[]", "boolean[]", "(string | number)[]", 41),
        ("number | number", "number", "number", 28),
        ("boolean | boolean", "boolean", "boolean", 29),
    ],
)
def test_duplicate_union_tags(type_text: str, later: str, earlier: str, column: int) -> None:
    assert_error(
        f"type Storage {{ a: {type_text} }}",
        f"Type '{later}' cannot appear in a union with '{earlier}'",
        1,
        column,
    )


@pytest.mark.parametrize(
    ("type_text", "later", "earlier", "column"),
    [
        ('"x" | string', "string", '"x"', 25),
        ('string | "x"', '"x"', "string", 28),
        ("42 | number", "number", "42", 24),
        ("number | 42", "42", "number", 28),
        ("true | boolean", "boolean", "true", 26),
        ("boolean | false", "false", "boolean", 29),
        ("1 | 2 | number", "number", "1", 27),
    ],
)
def test_a_literal_cannot_share_a_union_with_its_scalar(
    type_text: str, later: str, earlier: str, column: int
) -> None:
    assert_error(
        f"type Storage {{ a: {type_text} }}",
        f"Type '{later}' cannot appear in a union with '{earlier}'",
        1,
        column,
    )


def test_duplicate_tags_are_checked_before_literal_and_scalar_pairs() -> None:
    assert_error(
        'type Storage { a: string | "x" | null | null }',
        "Type 'null' cannot appear in a union with 'null'",
        1,
        41,
    )


def test_quotes_inside_union_messages_are_escaped() -> None:
    assert_error(
        "type Storage { a: \"it's\" | 'it\\'s' }",
        "Type '\"it\\'s\"' cannot appear in a union with '\"it\\'s\"'",
        1,
        28,
    )


@pytest.mark.parametrize(
    "type_text",
    ["A | LiveObject<B>", "string | string[] | null", "LiveList<string> | LiveMap<string, number>",
     '1 | "1" | true', '"a" | "b" | "c"', "1 | 2 | 3", "true | false", "A | null",
     "LiveObject<B> | null", "string[] | LiveList<string>", "number | string | boolean | null"],
)
def test_allowed_unions(type_text: str) -> None:
    load(f"type Storage {{ a: {type_text} }}\ntype A {{}}\ntype B {{}}".replace(
        "type A {}", "type A {}" if "A" in type_text else ""
    ).replace("type B {}", "type B {}" if "B" in type_text else ""))


def test_the_union_check_comes_before_its_members() -> None:
    assert_error(
        "type Storage { a: Foo | Bar }",
        "Unions with more than one object type are not yet supported: "
        "type 'Bar' cannot appear in a union with 'Foo'",
        1,
        25,
    )


# 4. and 5. After the visit


def test_missing_storage() -> None:
    assert_error(
        "type A { x: number }",
        "Missing root object type definition named 'Storage'",
        1,
        1,
    )


def test_missing_storage_is_positioned_at_the_document_start() -> None:
    assert_error(
        "\n\n  type A { x: number }",
        "Missing root object type definition named 'Storage'",
        3,
        3,
    )


def test_missing_storage_comes_after_the_visit() -> None:
    assert_error("type A { x: Foo }", "Unknown type 'Foo'", 1, 13)


def test_unused_definitions() -> None:
    assert_error(
        "type Storage { a: string }\ntype Unused { x: number }",
        "Type 'Unused' is defined but never used",
        2,
        6,
    )


def test_a_reference_from_an_unused_type_counts_as_a_use() -> None:
    assert_error(
        "type A { b: B }\ntype B {}\ntype Storage {}",
        "Type 'A' is defined but never used",
        1,
        6,
    )


def test_storage_may_be_unused_and_unused_comes_after_missing_root() -> None:
    load("type Storage {}")
    assert_error(
        "type A {}", "Missing root object type definition named 'Storage'", 1, 1
    )


def test_storage_is_always_an_object_type_and_always_live() -> None:
    schema = load("type Storage { n: number }")
    assert schema.is_live("Storage")
