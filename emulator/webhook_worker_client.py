"""The emulator's side of the delivery process (``webhook_worker``): a ``Transport``.

The dispatcher awaits each attempt as before (per-endpoint order, retries, the log and
replays are unchanged); the request itself is made by the worker process. What stays on
the serving loop per attempt is writing one line to a pipe and reading one back (read in
chunks: one wake-up serves every outcome that arrived together).

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

from .domain.webhook_delivery import AttemptResult

logger = logging.getLogger("emulator.webhooks")
STOPPED = "the webhook delivery process stopped before answering"


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], writer: asyncio.WriteTransport) -> None:
        self.process = process
        self.writer = writer
        self.waiting: dict[int, asyncio.Future[AttemptResult]] = {}
        self.reading: asyncio.Task[None] | None = None
        self.outbox: list[bytes] = []

    def flush(self) -> None:
        lines, self.outbox = self.outbox, []
        if not self.writer.is_closing():
            self.writer.write(b"".join(lines))


class WorkerTransport:
    # Attempts per endpoint handed over before the first answers (the process keeps their
    # order). Each is signed when handed over: at most this many answers stand between
    # its webhook-timestamp and its request, far within the SDKs' 5 min tolerance unless
    # the endpoint times out on every one (then it fails and is retried, re-signed, anyway).
    ordered_window = 16

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._starting: asyncio.Lock | None = None
        self._number = 0

    async def __call__(
        self, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> AttemptResult:
        worker = self._worker or await self._start()
        self._number += 1
        number = self._number
        answer: asyncio.Future[AttemptResult] = asyncio.get_running_loop().create_future()
        worker.waiting[number] = answer
        # Lines handed over in one loop turn go in one write (a window's worth at a time).
        if not worker.outbox:
            asyncio.get_running_loop().call_soon(worker.flush)
        worker.outbox.append(
            json.dumps([number, url, headers, body.decode(), timeout]).encode() + b"\n")
        return await answer

    async def _start(self) -> _Worker:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._worker is not None:
                return self._worker
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
            return worker

    async def _read(self, worker: _Worker, reader: asyncio.StreamReader) -> None:
        rest = b""
        try:
            while chunk := await reader.read(1 << 16):
                *lines, rest = (rest + chunk).split(b"\n")
                for line in lines:
                    number, status, duration, excerpt, error, abort = json.loads(line)
                    answer = worker.waiting.pop(number, None)
                    if answer is not None and not answer.done():
                        answer.set_result(AttemptResult(status, duration, excerpt, error, abort))
        finally:
            if self._worker is worker:
                self._worker = None
                if worker.process.poll() is None:
                    worker.process.kill()
                logger.warning("The webhook delivery process stopped (exit %s)",
                               worker.process.wait())
            for answer in worker.waiting.values():
                if not answer.done():
                    answer.set_result(AttemptResult(None, 0.0, error=STOPPED))
            worker.waiting.clear()

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
