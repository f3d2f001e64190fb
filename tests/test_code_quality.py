"""ruff and mypy are part of the test suite, and the layers import only downwards."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


PACKAGES = [name for name in ("emulator", "schema_lang") if (ROOT / name).is_dir()]


def test_ruff() -> None:
    result = run(str(BIN / "ruff"), "check", *PACKAGES, "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    packages = [arg for name in PACKAGES for arg in ("-p", name)]
    result = run(str(BIN / "mypy"), *packages)
    assert result.returncode == 0, result.stdout + result.stderr


def imports_of(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                names.add(".".join((*package, node.module or "")).rstrip("."))
            elif node.module:
                names.add(node.module)
    return names


def test_domain_knows_nothing_of_http() -> None:
    for path in (ROOT / "emulator" / "domain").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(("starlette", "uvicorn", "httpx")), (path, name)
            if name.startswith("emulator."):
                assert name.startswith("emulator.domain"), (path, name)


def test_schema_lang_stands_alone() -> None:
    for path in (ROOT / "schema_lang").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith("emulator"), (path, name)


MAX_LINES = 600


def test_modules_stay_short_or_say_why() -> None:
    """A module over 600 lines says in its docstring why it is one module."""
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            if text.count("\n") > MAX_LINES:
                docstring = ast.get_docstring(ast.parse(text)) or ""
                assert "one module because" in docstring, (
                    f"{path.relative_to(ROOT)} has over {MAX_LINES} lines; split it, or say "
                    "'one module because …' in its docstring"
                )


def test_every_feature_module_is_served() -> None:
    """Routes are declared next to their handlers: a module of emulator/api with a FEATURE
    is listed in emulator.api.features (or its routes would silently not exist)."""
    import importlib

    from emulator.api.features import FEATURES

    for path in sorted((ROOT / "emulator" / "api").rglob("*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        feature = getattr(module, "FEATURE", None)
        if feature is not None:
            assert feature in FEATURES, f"{module.__name__}.FEATURE is not in FEATURES"
