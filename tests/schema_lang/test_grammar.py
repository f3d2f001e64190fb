"""SCHEMA_LANGUAGE.md §1: what parses, into which AST, and what is a syntax error."""

from __future__ import annotations

import pytest

from schema_lang import SchemaError, parse
from schema_lang.ast import (
    ArrayType,
    BooleanType,
    Document,
    FieldDef,
    Identifier,
    LiteralType,
    LiveListType,
    LiveMapType,
    NullType,
    NumberType,
    ObjectLiteralType,
    ObjectTypeDefinition,
    StringType,
    TypeExpr,
    TypeName,
    TypeRef,
    UnionType,
)


def only_type(text: str) -> TypeExpr:
    """The type of the only field of the only definition."""
    (definition,) = parse(text).definitions
    (field,) = definition.fields
    return field.type


def field_type(type_text: str) -> TypeExpr:
    return only_type(f"type Storage {{ a: {type_text} }}")


def syntax_error(text: str) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        parse(text)
    assert info.value.stage == "syntax"
    return info.value


def ref(name: str, live: bool = False) -> TypeRef:
    return TypeRef(TypeName(name), live)


# Documents and definitions


def test_a_document_is_a_list_of_object_type_definitions() -> None:
    document = parse("type Storage { a: A }\ntype A { x: number }")
    assert document == Document(
        (
            ObjectTypeDefinition(
                TypeName("Storage"), (FieldDef(Identifier("a"), False, ref("A")),)
            ),
            ObjectTypeDefinition(
                TypeName("A"), (FieldDef(Identifier("x"), False, NumberType()),)
            ),
        )
    )


@pytest.mark.parametrize("text", ["", "   \n\t ", "# only a comment\n", "// just this"])
def test_an_empty_or_comment_only_document_is_a_syntax_error(text: str) -> None:
    assert "end of input" in syntax_error(text).message


def test_the_equals_sign_after_the_name_is_optional() -> None:
    assert parse("type Storage = { a: string }") == parse("type Storage { a: string }")


def test_type_aliases_and_definition_level_unions_are_syntax_errors() -> None:
    error = syntax_error("type Id = string | number")
    assert error.raw_message == 'Expected "{" but "s" found'
    assert (error.line, error.column) == (1, 11)


def test_definitions_may_share_a_line() -> None:
    document = parse("type A { x: number } type Storage { a: A }")
    assert [d.name.name for d in document.definitions] == ["A", "Storage"]


def test_definition_order_does_not_matter() -> None:
    first = parse("type Storage { a: A }\ntype A {}")
    last = parse("type A {}\ntype Storage { a: A }")
    assert set(first.definitions) == set(last.definitions)


def test_empty_bodies_are_allowed() -> None:
    assert parse("type Storage {}").definitions[0].fields == ()
    assert field_type("{}") == ObjectLiteralType(())


# Comments and whitespace


def test_comments_may_appear_wherever_whitespace_can() -> None:
    text = (
        "# leading\n"
        "type // between type and name\n"
        "Storage # between name and brace\n"
        "{ // after the brace\n"
        "  a: string # after a type\n"
        "  // on its own line\n"
        "  b: # after the colon\n"
        "    number\n"
        "}\n"
        "# trailing"
    )
    assert parse(text) == parse("type Storage { a: string, b: number }")


def test_block_comments_are_a_syntax_error() -> None:
    error = syntax_error("type Storage {\n  /* c */\n}")
    assert error.message == 'Expected "}" or <identifier> but "/" found (at 2:3)'


@pytest.mark.parametrize("literal", ['"# not a comment"', '"// not a comment"', "'#x'"])
def test_comment_markers_inside_string_literals_are_text(literal: str) -> None:
    node = field_type(literal)
    assert isinstance(node, LiteralType)
    assert node.value == literal[1:-1]


def test_tabs_and_carriage_returns_are_whitespace() -> None:
    assert parse("type\tStorage\r{\ta:\r\tstring\t}") == parse("type Storage { a: string }")


# Identifiers (field names) and type names


@pytest.mark.parametrize("name", ["type", "string", "LiveObject", "Storage", "null", "true", "_x1"])
def test_keywords_are_valid_field_names(name: str) -> None:
    (definition,) = parse(f"type Storage {{ {name}: boolean }}").definitions
    assert definition.fields[0].name == Identifier(name)


def test_the_spec_keyword_field_examples_parse() -> None:
    (definition,) = parse(
        "type Storage { type: string, string: number, LiveObject: boolean, Storage: null }"
    ).definitions
    assert [(f.name.name, f.type) for f in definition.fields] == [
        ("type", StringType()),
        ("string", NumberType()),
        ("LiveObject", BooleanType()),
        ("Storage", NullType()),
    ]


@pytest.mark.parametrize(
    ("field", "found"),
    [("naïve: string", "ï"), ("$a: string", "$"), ("a-b: string", "-"), ("1a: string", "1"),
     ('"quoted": string', '\\"'), ("'quoted': string", "'")],
)
def test_bad_field_names_are_syntax_errors(field: str, found: str) -> None:
    error = syntax_error(f"type Storage {{ {field} }}")
    assert f'but "{found}" found' in error.message


def test_type_names_may_start_with_a_digit_at_the_syntax_level() -> None:
    assert parse("type 1Storage {}").definitions[0].name == TypeName("1Storage")


def test_in_type_position_scalar_keywords_and_literals_win() -> None:
    assert field_type("string") == StringType()
    assert field_type("true") == LiteralType(True)
    assert field_type("false") == LiteralType(False)
    assert field_type("null") == NullType()
    assert field_type("type") == ref("type")


def test_legacy_builtins_are_type_references_by_default() -> None:
    for name in ("String", "Int", "Float", "Boolean"):
        assert field_type(name) == ref(name)


def test_legacy_builtins_are_scalars_with_the_option() -> None:
    (definition,) = parse(
        "type Storage { a: String, b: Int, c: Float, d: Boolean, e: LiveObject<String> }",
        allow_legacy_builtins=True,
    ).definitions
    assert [f.type for f in definition.fields] == [
        StringType(),
        NumberType(),
        NumberType(),
        BooleanType(),
        ref("String", live=True),
    ]


# Fields


def test_a_question_mark_makes_a_field_optional_with_whitespace_around_it() -> None:
    for text in ("a?: string", "a ?: string", "a? : string", "a ? : string", "a\n?\n:\nstring"):
        (definition,) = parse(f"type Storage {{ {text} }}").definitions
        assert definition.fields[0].optional, text
    (definition,) = parse("type Storage { a: string }").definitions
    assert not definition.fields[0].optional


@pytest.mark.parametrize(
    "body",
    [
        "a: string, b: number",
        "a: string; b: number",
        "a: string\nb: number",
        "a: string,\nb: number",
        "a: string\n,b: number",
        "a: string\n;\nb: number",
        "a: string\n\n\nb: number",
        "a: string, b: number,",
        "a: string; b: number;",
        "a: string\nb: number\n",
        "a: string // c\nb: number",
        "a: string\n// c\n\nb: number",
    ],
)
def test_field_separators(body: str) -> None:
    assert parse(f"type Storage {{ {body} }}") == parse("type Storage { a: string, b: number }")


@pytest.mark.parametrize(
    "body", ["a: string,, b: number", "a: string;; b: number", ", a: string", "a: string,;"]
)
def test_separators_cannot_be_doubled_or_leading(body: str) -> None:
    syntax_error(f"type Storage {{ {body} }}")


def test_spaces_and_tabs_do_not_separate_fields() -> None:
    error = syntax_error("type Storage { a: string b: number }")
    assert error.message == (
        'Expected ",", ";", "[", "\\n", "|", or "}" but "b" found (at 1:26)'
    )
    syntax_error("type Storage { a: string\tb: number }")


# §1.3: where newlines are free


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n string", "a: string"),
        ("a: LiveList<\n string\n >", "a: LiveList<string>"),
        ("a: LiveMap<\nstring\n,\nnumber\n>", "a: LiveMap<string, number>"),
        ("a: string\n | number", "a: string | number"),
        ("a: string |\n number", "a: string | number"),
        ("a: string\n[]", "a: string[]"),
        ("a: (\nstring\n)", "a: string"),
        ("a: LiveObject\n<\nA\n>", "a: LiveObject<A>"),
        ("a: {\nx: number\n}\nb: string", "a: { x: number }, b: string"),
    ],
)
def test_newlines_are_whitespace_except_between_fields(text: str, expected: str) -> None:
    assert parse(f"type Storage {{ {text} }}") == parse(f"type Storage {{ {expected} }}")


def test_newlines_between_type_name_and_brace_are_free() -> None:
    assert parse("type\nStorage\n{\n}") == parse("type Storage {}")
    assert parse("type\nStorage\n=\n{\n}") == parse("type Storage {}")


def test_crlf_separates_fields() -> None:
    # Deliberate difference from the official parser, which rejects this.
    text = "type Storage {\r\n  a: string\r\n  b: number\r\n}\r\n"
    assert parse(text) == parse("type Storage { a: string, b: number }")


def test_crlf_with_commas_and_comments() -> None:
    assert parse("type Storage {\r\n a: string,\r\n b: number # c\r\n c: null\r\n}") == parse(
        "type Storage { a: string, b: number, c: null }"
    )


@pytest.mark.parametrize(
    "body",
    [
        "t: true\n n: number",  # deliberate difference: the official parser rejects this
        "t: false\n n: number",
        "t: true,\n n: number",
        "t: true | 1\n n: number",
        "n: number\n t: false",
        "n: number\n t: false\n",
    ],
)
def test_boolean_literals_before_a_newline(body: str) -> None:
    (definition,) = parse(f"type Storage {{ {body} }}").definitions
    assert len(definition.fields) == 2


# Types


def test_scalars() -> None:
    assert field_type("string") == StringType()
    assert field_type("number") == NumberType()
    assert field_type("boolean") == BooleanType()
    assert field_type("null") == NullType()


def test_int_is_not_a_scalar() -> None:
    assert field_type("int") == ref("int")


def test_unions_are_flattened_and_bind_looser_than_arrays() -> None:
    assert field_type("string | number[] | null") == UnionType(
        (StringType(), ArrayType(NumberType()), NullType())
    )
    assert field_type("(string | number)[]") == ArrayType(UnionType((StringType(), NumberType())))
    assert field_type("string | (number | null)") == field_type("string | number | null")
    assert field_type("(string | number) | null") == field_type("string | number | null")


@pytest.mark.parametrize("type_text", ["| string", "string |", "string || number", "|"])
def test_unions_have_no_leading_trailing_or_empty_members(type_text: str) -> None:
    syntax_error(f"type Storage {{ a: {type_text} }}")


def test_postfix_arrays_nest() -> None:
    assert field_type("string[][]") == ArrayType(ArrayType(StringType()))
    assert field_type("(string)[]") == ArrayType(StringType())
    assert field_type("{ x: number }[]") == ArrayType(
        ObjectLiteralType((FieldDef(Identifier("x"), False, NumberType()),))
    )


def test_parentheses_leave_no_trace() -> None:
    assert field_type("((string))") == StringType()


def test_object_literals() -> None:
    assert field_type("{ x: number, y?: { z: string } }") == ObjectLiteralType(
        (
            FieldDef(Identifier("x"), False, NumberType()),
            FieldDef(
                Identifier("y"),
                True,
                ObjectLiteralType((FieldDef(Identifier("z"), False, StringType()),)),
            ),
        )
    )


def test_live_structures() -> None:
    assert field_type("LiveList<string>") == LiveListType(StringType())
    assert field_type("LiveMap<string, number>") == LiveMapType(StringType(), NumberType())
    assert field_type("LiveObject<Todo>") == ref("Todo", live=True)
    assert field_type("LiveList<LiveObject<Todo>>") == LiveListType(ref("Todo", live=True))
    assert field_type("LiveList<string | null>") == LiveListType(
        UnionType((StringType(), NullType()))
    )


def test_liveobject_of_a_keyword_parses_and_is_left_to_the_checker() -> None:
    assert field_type("LiveObject<number>") == ref("number", live=True)


@pytest.mark.parametrize(
    ("type_text", "expected"),
    [
        ("LiveObject<{}>", 'Expected type name but "{" found'),
        ("LiveObject<{ a: string }>", 'Expected type name but "{" found'),
        ('LiveObject<"x">', 'Expected type name but "\\"" found'),
        ("LiveObject<A[]>", 'Expected ">" but "[" found'),
        ("LiveObject<LiveObject<A>>", 'Expected type name but "L" found'),
        ("LiveObject<LiveList<A>>", 'Expected type name but "L" found'),
        ("LiveObject<LiveMap<string, A>>", 'Expected type name but "L" found'),
        ("LiveObject<A | B>", 'Expected ">" but "|" found'),
        ("LiveObject<(A)>", 'Expected type name but "(" found'),
    ],
)
def test_liveobject_only_wraps_a_bare_type_name(type_text: str, expected: str) -> None:
    assert syntax_error(f"type Storage {{ a: {type_text} }}").raw_message == expected


@pytest.mark.parametrize(
    "type_text",
    ["LiveList", "LiveList<>", "LiveList<a, b>", "LiveMap<string>", "LiveMap<a,b,c>",
     "LiveMap", "LiveMap<>", "LiveObject", "LiveObject<>", "LiveObject<A, B>"],
)
def test_live_arity_errors_are_syntax_errors(type_text: str) -> None:
    syntax_error(f"type Storage {{ a: {type_text} }}")


@pytest.mark.parametrize("type_text", ["Foo<string>", "string<number>", "Todo<>", "null<x>"])
def test_generic_parameters_only_on_live_keywords(type_text: str) -> None:
    assert 'but "<" found' in syntax_error(f"type Storage {{ a: {type_text} }}").message


# Literals


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('"hello"', "hello"),
        ("'hello'", "hello"),
        ('"it\'s"', "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        ('"a\\nb"', "a\nb"),
        ('"a\\tb"', "a\tb"),
        ('"a\\rb"', "a\rb"),
        ('"a\\xb"', "axb"),
        ('"a\\"b"', 'a"b'),
        ("'a\\'b'", "a'b"),
        ('"a\\\\b"', "a\\b"),
        ('"a\\{b"', "a{b"),
        ('"a\\\nb"', "a\\\nb"),  # backslash-newline is allowed and kept as written
        ('"#"', "#"),
        ('""', ""),
    ],
)
def test_string_literals(source: str, value: str) -> None:
    assert field_type(source) == LiteralType(value)


@pytest.mark.parametrize("source", ['"a\nb"', '"a{b"', "'{'", '"unterminated', "'"])
def test_string_literals_cannot_hold_a_raw_newline_or_brace_or_stay_open(source: str) -> None:
    # Like the official parser: no literal there, so the type fails at the quote.
    error = syntax_error(f"type Storage {{ a: {source} }}")
    assert error.raw_message.endswith(f'literal, or type name but "{source[0]}" found'.replace(
        '"""', '"\\""'))
    assert (error.line, error.column) == (1, 19)


@pytest.mark.parametrize(
    ("source", "value"),
    [("5", 5), ("-5", -5), ("- 5", -5), (".5", 0.5), ("007", 7), ("1.0", 1.0), ("-0.25", -0.25),
     ("123456789", 123456789)],
)
def test_number_literals(source: str, value: float) -> None:
    node = field_type(source)
    assert isinstance(node, LiteralType)
    assert node.value == value
    assert not isinstance(node.value, bool)


@pytest.mark.parametrize("source", ["1e5", "5.", "1.2.3", "-", "--5", "+5"])
def test_number_literals_have_no_exponent_or_trailing_dot(source: str) -> None:
    syntax_error(f"type Storage {{ a: {source} }}")


def test_boolean_literals() -> None:
    assert field_type("true") == LiteralType(True)
    assert field_type("false") == LiteralType(False)


def test_literals_in_unions() -> None:
    assert field_type("1 | \"1\" | true") == UnionType(
        (LiteralType(1), LiteralType("1"), LiteralType(True))
    )


# Positions


def test_every_node_has_a_position() -> None:
    text = "type Storage {\n  todos: LiveList<LiveObject<Todo>>\n  n?: (A | B)[]\n}"
    (definition,) = parse(text).definitions
    assert (definition.line, definition.column) == (1, 1)
    assert (definition.name.line, definition.name.column) == (1, 6)
    todos, n = definition.fields
    assert (todos.name.line, todos.name.column) == (2, 3)
    assert (todos.type.line, todos.type.column, todos.type.end_column) == (2, 10, 36)
    assert isinstance(todos.type, LiveListType)
    inner = todos.type.of_type
    assert isinstance(inner, TypeRef)
    assert (inner.line, inner.column) == (2, 19)
    assert (inner.ref.line, inner.ref.column) == (2, 30)
    # Like the official parser: an array starts where its element starts,
    # and parentheses are not part of a node.
    assert isinstance(n.type, ArrayType)
    assert (n.type.line, n.type.column) == (3, 8)
    assert (n.type.of_type.line, n.type.of_type.column) == (3, 8)


def test_the_document_starts_at_its_first_non_blank_character() -> None:
    assert (parse("type Storage {}").line, parse("type Storage {}").column) == (1, 1)
    document = parse("\n\n  type Storage {}")
    assert (document.line, document.column) == (3, 3)
    document = parse("\n# c\ntype Storage {}")
    assert (document.line, document.column) == (2, 1)
