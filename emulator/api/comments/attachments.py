"""Comment attachments over HTTP: the secret-key routes (S20–S25), the browser's (C18–C23)
and the download URL both hand out.

Uploads have a body limit of their own (``MAX_ATTACHMENT_BYTES``, beyond the 5 MiB the
client sends in one PUT), not ``--max-body-bytes``. Download URLs are signed with the
emulator's key and valid for one hour, like Liveblocks' presigned URLs.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...domain.clock import format_ms
from ...domain.comments_attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_PART_BYTES,
    check_size,
)
from ...domain.comments_inputs import check_user_id
from ...domain.comments_json import attachment_json
from ...domain.comments_model import Attachment
from ...domain.errors import Forbidden, InvalidInput, PayloadTooLarge
from ...domain.rooms import Room
from ...state import EmulatorState
from ..requests import emulator_state, path_room
from ..responses import JSONResponse, no_content
from .client import in_room
from .common import path, read_object

URL_TTL_MS = 3600 * 1000
FILE_PATH = "/v2/attachment-files/{roomId}/{attachmentId}"


async def read_upload(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"An upload may be at most {limit} bytes (got {declared})",
                              code="ATTACHMENT_TOO_LARGE")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"An upload may be at most {limit} bytes",
                                  code="ATTACHMENT_TOO_LARGE")
        chunks.append(chunk)
    return b"".join(chunks)


def _signature(state: EmulatorState, room_id: str, attachment_id: str, expires: int) -> str:
    message = f"{room_id}\n{attachment_id}\n{expires}".encode()
    key = state.config.effective_signing_key.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def download_url(request: Request, room: Room, attachment: Attachment) -> tuple[str, int]:
    state = emulator_state(request)
    expires = state.clock() + URL_TTL_MS
    signature = _signature(state, room.id, attachment.id, expires)
    base = str(request.base_url).rstrip("/")
    url = (f"{base}/v2/attachment-files/{room.id}/{attachment.id}"
           f"?expires={expires}&signature={signature}")
    return url, expires


async def download(request: Request) -> Response:
    """The bytes of an attachment, for whoever holds a URL the emulator signed."""
    state = emulator_state(request)
    room = path_room(request)
    attachment_id = path(request, "attachmentId")
    expires = request.query_params.get("expires", "")
    given = request.query_params.get("signature", "")
    if not expires.isdigit() or len(expires) > 16 or not hmac.compare_digest(
            given, _signature(state, room.id, attachment_id, int(expires))):
        raise Forbidden("This attachment URL is not signed by the emulator",
                        code="INVALID_SIGNATURE")
    if int(expires) < state.clock():
        raise Forbidden("This attachment URL has expired; ask for a new one",
                        code="URL_EXPIRED")
    attachment = state.attachments.get(room, attachment_id)
    return Response(attachment.data, media_type=attachment.mime_type,
                    headers={"cache-control": "private, max-age=3600"})


# ------------------------------------------------------------------ secret key


async def get_attachment(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    attachment = state.attachments.get(room, path(request, "attachmentId"))
    url, expires = download_url(request, room, attachment)
    return JSONResponse({**attachment_json(attachment), "url": url,
                         "expiresAt": format_ms(expires)})


def _user(request: Request, required: bool) -> str | None:
    raw = request.query_params.get("userId")
    if raw is None and not required:
        return None
    return check_user_id(raw)


async def _upload(request: Request, room: Room, user_id: str | None) -> Response:
    state = emulator_state(request)
    size = check_size(request.query_params.get("fileSize"))
    data = await read_upload(request, MAX_ATTACHMENT_BYTES)
    attachment = state.attachments.upload(room, path(request, "attachmentId"),
                                          path(request, "name"), data, user_id, size)
    return JSONResponse(attachment_json(attachment))


async def _start(request: Request, room: Room, user_id: str | None) -> Response:
    state = emulator_state(request)
    size = check_size(request.query_params.get("fileSize"))
    name = path(request, "multipartKey")  # the file name, on this route
    upload = state.attachments.start_multipart(room, path(request, "attachmentId"), name,
                                               size, user_id)
    return JSONResponse({"attachmentId": upload.attachment_id, "uploadId": upload.upload_id})


async def _part(request: Request, room: Room) -> Response:
    state = emulator_state(request)
    data = await read_upload(request, MAX_PART_BYTES)
    part = path(request, "partNumber")
    tag = state.attachments.upload_part(room, path(request, "attachmentId"),
                                        path(request, "uploadId"), part, data)
    return JSONResponse({"partNumber": int(part), "etag": tag})


async def _complete(request: Request, room: Room) -> Response:
    state = emulator_state(request)
    body = await read_object(request)
    attachment = state.attachments.complete(room, path(request, "attachmentId"),
                                            path(request, "uploadId"), body.get("parts"))
    return JSONResponse(attachment_json(attachment))


async def _abort(request: Request, room: Room) -> Response:
    state = emulator_state(request)
    state.attachments.abort(room, path(request, "attachmentId"), path(request, "multipartKey"))
    return no_content()


async def upload_attachment(request: Request) -> Response:
    return await _upload(request, path_room(request), _user(request, False))


async def start_multipart(request: Request) -> Response:
    return await _start(request, path_room(request), _user(request, False))


async def upload_part(request: Request) -> Response:
    return await _part(request, path_room(request))


async def complete_multipart(request: Request) -> Response:
    return await _complete(request, path_room(request))


async def abort_multipart(request: Request) -> Response:
    return await _abort(request, path_room(request))


# ------------------------------------------------------------------ browser


def _writer(request: Request) -> tuple[Room, str]:
    here = in_room(request)
    if not any(here.levels.get(k) == "write" for k in
               ("comments", "comments:public", "comments:private")):
        raise Forbidden(f"You may not upload attachments in room '{here.room.id}'",
                        code="COMMENTS_ACCESS_DENIED")
    return here.room, here.caller.user_id


async def client_upload(request: Request) -> Response:
    room, user_id = _writer(request)
    return await _upload(request, room, user_id)


async def client_start_multipart(request: Request) -> Response:
    room, user_id = _writer(request)
    return await _start(request, room, user_id)


async def client_upload_part(request: Request) -> Response:
    room, _ = _writer(request)
    return await _part(request, room)


async def client_complete_multipart(request: Request) -> Response:
    room, _ = _writer(request)
    return await _complete(request, room)


async def client_abort_multipart(request: Request) -> Response:
    room, _ = _writer(request)
    return await _abort(request, room)


async def presigned_urls(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    ids = (await read_object(request)).get("attachmentIds")
    # Answers are aligned with the ids asked for: no deduplication here.
    if not isinstance(ids, list) or len(ids) > 100 or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("attachmentIds must be an array of at most 100 ids")
    urls: list[Any] = []
    for attachment_id in ids:
        attachment = here.state.attachments.find(here.room, attachment_id)
        urls.append(None if attachment is None
                    else download_url(request, here.room, attachment)[0])
    return JSONResponse({"urls": urls})
