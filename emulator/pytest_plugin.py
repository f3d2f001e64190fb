"""A pytest plugin: the emulator as a test harness (registered through ``pytest11``).

Fixtures:

- ``liveblocks_emulator`` — an emulator reset before each test (back to the
  run's fixture files, then the test's ``liveblocks_fixtures`` marker files).
- ``liveblocks_emulator_session`` — the same emulator without the reset: one per
  test session, or per worker under pytest-xdist, served from a background
  thread on a free port.
- ``liveblocks_webhooks`` — a webhook receiver that verifies every request with the
  official SDK's ``WebhookHandler``, registered as an endpoint of ``liveblocks_emulator``
  (no throttling): ``liveblocks_webhooks.wait_for(n)`` returns the verified events.

Per test, the plugin costs what the test changed: the reset re-makes only the
rooms the previous test touched (emulator/state.py), and ``client()`` hands out
a new SDK client on a shared transport (emulator/sdk_clients.py). That transport
calls the app on the server's loop directly, for the same bytes as over a socket
(emulator/loop_transport.py); ``--liveblocks-transport socket`` (or the
``liveblocks_transport`` ini option) makes the clients use the real port instead.
``base_url`` is a real server either way (for Node scripts, browsers, raw HTTP).

Fixture files for the whole run: the ``liveblocks_fixtures`` ini option (paths
relative to the ini file) or ``--liveblocks-fixtures PATH`` (repeatable).
For one test: ``@pytest.mark.liveblocks_fixtures("fixtures/board.json")``
(relative to the test file's folder, or to the current folder).
"""

from __future__ import annotations

import os
import pathlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from .api.faults import route_table
from .config import Config
from .fixture_files import FixtureSource, read_fixture_paths
from .pytest_controls import ClockControl, FaultControl
from .server import BackgroundServer
from .state import EmulatorState
from .webhook_receiver import WebhookReceiver

if TYPE_CHECKING:
    from liveblocks import Liveblocks

    from .sdk_clients import SdkClients

T = TypeVar("T")
TRANSPORTS = ("in-process", "socket")


class LiveblocksEmulator:
    """Handle on a running emulator, for tests."""

    def __init__(self, server: BackgroundServer, *, in_process: bool = True) -> None:
        """``in_process``: SDK clients call the app directly (else over the socket)."""
        self._server = server
        self._in_process = in_process
        # Made on the first client(), by over_socket: httpx and the SDK load on first use.
        self._sdk_clients: dict[bool, SdkClients] = {}
        self._lock = threading.Lock()
        # Fixture files read for markers, by (path, mtime, size): read once a session.
        self._read: dict[tuple[str, int, int], list[FixtureSource]] = {}

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def secret_key(self) -> str:
        return self._server.config.secret_key

    @property
    def public_key(self) -> str:
        return self._server.config.public_key

    def call(self, function: Callable[[EmulatorState], T]) -> T:
        """Run ``function(state)`` on the emulator's event loop (the only safe place)."""
        state = self._server.state
        return self._server.call(lambda: function(state))

    def reset(self, *, empty: bool = False) -> None:
        """Back to the run's fixture files (or to nothing); live clients are disconnected."""
        self.call(lambda state: state.reset(to_fixtures=not empty))

    def load(self, fixture: str | os.PathLike[str] | dict[str, Any]) -> None:
        """Add a fixture file, folder, or document (all of it, or FixtureError)."""
        if isinstance(fixture, dict):
            sources = [FixtureSource(fixture, "fixture document")]
        else:
            sources = self._read_fixture(os.fspath(fixture))
        self.call(lambda state: state.load(sources))

    def _read_fixture(self, path: str) -> list[FixtureSource]:
        """A fixture file read once (the JSON is never changed), a folder every time."""
        try:
            stat = os.stat(path)
        except OSError:
            return read_fixture_paths([path])  # the error names the path
        if not os.path.isfile(path):
            return read_fixture_paths([path])
        key = (os.path.abspath(path), stat.st_mtime_ns, stat.st_size)
        sources = self._read.get(key)
        if sources is None:
            sources = self._read[key] = read_fixture_paths([path])
        return sources

    def snapshot(self) -> dict[str, Any]:
        """The whole state as a fixture document."""
        return self.call(lambda state: state.snapshot())

    @property
    def clock(self) -> ClockControl:
        """The emulator's clock: ``freeze()``, ``set(when)``, ``advance(seconds)``…"""
        return ClockControl(self.call)

    @property
    def webhook_secret(self) -> str:
        """The secret webhook endpoints use unless given their own."""
        return self._server.state.webhooks.secret

    def webhook_receiver(self, **endpoint: Any) -> WebhookReceiver:
        """Start a receiver and make it an endpoint (fields as in a fixture's ``webhooks``).

        The endpoint goes with the next reset; stop the receiver when done.
        """
        receiver = WebhookReceiver(endpoint.get("secret", self.webhook_secret)).start()
        entry = {"url": receiver.url, **endpoint}
        self.call(lambda state: state.webhooks.dispatcher.add(
            state.webhooks.endpoint(entry, "api")))
        return receiver

    @property
    def faults(self) -> FaultControl:
        """Injected faults: ``rest(...)``, ``latency(...)``, ``drop_room(...)``…"""
        return FaultControl(self.call, route_table(self._server.app.routes))

    def client(self, *, over_socket: bool | None = None) -> Liveblocks:
        """The official Python SDK, configured for this emulator.

        A new client on every call (what a test sets on it stays on it), built in
        microseconds: every client shares one transport (emulator/sdk_clients.py),
        in process unless ``over_socket`` (default: the plugin's option).
        """
        socket = not self._in_process if over_socket is None else over_socket
        clients = self._sdk_clients.get(socket)
        if clients is None:
            with self._lock:
                clients = self._sdk_clients.get(socket)
                if clients is None:
                    clients = self._sdk_clients[socket] = self._new_sdk_clients(socket)
        return clients.new_client()

    def _new_sdk_clients(self, over_socket: bool) -> SdkClients:
        from .sdk_clients import SdkClients

        if over_socket:
            return SdkClients(self.base_url, self.secret_key)
        from .loop_transport import LoopTransport

        server = self._server
        transport = LoopTransport(server.served_app, server.loop, server.address,
                                  server.default_headers)
        return SdkClients(self.base_url, self.secret_key, transport)

    def close(self) -> None:
        """Close the clients' connection pool (the session fixture does, at the end)."""
        with self._lock:
            for clients in self._sdk_clients.values():
                clients.close()
            self._sdk_clients.clear()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("liveblocks-emulator")
    group.addoption(
        "--liveblocks-fixtures", action="append", default=[], metavar="PATH",
        help="fixture file or folder the Liveblocks emulator loads for the whole run",
    )
    parser.addini(
        "liveblocks_fixtures", type="paths", default=[],
        help="fixture files or folders the Liveblocks emulator loads for the whole run",
    )
    group.addoption(
        "--liveblocks-transport", choices=TRANSPORTS, default=None,
        help="how client() reaches the emulator: 'in-process' (default: the app is called "
             "directly, same bytes) or 'socket' (HTTP over loopback)",
    )
    parser.addini(
        "liveblocks_transport", default="in-process",
        help="how client() reaches the emulator: in-process (default) or socket",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "liveblocks_fixtures(*paths): fixture files the Liveblocks emulator loads for this test",
    )


@pytest.fixture(scope="session")
def liveblocks_emulator_session(pytestconfig: pytest.Config) -> Iterator[LiveblocksEmulator]:
    paths = [str(p) for p in pytestconfig.getini("liveblocks_fixtures")]
    paths += pytestconfig.getoption("liveblocks_fixtures")
    config = Config(port=0, log_level="warning")
    state = EmulatorState(config)
    state.load_startup_fixtures(read_fixture_paths(paths))
    transport = (pytestconfig.getoption("liveblocks_transport")
                 or pytestconfig.getini("liveblocks_transport"))
    if transport not in TRANSPORTS:
        raise pytest.UsageError(f"liveblocks_transport must be one of {TRANSPORTS}, "
                                f"not {transport!r}")
    with BackgroundServer(config, state) as server:
        emulator = LiveblocksEmulator(server, in_process=transport == "in-process")
        try:
            yield emulator
        finally:
            emulator.close()


def _marker_path(request: pytest.FixtureRequest, name: str) -> str:
    near_test = pathlib.Path(request.node.path).parent / name
    return str(near_test) if near_test.exists() else name


@pytest.fixture
def liveblocks_emulator(
    liveblocks_emulator_session: LiveblocksEmulator, request: pytest.FixtureRequest
) -> LiveblocksEmulator:
    emulator = liveblocks_emulator_session
    emulator.reset()
    for marker in reversed(list(request.node.iter_markers("liveblocks_fixtures"))):
        for name in marker.args:
            emulator.load(_marker_path(request, name))
    return emulator


@pytest.fixture
def liveblocks_webhooks(liveblocks_emulator: LiveblocksEmulator) -> Iterator[WebhookReceiver]:
    """A receiver of every webhook event of ``liveblocks_emulator``, verified by the SDK."""
    receiver = liveblocks_emulator.webhook_receiver(
        storageUpdatedThrottleSeconds=0, yDocUpdatedThrottleSeconds=0)
    try:
        yield receiver
    finally:
        receiver.stop()
