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
        cwd=example_folder, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Every test starts from the fixtures and from the SDK's own defaults, then changes
# the state and its client in every way it can: no test may see what another did.
ISOLATION_TESTS = '''
import httpx
import pytest
from liveblocks.models.create_room_request_body import CreateRoomRequestBody
from liveblocks.models.update_room_request_body import UpdateRoomRequestBody


@pytest.mark.parametrize("i", range(12))
def test_starts_clean_then_changes_everything(liveblocks_emulator, i):
    client = liveblocks_emulator.client()
    http = client._client
    assert http.headers["authorization"] == "Bearer sk_localdev"
    assert "x-leak" not in http.headers and not http.cookies
    assert http.timeout == httpx.Timeout(5.0)
    assert http.base_url == httpx.URL(liveblocks_emulator.base_url)
    assert http.event_hooks == {"request": [], "response": []}
    snapshot = liveblocks_emulator.snapshot()
    assert [room["id"] for room in snapshot["rooms"]] == ["board"]
    assert snapshot["rooms"][0]["metadata"] == {} and snapshot["schemas"] == []
    assert snapshot["rooms"][0]["storage"]["data"] == {"title": "Roadmap"}

    client.create_room(body=CreateRoomRequestBody.from_dict({"id": f"new-{i}", "defaultAccesses": []}))
    client.update_room("board", body=UpdateRoomRequestBody.from_dict({"metadata": {"leak": "yes"}}))
    if i % 2:
        client.delete_room("board")
    http.headers["x-leak"] = "yes"
    http.headers["authorization"] = "Bearer sk_wrong"
    http.timeout = httpx.Timeout(0.001)
    http.base_url = "http://127.0.0.1:9/elsewhere/"
    http.event_hooks["request"].append(lambda request: None)
    http.cookies.set("leak", "yes")
    if i % 3 == 0:
        client.close()  # the shared connection pool stays open for the others
    elif i % 3 == 1:
        with liveblocks_emulator.client() as other:
            assert f"new-{i}" in [room.id for room in other.get_rooms().data]
    assert liveblocks_emulator.client().get_room(f"new-{i}").id == f"new-{i}"
'''


@pytest.mark.parametrize("extra", [[], ["-n", "2"], ["--liveblocks-transport", "socket"]],
                         ids=["plain", "xdist", "socket"])
def test_no_state_or_client_setting_reaches_the_next_test(
    example_folder: pathlib.Path, extra: list[str]
) -> None:
    (example_folder / "test_isolation.py").write_text(ISOLATION_TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_isolation.py",
         "--liveblocks-fixtures", "board.json", *extra],
        cwd=example_folder, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 passed" in result.stdout


def test_client_is_configured_as_the_sdk_configures_itself() -> None:
    """client() skips the SDK's constructor (its TLS context is the cost): what it builds
    must be what the constructor would, and the SDK must keep nothing else."""
    from liveblocks import Liveblocks

    from emulator.pytest_plugin import LiveblocksEmulator
    from emulator.server import BackgroundServer

    with BackgroundServer() as server:
        emulator = LiveblocksEmulator(server)
        try:
            ours = emulator.client()
            with Liveblocks(secret=emulator.secret_key, base_url=emulator.base_url) as theirs:
                assert vars(theirs).keys() == vars(ours).keys() == {"_client"}
                a, b = ours._client, theirs._client
                assert (a.base_url, dict(a.headers), a.timeout, a.follow_redirects,
                        a.max_redirects, a.event_hooks, a.auth) == (
                        b.base_url, dict(b.headers), b.timeout, b.follow_redirects,
                        b.max_redirects, b.event_hooks, b.auth)
                assert ours.get_rooms().data == theirs.get_rooms().data == []
            assert emulator.client() is not ours
            assert emulator.client()._client is not ours._client
        finally:
            emulator.close()
