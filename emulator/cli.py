"""The ``liveblocks-emulator`` command. Every flag also reads an environment variable."""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

from .config import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONNECTIONS_PER_ROOM,
    DEFAULT_MAX_MESSAGE_BYTES,
    DEFAULT_PORT,
    DEFAULT_PUBLIC_KEY,
    DEFAULT_SECRET_KEY,
    Config,
)
from .domain.fault_rules import MAX_LATENCY_MS
from .domain.fixtures import FixtureError
from .fixture_files import read_fixture_paths, write_json_atomically
from .server import BackgroundServer, serve_forever
from .state import EmulatorState
from .webhooks import config_problem, pending_report

ENV_PREFIX = "LIVEBLOCKS_EMULATOR_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
# What both SDKs accept before sending anything (API_CONTRACT.md).
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")


def _env(name: str, default: str) -> str:
    return os.environ.get(ENV_PREFIX + name, default)


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 0 and 65535, got {value}")
    return value


def _key(prefix: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not text.startswith(prefix) or not _KEY_CHARS.match(text):
            raise argparse.ArgumentTypeError(
                f"must start with {prefix!r} and use only letters, digits, '_' and '-' "
                "(the official SDKs refuse other keys)"
            )
        return text

    return check


def _milliseconds(text: str) -> float:
    value = float(text)
    if not 0 <= value <= MAX_LATENCY_MS:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_LATENCY_MS} ms, got {text}")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be a fraction from 0 to 1, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liveblocks-emulator",
        description="A local, in-memory emulator of the Liveblocks API. "
        f"Each option can also be set with an environment variable {ENV_PREFIX}<NAME>.",
    )
    parser.add_argument(
        "--host", default=_env("HOST", DEFAULT_HOST),
        help=f"interface to bind (env {ENV_PREFIX}HOST; default {DEFAULT_HOST})",
    )
    parser.add_argument(
        "--port", type=_port, default=None,
        help=f"port to listen on, 0 picks a free one (env {ENV_PREFIX}PORT; "
        f"default {DEFAULT_PORT}, or a free port with --cmd)",
    )
    parser.add_argument(
        "--secret-key", type=_key("sk_"), default=_env("SECRET_KEY", DEFAULT_SECRET_KEY),
        help=f"secret key for the REST API (env {ENV_PREFIX}SECRET_KEY; "
        f"default {DEFAULT_SECRET_KEY})",
    )
    parser.add_argument(
        "--public-key", type=_key("pk_"), default=_env("PUBLIC_KEY", DEFAULT_PUBLIC_KEY),
        help=f"public key for browser clients (env {ENV_PREFIX}PUBLIC_KEY; "
        f"default {DEFAULT_PUBLIC_KEY})",
    )
    parser.add_argument(
        "--log-level", choices=LOG_LEVELS, default=_env("LOG_LEVEL", "info").lower(),
        help=f"log level; 'info' prints one line per request (env {ENV_PREFIX}LOG_LEVEL)",
    )
    parser.add_argument(
        "--signing-key", default=_env("SIGNING_KEY", "") or None,
        help="key that signs the tokens the emulator mints (env "
        f"{ENV_PREFIX}SIGNING_KEY; default: derived from the secret key)",
    )
    parser.add_argument(
        "--token-ttl", type=int, default=int(_env("TOKEN_TTL", "3600")),
        help=f"lifetime of minted tokens in seconds (env {ENV_PREFIX}TOKEN_TTL; default 3600)",
    )
    parser.add_argument(
        "--max-body-bytes", type=int,
        default=int(_env("MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))),
        help=f"largest request body accepted (env {ENV_PREFIX}MAX_BODY_BYTES; default 1 MiB)",
    )
    parser.add_argument(
        "--max-message-bytes", type=int,
        default=int(_env("MAX_MESSAGE_BYTES", str(DEFAULT_MAX_MESSAGE_BYTES))),
        help="largest WebSocket message accepted; larger ones close the connection with 1009 "
        f"(env {ENV_PREFIX}MAX_MESSAGE_BYTES; default 1 MiB)",
    )
    parser.add_argument(
        "--max-connections-per-room", type=int,
        default=int(_env("MAX_CONNECTIONS_PER_ROOM", str(DEFAULT_MAX_CONNECTIONS_PER_ROOM))),
        help="connections a room accepts before refusing newcomers with 4005 (room full) "
        f"(env {ENV_PREFIX}MAX_CONNECTIONS_PER_ROOM; default {DEFAULT_MAX_CONNECTIONS_PER_ROOM})",
    )
    parser.add_argument(
        "--latency", type=_milliseconds, metavar="MS", default=_milliseconds(_env("LATENCY", "0")),
        help="add MS milliseconds to every /v2 request and every WebSocket frame, both ways "
        f"(env {ENV_PREFIX}LATENCY; default 0)",
    )
    parser.add_argument(
        "--latency-jitter", type=_milliseconds, metavar="MS",
        default=_milliseconds(_env("LATENCY_JITTER", "0")),
        help=f"add up to MS more, at random (seeded) (env {ENV_PREFIX}LATENCY_JITTER; default 0)",
    )
    parser.add_argument(
        "--failure-rate", type=_rate, metavar="P", default=_rate(_env("FAILURE_RATE", "0")),
        help="answer this fraction of /v2 requests with 503, at random (seeded) "
        f"(env {ENV_PREFIX}FAILURE_RATE; default 0)",
    )
    parser.add_argument(
        "--fault-seed", type=int, default=int(_env("FAULT_SEED", "0")),
        help=f"seed of --latency-jitter and --failure-rate (env {ENV_PREFIX}FAULT_SEED)",
    )
    parser.add_argument(
        "--fixtures", action="append", metavar="PATH",
        default=[p for p in _env("FIXTURES", "").split(os.pathsep) if p],
        help="fixture file, or folder of *.json fixture files, to load at start and on reset; "
        f"repeatable (env {ENV_PREFIX}FIXTURES, paths separated by '{os.pathsep}')",
    )
    parser.add_argument(
        "--state", metavar="FILE", default=_env("STATE", "") or None,
        help="load the state from FILE at start if it exists, and write the whole state there "
        f"on a clean stop (env {ENV_PREFIX}STATE)",
    )
    parser.add_argument(
        "--webhook", action="append", metavar="URL",
        default=_env("WEBHOOK", "").replace(",", " ").split(),
        help="send every webhook event to URL (http:// or https://); repeatable "
        f"(env {ENV_PREFIX}WEBHOOK, URLs separated by spaces or commas)",
    )
    parser.add_argument(
        "--webhook-secret", metavar="whsec_…", default=_env("WEBHOOK_SECRET", "") or None,
        help="secret that signs webhook requests (whsec_ + padded base64); generated and "
        f"printed at start when not given (env {ENV_PREFIX}WEBHOOK_SECRET)",
    )
    parser.add_argument(
        "--webhook-throttle", type=float, metavar="SECONDS",
        default=float(_env("WEBHOOK_THROTTLE", "60")),
        help="window in which storageUpdated / ydocUpdated events of a room are coalesced, "
        f"0 sends each one (env {ENV_PREFIX}WEBHOOK_THROTTLE; default 60, as Liveblocks)",
    )
    parser.add_argument(
        "--webhook-retry-scale", type=float, metavar="FACTOR",
        default=float(_env("WEBHOOK_RETRY_SCALE", "1")),
        help="multiplies the retry delays (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); 0.001 "
        f"retries within milliseconds (env {ENV_PREFIX}WEBHOOK_RETRY_SCALE; default 1)",
    )
    parser.add_argument(
        "--webhook-timeout", type=float, metavar="SECONDS",
        default=float(_env("WEBHOOK_TIMEOUT", "15")),
        help=f"time an endpoint has to answer (env {ENV_PREFIX}WEBHOOK_TIMEOUT; default 15)",
    )
    parser.add_argument(
        "--webhook-notification-delay", type=float, metavar="SECONDS",
        default=float(_env("WEBHOOK_NOTIFICATION_DELAY", "1800")),
        help="time an inbox notification stays unread before its `notification` webhook "
        f"events (env {ENV_PREFIX}WEBHOOK_NOTIFICATION_DELAY; default 1800, as Liveblocks)",
    )
    parser.add_argument(
        "-c", "--cmd", metavar="COMMAND", default=None,
        help="start on a free port, run COMMAND with LIVEBLOCKS_BASE_URL and the keys in its "
        "environment, stop, and exit with COMMAND's status; extra arguments are appended, or "
        "replace {} in COMMAND",
    )
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    port = args.port
    if port is None:
        port = 0 if args.cmd else _port(_env("PORT", str(DEFAULT_PORT)))
    return Config(
        host=args.host,
        port=port,
        secret_key=args.secret_key,
        public_key=args.public_key,
        log_level=args.log_level,
        signing_key=args.signing_key,
        token_ttl_seconds=args.token_ttl,
        max_body_bytes=args.max_body_bytes,
        max_message_bytes=args.max_message_bytes,
        max_connections_per_room=args.max_connections_per_room,
        fixtures=list(args.fixtures),
        state_file=args.state,
        latency_ms=args.latency,
        latency_jitter_ms=args.latency_jitter,
        failure_rate=args.failure_rate,
        fault_seed=args.fault_seed,
        webhooks=list(args.webhook),
        webhook_secret=args.webhook_secret,
        webhook_throttle_seconds=args.webhook_throttle,
        webhook_retry_scale=args.webhook_retry_scale,
        webhook_timeout_seconds=args.webhook_timeout,
        webhook_notification_delay_seconds=args.webhook_notification_delay,
    )


def prepare_state(config: Config) -> EmulatorState:
    """The state to serve: the --state file if it exists, else the fixtures (FixtureError)."""
    state = EmulatorState(config)
    startup = read_fixture_paths(config.fixtures)
    if config.state_file and pathlib.Path(config.state_file).exists():
        state.load(read_fixture_paths([config.state_file]))
        state.set_startup_fixtures(startup)
    else:
        state.load_startup_fixtures(startup)
    return state


def command_line(command: str, extra: Sequence[str]) -> str:
    """Like `liveblocks dev -c`: extra arguments replace {} or are appended, shell-quoted."""
    if not extra:
        return command
    quoted = " ".join(shlex.quote(arg) for arg in extra)
    return command.replace("{}", quoted) if "{}" in command else f"{command} {quoted}"


def command_environment(base_url: str, config: Config) -> dict[str, str]:
    """The variables `liveblocks dev -c` sets, so apps need no change to use the emulator."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    env = {
        "LIVEBLOCKS_DEV_SERVER_HOST": host,
        "LIVEBLOCKS_DEV_SERVER_PORT": port,
        "LIVEBLOCKS_BASE_URL": base_url,
        "LIVEBLOCKS_SECRET_KEY": config.secret_key,
        "LIVEBLOCKS_PUBLIC_KEY": config.public_key,
    }
    for prefix in ("NEXT_PUBLIC_", "VITE_", "PUBLIC_"):
        env[f"{prefix}LIVEBLOCKS_BASE_URL"] = base_url
        env[f"{prefix}LIVEBLOCKS_PUBLIC_KEY"] = config.public_key
    return env


def run_command(config: Config, state: EmulatorState, command: str) -> int:
    with BackgroundServer(config, state) as server:
        env = {**os.environ, **command_environment(server.base_url, config),
               "LIVEBLOCKS_WEBHOOK_SECRET": state.webhooks.secret}
        try:
            return subprocess.run(command, shell=True, env=env).returncode
        except KeyboardInterrupt:
            return 130


def save_state(config: Config, state: EmulatorState) -> None:
    report = pending_report(state)
    if report:
        print(f"liveblocks-emulator: {report}", file=sys.stderr)
    if config.state_file:
        write_json_atomically(pathlib.Path(config.state_file), state.snapshot())


def _stop_requested(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.args and not args.cmd:
        parser.error("extra arguments are only allowed with --cmd")
    config = config_from_args(args)
    problem = config_problem(config)
    if problem:
        print(f"liveblocks-emulator: {problem}", file=sys.stderr)
        return 2
    try:
        state = prepare_state(config)
    except FixtureError as error:
        print(f"liveblocks-emulator: cannot load fixtures: {error.message}", file=sys.stderr)
        return 2

    if args.cmd:
        status = run_command(config, state, command_line(args.cmd, args.args))
        save_state(config, state)
        return status

    def announce(url: str) -> None:
        print(
            f"Liveblocks emulator ready at {url} — secret key {config.secret_key}, "
            f"public key {config.public_key} — dashboard {url}/dashboard",
            flush=True,
        )
        if state.webhooks.secret_generated:
            print(f"Webhook signing secret (generated; pass --webhook-secret to keep one): "
                  f"{state.webhooks.secret}", flush=True)
        for url in config.webhooks:
            print(f"Sending webhooks to {url}", flush=True)

    # uvicorn re-raises SIGTERM once it has shut down: turn it into a clean stop,
    # like Ctrl-C, so the state file is still written.
    signal.signal(signal.SIGTERM, _stop_requested)
    try:
        serve_forever(config, state, announce)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"liveblocks-emulator: cannot listen on {config.host}:{config.port}: {error}",
              file=sys.stderr)
        return 1
    save_state(config, state)
    return 0
