"""A bounded HTTP load generator: wrk when it is installed, else a raw asyncio client.

Both keep a fixed number of keep-alive connections busy and report requests
per second and latency percentiles; requests are described once (method, path
template, body template) so either driver can send them. ``{n}`` in a template
is replaced by a number unique to each request.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RequestSpec:
    method: str
    path: str  # may contain {n}
    body: str | None = None  # may contain {n}
    headers: dict[str, str] = field(default_factory=dict)

    def render(self, n: int) -> tuple[str, bytes]:
        body = (self.body or "").replace("{n}", str(n)).encode()
        return self.path.replace("{n}", str(n)), body


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: Counter[int]
    driver: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 400 or status == 0)


def run_load(
    base_url: str,
    spec: RequestSpec,
    *,
    seconds: float = 5.0,
    connections: int = 16,
    total: int | None = None,
    prefer_wrk: bool = True,
) -> LoadResult:
    """Drive the server for ``seconds`` (or exactly ``total`` requests)."""
    if prefer_wrk and total is None and shutil.which("wrk"):
        return _run_wrk(base_url, spec, seconds, connections)
    return asyncio.run(_run_asyncio(base_url, spec, seconds, connections, total))


# ---------------------------------------------------------------- wrk


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def _lua_template(text: str) -> str:
    """A Lua expression building the text with the request counter in place of {n}."""
    parts = [_lua_string(part) for part in text.split("{n}")]
    return " .. n .. ".join(parts) if len(parts) > 1 else parts[0]


def _wrk_script(spec: RequestSpec) -> str:
    # Each run numbers its requests from a fresh base, so ids stay unique across runs.
    base = random.randrange(1, 10**5) * 10**7  # LuaJIT prints numbers with 14 digits
    headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in spec.headers.items())
    body = _lua_template(spec.body) if spec.body is not None else "nil"
    return f"""
local counter = {base}
local thread_id = 0
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
request = function()
  counter = counter + 1
  local n = thread_id * 100000000 + counter
  return wrk.format({_lua_string(spec.method)}, {_lua_template(spec.path)}, {{ {headers} }}, {body})
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{{"requests": %d, "micros": %d, "p50": %d, "p99": %d, "non2xx": %d, "errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def _run_wrk(base_url: str, spec: RequestSpec, seconds: float, connections: int) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_wrk_script(spec))
    threads = 1  # one wrk thread outruns a Python server and leaves it the other core
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
         "--timeout", "10s", "-s", script.name, base_url],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    line = [ln for ln in result.stdout.splitlines() if ln.startswith('{"requests"')]
    if not line:
        raise RuntimeError(f"wrk failed: {result.stdout}\n{result.stderr}")
    data = json.loads(line[-1])
    statuses: Counter[int] = Counter({200: data["requests"] - data["non2xx"] - data["errors"]})
    if data["non2xx"]:
        statuses[400] = data["non2xx"]
    if data["errors"]:
        statuses[0] = data["errors"]
    return LoadResult(data["requests"], data["micros"] / 1e6, data["p50"] / 1000,
                      data["p99"] / 1000, statuses, "wrk")


# ---------------------------------------------------------------- asyncio


async def _read_response(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _run_asyncio(
    base_url: str, spec: RequestSpec, seconds: float, connections: int, total: int | None
) -> LoadResult:
    url = urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    header_text = "".join(f"{k}: {v}\r\n" for k, v in spec.headers.items())
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    # Numbered from a fresh base per run (not for counted runs: those address seeded rooms).
    counter = 0 if total is not None else random.randrange(1, 10**6) * 10**9
    stop_at = None if total is None else total
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal counter
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                if stop_at is not None and counter >= stop_at:
                    return
                if total is None and time.perf_counter() >= deadline:
                    return
                counter += 1
                path, body = spec.render(counter)
                head = (f"{spec.method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{header_text}"
                        f"Content-Length: {len(body)}\r\n\r\n")
                started = time.perf_counter()
                writer.write(head.encode() + body)
                try:
                    status = await _read_response(reader)
                except (ConnectionError, asyncio.IncompleteReadError, ValueError):
                    statuses[0] += 1
                    return
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    return LoadResult(len(latencies), elapsed, p50, p99, statuses, "asyncio")
