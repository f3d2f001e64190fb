"""The README's pytest example, copied into an empty folder, passes with plain pytest and with -n 4."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def readme_examples() -> dict[str, str]:
    """Code blocks announced by `<!-- example: NAME -->` in the README."""
    pattern = re.compile(r"<!-- example: (\S+) -->\s*```\w*\n(.*?)```", re.S)
    return {name: body for name, body in pattern.findall(README.read_text())}


@pytest.fixture
def example_folder(tmp_path: pathlib.Path) -> pathlib.Path:
    examples = readme_examples()
    assert {"test_with_liveblocks.py", "board.json"} <= set(examples)
    for name, body in examples.items():
        (tmp_path / name).write_text(body)
    return tmp_path


@pytest.mark.parametrize("extra", [[], ["-n", "4"]], ids=["plain", "xdist"])
def test_readme_example_runs_green(example_folder: pathlib.Path, extra: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(example_folder), *extra],
        cwd=example_folder, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_run_wide_fixtures_from_the_command_line(example_folder: pathlib.Path) -> None:
    (example_folder / "test_run_wide.py").write_text(
        "def test_seeded(liveblocks_emulator):\n"
        "    assert [r.id for r in liveblocks_emulator.client().get_rooms().data] == ['board']\n"
        "    liveblocks_emulator.client().delete_room('board')\n"
        "\n"
        "def test_seeded_again(liveblocks_emulator):\n"
        "    assert [r.id for r in liveblocks_emulator.client().get_rooms().data] == ['board']\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_run_wide.py",
         "--liveblocks-fixtures", "board.json"],
        cwd=example_folder, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
