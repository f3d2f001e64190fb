"""The ``liveblocks-emulator`` command. Every flag also reads an environment variable."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence

from .config import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_PUBLIC_KEY,
    DEFAULT_SECRET_KEY,
    Config,
)
from .server import serve_forever
from .state import EmulatorState

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
        "--port", type=_port, default=_port(_env("PORT", str(DEFAULT_PORT))),
        help=f"port to listen on, 0 picks a free one (env {ENV_PREFIX}PORT; "
        f"default {DEFAULT_PORT})",
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
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    return Config(
        host=args.host,
        port=args.port,
        secret_key=args.secret_key,
        public_key=args.public_key,
        log_level=args.log_level,
        signing_key=args.signing_key,
        token_ttl_seconds=args.token_ttl,
        max_body_bytes=args.max_body_bytes,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = config_from_args(args)
    state = EmulatorState(config)

    def announce(url: str) -> None:
        print(
            f"Liveblocks emulator ready at {url} — secret key {config.secret_key}, "
            f"public key {config.public_key}",
            flush=True,
        )

    try:
        serve_forever(config, state, announce)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"liveblocks-emulator: cannot listen on {config.host}:{config.port}: {error}",
              file=sys.stderr)
        return 1
    return 0
