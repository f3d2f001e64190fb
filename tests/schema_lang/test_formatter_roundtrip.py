"""The formatter prints canonical text that parses back to the same AST."""

from __future__ import annotations

from hypothesis import given, settings

import schema_lang
from schema_lang import ast, load, parse
from tests.schema_lang.schema_strategies import documents, structure


@settings(max_examples=200, deadline=None)
@given(documents())
def test_random_asts_survive_format_then_parse(document: ast.Document) -> None:
    text = schema_lang.format(document)
    parsed = parse(text)
    assert parsed == document
    assert structure(parsed) == structure(document)
    assert schema_lang.format(parsed) == text


def test_canonical_layout() -> None:
    text = (
        "# a todo list\n"
        "type Storage = { todos : LiveList< LiveObject<Todo> > ; title? :string\n"
        "  pos: {x:number,y:number}  , tags: (string|null)[] ; m: LiveMap<string,'a'|1|true>}\n"
        "type Todo { done: false | true, label: \"x\\ty\\\"z\\{\" } type Empty {}"
    )
    assert schema_lang.format(parse(text)) == (
        "type Storage {\n"
        "  todos: LiveList<LiveObject<Todo>>\n"
        "  title?: string\n"
        "  pos: { x: number, y: number }\n"
        "  tags: (string | null)[]\n"
        '  m: LiveMap<string, "a" | 1 | true>\n'
        "}\n"
        "\n"
        "type Todo {\n"
        "  done: false | true\n"
        '  label: "x\\ty\\"z\\{"\n'
        "}\n"
        "\n"
        "type Empty {}\n"
    )


def test_format_accepts_a_schema_a_definition_or_a_type() -> None:
    schema = load("type Storage { a: { b?: number[] } | null }")
    assert schema_lang.format(schema) == "type Storage {\n  a: { b?: number[] } | null\n}\n"
    assert schema_lang.format(schema.root) == schema_lang.format(schema)
    assert schema_lang.format(schema.root.fields[0].type) == "{ b?: number[] } | null"


def test_number_literals_keep_their_value_and_kind() -> None:
    for source, printed in [("007", "7"), ("- 5", "-5"), (".5", "0.5"), ("1.0", "1.0"),
                            ("-0.25", "-0.25"), ("123456789012345678901234567890",
                                                 "123456789012345678901234567890")]:
        text = schema_lang.format(parse(f"type Storage {{ a: {source} }}"))
        assert text == f"type Storage {{\n  a: {printed}\n}}\n"
    tiny = ast.Document((ast.ObjectTypeDefinition(ast.TypeName("S"), (
        ast.FieldDef(ast.Identifier("a"), False, ast.LiteralType(1e-7)),
        ast.FieldDef(ast.Identifier("b"), False, ast.LiteralType(1e22)),
    )),))
    assert "a: 0.0000001\n  b: 10000000000000000000000.0" in schema_lang.format(tiny)
    assert parse(schema_lang.format(tiny)) == tiny


def test_keyword_field_names_and_odd_type_names_round_trip() -> None:
    text = "type 1x {\n  type: string\n  LiveObject: true\n  null?: null\n}\n"
    assert schema_lang.format(parse(text)) == text
