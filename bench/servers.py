"""The servers a benchmark compares, each started as its own process on loopback."""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

ROOT = pathlib.Path(__file__).resolve().parent.parent
AUTH = {"Authorization": "Bearer sk_localdev"}
# The dev server is installed on demand here, outside the repository.
DEV_SERVER_CACHE = pathlib.Path(
    os.environ.get("LIVEBLOCKS_BENCH_CACHE")
    or pathlib.Path.home() / ".cache" / "liveblocks-emulator-bench"
)
DEV_SERVER_PACKAGES = ("liveblocks@1.9.0", "bun@1.4.5")


@dataclass
class RunningServer:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]

    def rss_bytes(self) -> int:
        """Resident memory of the server process (and its children, for the dev server)."""
        total = 0
        for pid in _process_tree(self.process.pid):
            with contextlib.suppress(OSError):
                status = pathlib.Path(f"/proc/{pid}/status").read_text()
                match = re.search(r"VmRSS:\s+(\d+) kB", status)
                if match:
                    total += int(match.group(1)) * 1024
        return total


def _process_tree(pid: int) -> list[int]:
    pids = [pid]
    with contextlib.suppress(OSError):
        children = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for child in children:
            pids.extend(_process_tree(int(child)))
    return pids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/v2/rooms?limit=1", headers=AUTH, timeout=2).status_code < 500:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not become ready")


@contextlib.contextmanager
def _serve(name: str, command: list[str], port: int, env: dict[str, str] | None = None,
           cwd: pathlib.Path | None = None) -> Iterator[RunningServer]:
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        yield RunningServer(name, url, process)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def emulator(log_level: str = "warning") -> contextlib.AbstractContextManager[RunningServer]:
    """The emulator; its output goes to /dev/null (with "info", one line per request)."""
    port = free_port()
    return _serve("emulator", [sys.executable, "-m", "emulator", "--port", str(port),
                               "--log-level", log_level], port, cwd=ROOT)


def ceiling(log_level: str = "warning") -> contextlib.AbstractContextManager[RunningServer]:
    del log_level  # the ceiling never logs requests
    port = free_port()
    return _serve("ceiling", [sys.executable, "-m", "bench.ceiling", "--port", str(port)], port,
                  cwd=ROOT)


def install_dev_server() -> pathlib.Path:
    """Install Liveblocks' dev server (and Bun, which it needs) into the cache folder.

    Raises RuntimeError with the reason when that is not possible here.
    """
    entry = DEV_SERVER_CACHE / "node_modules" / "liveblocks" / "dist" / "index.js"
    if entry.exists() and (DEV_SERVER_CACHE / "node_modules" / ".bin" / "bun").exists():
        return entry
    if shutil.which("npm") is None:
        raise RuntimeError("npm is not installed")
    DEV_SERVER_CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "install", "--no-save", "--prefix", str(DEV_SERVER_CACHE), *DEV_SERVER_PACKAGES],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0 or not entry.exists():
        reason = (result.stderr.strip().splitlines() or ["npm install failed"])[-1]
        raise RuntimeError(f"cannot install the dev server: {reason[:120]}")
    return entry


def dev_server(log_level: str = "warning") -> contextlib.AbstractContextManager[RunningServer]:
    del log_level  # the dev server has no such option
    entry = install_dev_server()
    port = free_port()
    bin_dir = DEV_SERVER_CACHE / "node_modules" / ".bin"
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    work_dir = DEV_SERVER_CACHE / "run"
    work_dir.mkdir(exist_ok=True)
    return _serve("dev server", ["node", str(entry), "dev", "-p", str(port), "--host", "127.0.0.1",
                                 "--no-persist", "--no-check"], port, env=env, cwd=work_dir)
