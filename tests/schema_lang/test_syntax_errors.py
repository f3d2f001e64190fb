"""Syntax errors: peggy-style messages ("Expected … but … found") at the first
offending character, never a Lark traceback."""

from __future__ import annotations

import pytest

from schema_lang import SchemaError, load, parse
from schema_lang.syntax_errors import describe_expected, literal_escape

# What the official parser expects where a type should start, and after a type.
TYPE = '"(", "LiveList", "LiveMap", "LiveObject", "boolean", "null", "number", "string", "{", literal, or type name'
AFTER_TYPE = '",", ";", "[", "\\n", "|", or "}"'


def syntax_error(text: str) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        parse(text)
    assert info.value.stage == "syntax"
    return info.value


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        # The example of SCHEMA_LANGUAGE.md §2.
        ("type Storage {\n  /* c */\n}", 'Expected "}" or <identifier> but "/" found', 2, 3),
        ("type Storage { a: }", "Expected " + TYPE + ' but "}" found', 1, 19),
        ("type Storage { a string }", 'Expected ":" or "?" but "s" found', 1, 18),
        ("type Storage { a: string",
         "Expected " + AFTER_TYPE + ' but end of input found', 1, 25),
        ("type Storage", 'Expected "=" or "{" but end of input found', 1, 13),
        ("type", "Expected type name but end of input found", 1, 5),
        ("Storage {}", 'Expected keyword "type" but "S" found', 1, 1),
        ("type Storage { a: LiveList<string }", 'Expected ">", "[", or "|" but "}" found', 1, 35),
        ("type Storage { a: LiveMap<string> }", 'Expected ",", "[", or "|" but ">" found', 1, 33),
        ("type Storage { a: (string }", 'Expected ")", "[", or "|" but "}" found', 1, 27),
        ("type Storage {\n  a: string\n  b number\n}", 'Expected ":" or "?" but "n" found', 3, 5),
        ("type Storage { a: string }}", 'Expected end of input or keyword "type" but "}" found',
         1, 27),
        ("type Storage { a?? : string }", 'Expected ":" but "?" found', 1, 18),
        ("type Storage { a: LiveList<> }", "Expected " + TYPE + ' but ">" found', 1, 28),
        ("type Storage { a: LiveList }", 'Expected "<" but "}" found', 1, 28),
        ("type Storage { : string }", 'Expected "}" or <identifier> but ":" found', 1, 16),
        ("type Storage { a: @ }", "Expected " + TYPE + ' but "@" found', 1, 19),
        ("type Storage { a: \x01 }", "Expected " + TYPE + ' but "\\x01" found', 1, 19),
        ("type Storage { a: string \\ }",
         "Expected " + AFTER_TYPE + ' but "\\\\" found', 1, 26),
        # A string that does not close is no literal: the type fails at its quote.
        ("type Storage { a: 'x\n' }", "Expected " + TYPE + ' but "\'" found', 1, 19),
        ('type Storage { a: "x{" }', "Expected " + TYPE + ' but "\\"" found', 1, 19),
        ('type Storage { a: "\\', "Expected " + TYPE + ' but "\\"" found', 1, 19),
        ('type Storage { a: "unterminated }', "Expected " + TYPE + ' but "\\"" found', 1, 19),
        ("type Storage {\n  a: 'ok' | \"x\n\"\n}", "Expected " + TYPE + ' but "\\"" found', 2, 13),
        ("type Storage { a: LiveList<'x{'> }", "Expected " + TYPE + ' but "\'" found', 1, 28),
        # A number literal ends where its digits do: what follows must follow a type.
        ("type Storage { a: 1e3 }", "Expected " + AFTER_TYPE + ' but "e" found', 1, 20),
        ("type Storage {\n  a: string\n  b: 1e3\n}", "Expected " + AFTER_TYPE + ' but "e" found', 3, 7),
        ("type Storage { a: 12abc }", "Expected " + AFTER_TYPE + ' but "a" found', 1, 21),
        ("type Storage { a: 5. }", "Expected " + AFTER_TYPE + ' but "." found', 1, 20),
        ("type Storage { a: string b: number }", "Expected " + AFTER_TYPE + ' but "b" found', 1, 26),
        ("type Storage { a: string }\n\ntype = {}", 'Expected type name but "=" found', 3, 6),
    ],
)
def test_syntax_error_messages(text: str, message: str, line: int, column: int) -> None:
    error = syntax_error(text)
    assert error.raw_message == message
    assert (error.line, error.column) == (line, column)
    assert error.message == f"{message} (at {line}:{column})"


def test_load_raises_syntax_errors_too() -> None:
    with pytest.raises(SchemaError) as info:
        load("type Storage { a: }")
    assert info.value.stage == "syntax"


def test_the_position_is_after_whitespace_and_comments() -> None:
    error = syntax_error("type Storage {\n  a:  # a comment\n\n   }")
    assert (error.line, error.column) == (4, 4)


def test_end_of_input_is_positioned_after_the_last_character() -> None:
    error = syntax_error("type Storage {\n  a: string\n")
    assert error.raw_message == (
        'Expected ",", ";", "[", "|", "}", or <identifier> but end of input found'
    )
    assert (error.line, error.column) == (3, 1)
    error = syntax_error("type Storage {")
    assert error.message == 'Expected "}" or <identifier> but end of input found (at 1:15)'


def test_messages_are_sorted_and_joined_like_peggy() -> None:
    assert describe_expected({'"}"'}) == '"}"'
    assert describe_expected({"<identifier>", '"}"'}) == '"}" or <identifier>'
    assert describe_expected({'"}"', '","', '";"'}) == '",", ";", or "}"'
    assert describe_expected({'keyword "type"', "end of input"}) == (
        'end of input or keyword "type"'
    )


def test_found_characters_are_escaped_like_peggy() -> None:
    assert literal_escape('"') == '\\"'
    assert literal_escape("\\") == "\\\\"
    assert literal_escape("\n") == "\\n"
    assert literal_escape("\x00") == "\\0"
    assert literal_escape("\x07") == "\\x07"
    assert literal_escape("\x1b") == "\\x1B"
    assert literal_escape("\x85") == "\\x85"
    assert literal_escape("é") == "é"
    assert literal_escape("\ud800") == "\\uD800"


@pytest.mark.parametrize(
    "text",
    [
        "type Storage { a: " + "(" * 5000,
        "type Storage { a: " + "LiveList<" * 5000,
        "type Storage { a: " + "{a:" * 5000,
        "type Storage { a: string" + "[]" * 5000 + " }",
        "type Storage { a: " + "(" * 100 + "string" + ")" * 100 + " }",
        "type Storage { a: " + "LiveMap<string, " * 100 + "string" + ">" * 100 + " }",
        "type Storage { a: " + "((string)[])[]" * 1 + "[]" * 70 + " }",
    ],
)
def test_deep_nesting_is_refused_with_a_schema_error(text: str) -> None:
    error = syntax_error(text)
    assert error.raw_message.startswith("Schema is nested too deeply")


def test_reasonable_nesting_is_fine() -> None:
    parse("type Storage { a: " + "(" * 30 + "string" + ")" * 30 + " }")
    parse("type Storage { a: " + "LiveList<" * 30 + "string" + ">" * 30 + " }")
    parse("type Storage { a: string" + "[]" * 30 + " }")
    parse("type Storage { a: " + "{a:" * 30 + "string" + "}" * 30 + " }")


def test_a_late_error_in_a_large_schema_costs_one_linear_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The replay through the official grammar parses each type once.
    from schema_lang.peg_errors import _Mirror

    calls = 0
    original = _Mirror.nonunion_l2

    def counting(self: _Mirror, pos: int) -> int | None:
        nonlocal calls
        calls += 1
        return original(self, pos)

    monkeypatch.setattr(_Mirror, "nonunion_l2", counting)
    fields = ", ".join(f"f{i}: number | 'x' | LiveList<string[]>" for i in range(2000))
    error = syntax_error(f"type Storage {{ {fields} }}\ntype Bad {{ a: }}")
    assert error.message == "Expected " + TYPE + ' but "}" found (at 2:15)'
    assert calls < 5 * 2000


def test_long_unions_are_not_deep() -> None:
    members = " | ".join(f"'m{i}'" for i in range(500))
    error = syntax_error(f"type Storage {{ a: {members} b: number }}")
    assert error.raw_message == "Expected " + AFTER_TYPE + ' but "b" found'


def test_schema_errors_survive_pickling() -> None:
    import pickle

    error = syntax_error("type Storage { a: }")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.raw_message, copy.line, copy.column, copy.stage) == (
        error.message, error.raw_message, error.line, error.column, error.stage
    )
