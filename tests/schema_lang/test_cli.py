"""`python -m schema_lang check FILE...`."""

from __future__ import annotations

import io
import pathlib
import subprocess
import sys

import pytest

from schema_lang.cli import main

VALID = "type Storage {\n  todos: LiveList<LiveObject<Todo>>\n}\ntype Todo { text: string }\n"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: pathlib.Path) -> dict[str, str]:
    paths = {
        "valid": VALID,
        "syntax": "type Storage {\n  /* c */\n}\n",
        "semantic": "type Storage {\n  a: strin\n}\n",
    }
    out = {}
    for name, text in paths.items():
        path = tmp_path / f"{name}.schema"
        path.write_text(text, encoding="utf-8")
        out[name] = str(path)
    return out


def test_valid_files_exit_zero_silently(files: dict[str, str]) -> None:
    assert run("check", files["valid"]) == (0, "", "")


def test_invalid_files_print_file_line_column_message(files: dict[str, str]) -> None:
    status, out, err = run("check", files["valid"], files["syntax"], files["semantic"])
    assert status == 1
    assert out.splitlines() == [
        f'{files["syntax"]}:2:3: Expected "}}" or <identifier> but "/" found',
        f"{files['semantic']}:2:6: Unknown type 'strin'. Did you mean 'string'?",
    ]
    assert err == ""


def test_an_unreadable_file_is_exit_two(files: dict[str, str], tmp_path: pathlib.Path) -> None:
    missing = str(tmp_path / "missing.schema")
    status, out, err = run("check", files["semantic"], missing)
    assert status == 2
    assert "strin" in out
    assert err.startswith(f"schema_lang: cannot read {missing}: ")
    binary = tmp_path / "binary.schema"
    binary.write_bytes(b"\xff\xfe\x00")
    status, _, err = run("check", str(binary))
    assert status == 2
    assert "cannot read" in err


@pytest.mark.parametrize("args", [[], ["check"], ["lint", "x"], ["--bogus"]])
def test_usage_errors_are_exit_two(args: list[str]) -> None:
    status, _, err = run(*args)
    assert status == 2
    assert "usage:" in err


def test_format_prints_canonical_text(files: dict[str, str]) -> None:
    status, out, _ = run("format", files["valid"])
    assert status == 0
    assert out == (
        "type Storage {\n  todos: LiveList<LiveObject<Todo>>\n}\n\ntype Todo {\n  text: string\n}\n"
    )
    status, out, err = run("format", files["semantic"])
    assert (status, out) == (1, "")
    assert "strin" in err


def test_python_dash_m(files: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schema_lang", "check", files["semantic"]],
        capture_output=True,
        text=True,
        cwd=pathlib.Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert result.stdout == f"{files['semantic']}:2:6: Unknown type 'strin'. Did you mean 'string'?\n"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("type Storage { a: Foo }"))
    assert run("check", "-") == (1, "-:1:19: Unknown type 'Foo'\n", "")
