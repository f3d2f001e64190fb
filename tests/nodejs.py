"""Running the official Node packages (pinned in tests/node/) from pytest.

A script in tests/node/ reads its inputs from environment variables and prints
one JSON line as its last line of output; ``run_node`` returns that value.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
from typing import Any

import pytest

NODE_DIR = pathlib.Path(__file__).resolve().parent / "node"


def require_node() -> str:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@liveblocks").is_dir():
        pytest.fail(
            "Node 20 and the pinned packages are needed: run `npm ci --prefix tests/node` "
            "(the README's test command does)"
        )
    return node


def run_node(script: str, timeout: float = 60, **env: str) -> Any:
    """Run tests/node/<script> and return the JSON it printed last."""
    node = require_node()
    result = subprocess.run(
        [node, str(NODE_DIR / script)],
        cwd=NODE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"node {script} exited with {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        raise AssertionError(f"node {script} printed nothing\nstderr:\n{result.stderr}")
    return json.loads(lines[-1])
