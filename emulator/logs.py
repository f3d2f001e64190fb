"""Logging setup: credentials are never printed.

The access log (one line per request) is access_log.py's, not uvicorn's.

The realtime client puts its token (``tok=…``) and public key in the WebSocket
URL, which uvicorn would log verbatim; a filter masks them.
"""

from __future__ import annotations

import logging
import re

_CREDENTIAL_IN_URL = re.compile(r"((?:^|[?&])(?:tok|token|pubkey|secret)=)[^&\s\"']+")


def mask_credentials(text: str) -> str:
    return _CREDENTIAL_IN_URL.sub(r"\1***", text)


class RedactCredentials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _CREDENTIAL_IN_URL.sub(r"\1***", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _CREDENTIAL_IN_URL.sub(r"\1***", record.msg)
        return True


def install_redaction() -> None:
    for name in ("uvicorn.access", "uvicorn.error", "emulator"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())
