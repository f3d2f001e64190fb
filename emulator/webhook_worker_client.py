"""The emulator's side of the delivery process (``webhook_worker``): a ``Transport``.

The dispatcher hands each attempt over with ``submit`` and is told its outcome by a
callback (per-endpoint order, retries, the log and replays stay in the dispatcher); the
request itself is made by the worker process. What stays on
the serving loop per attempt is one JSON line written to a pipe (all of a loop turn's
in one write) and one read back (read in chunks: one wake-up serves every outcome that
arrived together); the dispatcher uses ``submit``, so no task or future is made per
attempt either.

The process starts on the first attempt and again after it dies; attempts it had not
answered then count as failed ("the delivery process stopped") and are retried on the
schedule, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import subprocess
import sys
from collections.abc import Callable

from .domain.webhook_delivery import AttemptResult
from .loop_load import LoopLoad

logger = logging.getLogger("emulator.webhooks")
STOPPED = "the webhook delivery process stopped before answering"


Done = Callable[[AttemptResult], None]


def _tell(done: Done, result: AttemptResult) -> None:
    try:
        done(result)
    except Exception:  # a bug of the caller's: the other outcomes are still told
        logger.exception("Telling a webhook attempt's outcome failed")


def _tell_all(waiting: dict[int, Done], error: str) -> None:
    for done in waiting.values():
        _tell(done, AttemptResult(None, 0.0, error=error))


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], writer: asyncio.WriteTransport) -> None:
        self.process = process
        self.writer = writer
        self.waiting: dict[int, Done] = {}
        self.reading: asyncio.Task[None] | None = None


class WorkerTransport:
    # Attempts per endpoint handed over before the first answers (the process keeps their
    # order). Each is signed when handed over: at most this many answers stand between
    # its webhook-timestamp and its request, far within the SDKs' 5 min tolerance unless
    # the endpoint times out on every one (then it fails and is retried, re-signed, anyway).
    OPEN_WINDOW = 16

    def __init__(self, load: LoopLoad | None = None) -> None:
        self._load = load or LoopLoad()
        self._worker: _Worker | None = None
        self._starting: asyncio.Task[None] | None = None
        self._number = 0
        # Lines handed over since the last write, with whom to tell of their outcome:
        # written once per loop turn (or once the process has started).
        self._outbox: list[bytes] = []
        self._outbox_done: dict[int, Done] = {}

    @property
    def ordered_window(self) -> int:
        """16, or 1 while the serving loop is saturated: each attempt costs that loop
        CPU (its line, its answer, the wake-ups), so under a load that keeps it busy,
        deliveries trickle one at a time per endpoint and REST and WebSocket clients keep
        their throughput (issue 15: ≥ 0.9× with an endpoint). Nothing waits for long:
        every answer lets the next attempt go."""
        return 1 if self._load.saturated() else self.OPEN_WINDOW

    async def __call__(
        self, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> AttemptResult:
        answer: asyncio.Future[AttemptResult] = asyncio.get_running_loop().create_future()
        self.submit(url, headers, body.decode(), timeout, answer.set_result)
        return await answer

    def submit(self, url: str, headers: dict[str, str], body: str, timeout: float,
               done: Done) -> None:
        """Hand one request to the process; ``done(outcome)`` is called when it answers
        (or stops), on a later turn of the loop."""
        self._number += 1
        if not self._outbox:
            asyncio.get_running_loop().call_soon(self._flush)
        self._outbox.append(json.dumps([self._number, url, headers, body, timeout]).encode())
        self._outbox_done[self._number] = done

    def _flush(self) -> None:
        worker = self._worker
        if worker is None:  # first use, or the process died: start it, then write
            if self._starting is None or self._starting.done():
                self._starting = asyncio.get_running_loop().create_task(self._start())
            return
        lines, self._outbox = self._outbox, []
        worker.waiting.update(self._outbox_done)
        self._outbox_done = {}
        if worker.writer.is_closing():  # it is dying: _read fails what it waited for
            return
        lines.append(b"")
        worker.writer.write(b"\n".join(lines))

    async def _start(self) -> None:
        try:
            await self._start_process()
        except Exception as error:  # e.g. no more processes: these attempts fail, are retried
            logger.error("The webhook delivery process could not start: %s", error)
            self._outbox = []
            waiting, self._outbox_done = self._outbox_done, {}
            _tell_all(waiting, f"the webhook delivery process could not start: {error}")
            return
        if self._outbox:
            self._flush()

    async def _start_process(self) -> None:
        loop = asyncio.get_running_loop()
        process = subprocess.Popen(
            [sys.executable, "-m", "emulator.webhook_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            # A session of its own: where the kernel shares CPU per session (autogroup),
            # its sending is not taken from the emulator's share. It still ends with
            # the emulator (its stdin closes), and a Ctrl-C stops the emulator first.
            start_new_session=True)
        assert process.stdin is not None and process.stdout is not None
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                     process.stdout)
        writer, _ = await loop.connect_write_pipe(asyncio.Protocol, process.stdin)
        worker = self._worker = _Worker(process, writer)
        worker.reading = loop.create_task(self._read(worker, reader))

    async def _read(self, worker: _Worker, reader: asyncio.StreamReader) -> None:
        rest = b""
        try:
            while chunk := await reader.read(1 << 16):
                *lines, rest = (rest + chunk).split(b"\n")
                for line in lines:
                    number, status, duration, excerpt, error, abort = json.loads(line)
                    done = worker.waiting.pop(number, None)
                    if done is not None:
                        _tell(done, AttemptResult(status, duration, excerpt, error, abort))
        finally:
            if self._worker is worker:
                self._worker = None
                if worker.process.poll() is None:
                    worker.process.kill()
                logger.warning("The webhook delivery process stopped (exit %s)",
                               worker.process.wait())
            waiting, worker.waiting = worker.waiting, {}
            _tell_all(waiting, STOPPED)

    @property
    def in_flight(self) -> int:
        """Attempts handed to the process and not answered yet."""
        return 0 if self._worker is None else len(self._worker.waiting)

    def kill_for_tests(self) -> None:
        """Kill the process as a crash would (its answers stop; the next attempt restarts it)."""
        if self._worker is not None:
            self._worker.process.kill()

    def close(self) -> None:
        """Stop the process (the emulator stops), on the loop before it closes."""
        if self._starting is not None:
            self._starting.cancel()
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if worker.process.stdin is not None:
            with contextlib.suppress(OSError):
                worker.process.stdin.close()  # the worker ends when its input ends
        try:
            worker.process.wait(2)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()
        if worker.reading is not None:
            worker.reading.cancel()  # ends at the loop's next turn, if it has one
