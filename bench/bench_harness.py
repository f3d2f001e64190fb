"""The emulator as a test harness: boot time, reset time, and Liveblocks' dev server for comparison.

    python -m bench.bench_harness [--tests 1000] [--only typical]

- plugin boot: what the pytest plugin's session fixture does (state, fixtures,
  server thread on a free port) until the first request is answered — warm (in
  this process) and cold (a fresh interpreter, imports included);
- reset: ``POST /_emulator/reset`` with 10 and 10,000 rooms: back to the
  fixtures after a test changed a room and made one (only those are re-made), to
  empty, and back to the fixtures from empty (every room re-made);
- a typical test, as the pytest plugin runs it: reset + ``client()`` + five SDK
  calls (create, get, list rooms; get a fixture room's storage; delete), p50 and
  p99 over 1,000 tests with 10 and 10,000 rooms in the run's fixtures — in this
  process, and through pytest itself (a generated file of 1,000 such tests, each
  test's setup + call + teardown as pytest reports them);
- ``-c`` mode: the wall time of ``liveblocks-emulator -c CMD`` and of
  ``liveblocks dev -c CMD`` (installed on demand, see bench/servers.py) for the
  same CMD, a Node one-liner that lists rooms once.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

from bench.servers import DEV_SERVER_CACHE, ROOT, install_dev_server
from emulator.config import Config
from emulator.fixture_files import read_fixture_paths
from emulator.pytest_plugin import LiveblocksEmulator
from emulator.server import BackgroundServer
from emulator.state import EmulatorState

AUTH = {"Authorization": "Bearer sk_localdev"}
NODE_CMD = (
    "node -e \"fetch(process.env.LIVEBLOCKS_BASE_URL + '/v2/rooms', {headers: "
    "{Authorization: 'Bearer ' + process.env.LIVEBLOCKS_SECRET_KEY}})"
    ".then(r => process.exit(r.ok ? 0 : 1), () => process.exit(2))\""
)


def fixture_file(rooms: int, folder: pathlib.Path) -> pathlib.Path:
    path = folder / f"rooms-{rooms}.json"
    document = {"rooms": [
        {"id": f"room-{i}", "defaultAccesses": ["room:write"], "metadata": {"n": str(i)},
         "storage": {"liveblocksType": "LiveObject", "data": {
             "todos": {"liveblocksType": "LiveList", "data": [{"liveblocksType": "LiveObject",
                                                               "data": {"text": "x"}}]}}}}
        for i in range(rooms)
    ]}
    path.write_text(json.dumps(document))
    return path


def warm_boot(fixtures: list[str]) -> float:
    started = time.perf_counter()
    config = Config(port=0, log_level="warning")
    state = EmulatorState(config)
    state.load_startup_fixtures(read_fixture_paths(fixtures))
    server = BackgroundServer(config, state).start()
    try:
        httpx.get(server.base_url + "/health").raise_for_status()
        return time.perf_counter() - started
    finally:
        server.stop()


def cold_boot() -> float:
    code = (
        "import time; t = time.perf_counter()\n"
        "from emulator.server import BackgroundServer\n"
        "import urllib.request\n"
        "s = BackgroundServer().start()\n"
        "urllib.request.urlopen(s.base_url + '/health').read()\n"
        "print(time.perf_counter() - t)\n"
        "s.stop()\n"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    total = time.perf_counter() - started
    return float(out.stdout.strip()) if out.stdout.strip() else total


def reset_times(rooms: int, folder: pathlib.Path) -> tuple[float, float, float]:
    """Medians of ``POST /_emulator/reset``: back to the fixtures after a test changed one
    room and created another (incremental), to empty, and back to the fixtures from empty
    (every room re-made: what every reset cost before the incremental reset)."""
    config = Config(port=0, log_level="warning")
    state = EmulatorState(config)
    state.load_startup_fixtures(read_fixture_paths([str(fixture_file(rooms, folder))]))
    with BackgroundServer(config, state) as server, httpx.Client(
        base_url=server.base_url, headers=AUTH, timeout=120
    ) as client:
        incremental, empty, full = [], [], []
        for _ in range(5):
            client.post("/v2/rooms/room-1", json={"metadata": {"n": "changed"}})
            client.post("/v2/rooms", json={"id": "new", "defaultAccesses": []})
            started = time.perf_counter()
            client.post("/_emulator/reset").raise_for_status()
            incremental.append(time.perf_counter() - started)
        for _ in range(5):
            started = time.perf_counter()
            client.post("/_emulator/reset?empty=true").raise_for_status()
            empty.append(time.perf_counter() - started)
            started = time.perf_counter()
            client.post("/_emulator/reset").raise_for_status()
            full.append(time.perf_counter() - started)
    return statistics.median(incremental), statistics.median(empty), statistics.median(full)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), statistics.quantiles(ms, n=100)[98]


def typical_test(emulator: LiveblocksEmulator, fixture_room: str) -> None:
    """What the README's example test does: the fixture's reset, a client, five SDK calls."""
    from liveblocks.models.create_room_request_body import CreateRoomRequestBody

    emulator.reset()  # the liveblocks_emulator fixture, before each test
    client = emulator.client()
    client.create_room(body=CreateRoomRequestBody.from_dict({"id": "new", "defaultAccesses": []}))
    client.get_room("new")
    client.get_rooms()
    client.get_storage_document(fixture_room)
    client.delete_room("new")


def typical_test_times(
    rooms: int, folder: pathlib.Path, tests: int, transport: str = "in-process"
) -> tuple[list[float], list[float]]:
    """Wall times of ``tests`` typical tests, and the CPU time this process (client and
    server threads) spent on each: on a busy machine the CPU time is the steadier figure."""
    config = Config(port=0, log_level="warning")
    state = EmulatorState(config)
    state.load_startup_fixtures(read_fixture_paths([str(fixture_file(rooms, folder))]))
    with BackgroundServer(config, state) as server:
        emulator = LiveblocksEmulator(server, in_process=transport == "in-process")
        for i in range(20):  # warm up
            typical_test(emulator, f"room-{i % rooms}")
        wall, cpu = [], []
        for i in range(tests):
            started, started_cpu = time.perf_counter(), time.process_time()
            typical_test(emulator, f"room-{i % rooms}")
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        emulator.close()
    return wall, cpu


# Each test's setup + call + teardown, as pytest reports them, written to a file.
DURATIONS_CONFTEST = """
import json, os
_durations = {}
def pytest_runtest_logreport(report):
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration
def pytest_sessionfinish(session):
    with open(os.environ["BENCH_DURATIONS"], "w") as f:
        json.dump(_durations, f)
"""

TYPICAL_TEST_FILE = """
import pytest
from liveblocks.models.create_room_request_body import CreateRoomRequestBody

@pytest.mark.parametrize("i", range({tests}))
def test_typical(liveblocks_emulator, i):
    client = liveblocks_emulator.client()
    client.create_room(body=CreateRoomRequestBody.from_dict({{"id": "new", "defaultAccesses": []}}))
    assert client.get_room("new").id == "new"
    assert client.get_rooms().data[0].id == "new"
    client.get_storage_document(f"room-{{i % {rooms}}}")
    client.delete_room("new")
"""


def pytest_run_times(rooms: int, folder: pathlib.Path, tests: int,
                     transport: str = "in-process") -> tuple[list[float], float]:
    """Per-test durations of a pytest run of ``tests`` typical tests, and its wall time."""
    run = folder / f"pytest-{rooms}-{transport}"
    run.mkdir()
    (run / "conftest.py").write_text(DURATIONS_CONFTEST)
    (run / "test_typical.py").write_text(TYPICAL_TEST_FILE.format(tests=tests, rooms=rooms))
    fixtures = fixture_file(rooms, folder)
    env = {**os.environ, "BENCH_DURATIONS": str(run / "durations.json")}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(run), "--liveblocks-fixtures", str(fixtures),
         "--liveblocks-transport", transport, str(run)],
        cwd=run, env=env, check=True, capture_output=True, timeout=3600,
    )
    wall = time.perf_counter() - started
    durations = json.loads((run / "durations.json").read_text())
    # The first test also starts the session's emulator: not a typical test.
    return sorted(durations.values())[:-1], wall


def print_typical_tests(folder: pathlib.Path, tests: int, transports: list[str],
                        pytest_runs: bool = True) -> None:
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for rooms in (10, 10_000):
        for transport in transports:
            wall, cpu = typical_test_times(rooms, folder, tests, transport)
            p50, p99 = percentiles(wall)
            cpu50, cpu99 = percentiles(cpu)
            print(f"typical test, {rooms:>6,} fixture rooms, {transport:>10}, in process   "
                  f"p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  ({tests:,} tests; CPU time "
                  f"p50 {cpu50:.2f} ms, p99 {cpu99:.2f} ms)", flush=True)
            if not pytest_runs:
                continue
            durations, wall = pytest_run_times(rooms, folder, tests, transport)
            p50, p99 = percentiles(durations)
            print(f"typical test, {rooms:>6,} fixture rooms, {transport:>10}, under pytest  "
                  f"p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  (run of {tests:,} tests: "
                  f"{wall:.1f} s)", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


def command_time(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env, timeout=300)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tests", type=int, default=1000, help="typical tests per row")
    parser.add_argument("--only", choices=["typical"], help="only the typical-test rows")
    parser.add_argument("--transport", choices=["in-process", "socket", "both"], default="both",
                        help="the plugin's transport for the typical-test rows")
    parser.add_argument("--no-pytest", action="store_true",
                        help="typical tests in process only (no pytest runs)")
    args = parser.parse_args()
    transports = ["in-process", "socket"] if args.transport == "both" else [args.transport]
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        print_typical_tests(folder, args.tests, transports, not args.no_pytest)
        if args.only:
            return
        demo = [str(ROOT / "fixtures" / "demo.json")]
        warm = statistics.median(warm_boot(demo) for _ in range(5))
        cold = statistics.median(cold_boot() for _ in range(3))
        print(f"plugin boot to first answer, warm (demo fixtures)  {warm * 1000:8.1f} ms")
        print(f"plugin boot to first answer, cold (new process)     {cold * 1000:8.1f} ms")
        for rooms in (10, 10_000):
            incremental, empty, full = reset_times(rooms, folder)
            print(f"reset with {rooms:>6,} rooms: to fixtures after a test "
                  f"{incremental * 1000:6.1f} ms, to empty {empty * 1000:6.1f} ms, "
                  f"to fixtures from empty {full * 1000:6.1f} ms")
    ours = statistics.median(
        command_time([sys.executable, "-m", "emulator", "--log-level", "warning", "-c", NODE_CMD])
        for _ in range(3)
    )
    print(f"liveblocks-emulator -c CMD (boot, run, stop)         {ours * 1000:8.1f} ms")
    try:
        entry = install_dev_server()
    except RuntimeError as error:
        print(f"liveblocks dev -c CMD                                n/a ({error})")
        return
    env = {**os.environ,
           "PATH": f"{DEV_SERVER_CACHE / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"}
    theirs = statistics.median(
        command_time(["node", str(entry), "dev", "-c", NODE_CMD], env=env) for _ in range(3)
    )
    print(f"liveblocks dev -c CMD (boot, run, stop)              {theirs * 1000:8.1f} ms")
    print(f"ratio dev server / emulator                          {theirs / ours:8.2f}×")


if __name__ == "__main__":
    main()
