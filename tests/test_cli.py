"""The command line: flags, environment variables, the start-up line, port 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from emulator.cli import build_parser, config_from_args


@contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        assert match, line
        yield match.group(1), line
    finally:
        process.terminate()
        process.wait(10)


def test_starts_on_a_free_port_and_prints_how_to_connect() -> None:
    with running("--port", "0", "--log-level", "warning") as (url, line):
        assert url.startswith("http://127.0.0.1:")
        assert "sk_localdev" in line and "pk_localdev" in line
        assert httpx.get(url + "/health").status_code == 200


def test_environment_variables_configure_it() -> None:
    env = {
        "LIVEBLOCKS_EMULATOR_PORT": "0",
        "LIVEBLOCKS_EMULATOR_SECRET_KEY": "sk_from_env",
        "LIVEBLOCKS_EMULATOR_PUBLIC_KEY": "pk_from_env",
        "LIVEBLOCKS_EMULATOR_LOG_LEVEL": "warning",
    }
    with running(env=env) as (url, line):
        assert "sk_from_env" in line and "pk_from_env" in line
        ok = httpx.get(url + "/v2/rooms", headers={"Authorization": "Bearer sk_from_env"})
        assert ok.status_code == 200
        wrong = httpx.get(url + "/v2/rooms", headers={"Authorization": "Bearer sk_localdev"})
        assert wrong.status_code == 403


def test_flags_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEBLOCKS_EMULATOR_PORT", "9999")
    config = config_from_args(build_parser().parse_args(["--port", "1234"]))
    assert config.port == 1234
    assert config.host == "127.0.0.1"  # loopback unless told otherwise


def test_defaults_match_liveblocks_dev_server() -> None:
    config = config_from_args(build_parser().parse_args([]))
    assert (config.port, config.secret_key, config.public_key) == (1153, "sk_localdev", "pk_localdev")


@pytest.mark.parametrize(
    "args", [["--secret-key", "pk_nope"], ["--public-key", "sk_nope"], ["--port", "70000"],
             ["--secret-key", "sk_with space"], ["--log-level", "loud"]],
)
def test_bad_flags_exit_with_usage_error(args: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(args)
    assert info.value.code == 2


def test_console_script_is_installed() -> None:
    script = os.path.join(os.path.dirname(sys.executable), "liveblocks-emulator")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert "--secret-key" in result.stdout and "LIVEBLOCKS_EMULATOR_" in result.stdout


def test_busy_port_is_a_clean_error() -> None:
    with running("--port", "0", "--log-level", "warning") as (url, _):
        port = url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "emulator", "--port", port], capture_output=True, text=True,
            timeout=20,
        )
        assert result.returncode == 1
        assert "cannot listen" in result.stderr
        assert "Traceback" not in result.stderr
