"""Comment attachments: uploads as the clients make them (one PUT up to 5 MiB, or a
multipart upload of 5 MiB parts), kept in memory with the room until their comment or
thread is deleted (COMMENTS.md §1.5 C18–C23, §3.2 S20–S25).

An upload makes a *draft*; it joins a comment when its id is given in ``attachmentIds``.
Re-uploading an existing id with the same name and size is accepted (the client retries);
with another name or size it is a conflict, as for storage files.
"""

from __future__ import annotations

import mimetypes

from .comments import CommentStore
from .comments_model import Attachment, MultipartUpload, new_id
from .errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from .rooms import Room

MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024
MAX_PART_BYTES = 6 * 1024 * 1024  # the client's parts are 5 MiB
MAX_PARTS = 10_000
MAX_NAME = 255


class AttachmentNotFound(NotFound):
    default_code = "ATTACHMENT_NOT_FOUND"


def check_name(name: str) -> str:
    if not name or len(name) > MAX_NAME or "/" in name:
        raise InvalidInput(f"The file name must be 1-{MAX_NAME} characters without '/'")
    return name


def check_size(raw: str | None, *, required: bool = False) -> int | None:
    if raw is None:
        if required:
            raise InvalidInput("fileSize is required (the file's size in bytes)")
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise InvalidInput(f"fileSize must be a number of bytes, got {raw[:20]!r}")
    size = int(raw)
    if size > MAX_ATTACHMENT_BYTES:
        raise PayloadTooLarge(f"Attachments may be at most {MAX_ATTACHMENT_BYTES} bytes "
                              f"(fileSize is {size})", code="ATTACHMENT_TOO_LARGE")
    return size


def mime_type_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


class Attachments:
    def __init__(self, store: CommentStore) -> None:
        self.store = store

    def get(self, room: Room, attachment_id: str) -> Attachment:
        held = self.store.find(room)
        attachment = None if held is None else held.attachments.get(attachment_id)
        if attachment is None:
            raise AttachmentNotFound(f"Attachment '{attachment_id}' was not found in room "
                                     f"'{room.id}'")
        return attachment

    def find(self, room: Room, attachment_id: str) -> Attachment | None:
        held = self.store.find(room)
        return None if held is None else held.attachments.get(attachment_id)

    def upload(self, room: Room, attachment_id: str, name: str, data: bytes,
               user_id: str | None, declared_size: int | None) -> Attachment:
        check_name(name)
        if declared_size is not None and declared_size != len(data):
            raise InvalidInput(f"fileSize is {declared_size} but {len(data)} bytes were sent")
        return self._store(room, attachment_id, name, data, user_id)

    def _store(self, room: Room, attachment_id: str, name: str, data: bytes,
               user_id: str | None) -> Attachment:
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise PayloadTooLarge(f"Attachments may be at most {MAX_ATTACHMENT_BYTES} bytes",
                                  code="ATTACHMENT_TOO_LARGE")
        held = self.store.of(room)
        existing = held.attachments.get(attachment_id)
        if existing is not None:
            if existing.name != name or existing.size != len(data):
                raise Conflict(f"Attachment '{attachment_id}' already exists with another "
                               "name or size", code="ATTACHMENT_ALREADY_EXISTS")
            return existing
        attachment = Attachment(attachment_id, name, len(data), mime_type_of(name), data,
                                user_id, self.store.clock())
        held.attachments[attachment_id] = attachment
        return attachment

    # ------------------------------------------------------------ multipart

    def start_multipart(self, room: Room, attachment_id: str, name: str, size: int | None,
                        user_id: str | None) -> MultipartUpload:
        check_name(name)
        if self.find(room, attachment_id) is not None:
            raise Conflict(f"Attachment '{attachment_id}' already exists",
                           code="ATTACHMENT_ALREADY_EXISTS")
        upload = MultipartUpload(new_id("up"), attachment_id, name, size or 0, user_id)
        self.store.of(room).uploads[upload.upload_id] = upload
        return upload

    def _upload(self, room: Room, attachment_id: str, upload_id: str) -> MultipartUpload:
        held = self.store.find(room)
        upload = None if held is None else held.uploads.get(upload_id)
        if upload is None or upload.attachment_id != attachment_id:
            raise NotFound(f"Upload '{upload_id}' of attachment '{attachment_id}' was not found",
                           code="UPLOAD_NOT_FOUND")
        return upload

    def upload_part(self, room: Room, attachment_id: str, upload_id: str, part: str,
                    data: bytes) -> str:
        upload = self._upload(room, attachment_id, upload_id)
        if not part.isdigit() or not 1 <= int(part) <= MAX_PARTS:
            raise InvalidInput(f"partNumber must be between 1 and {MAX_PARTS}, got {part[:12]!r}")
        if len(data) > MAX_PART_BYTES:
            raise PayloadTooLarge(f"A part may be at most {MAX_PART_BYTES} bytes")
        total = sum(len(p) for n, p in upload.parts.items() if n != int(part)) + len(data)
        if total > MAX_ATTACHMENT_BYTES:
            raise PayloadTooLarge(f"Attachments may be at most {MAX_ATTACHMENT_BYTES} bytes",
                                  code="ATTACHMENT_TOO_LARGE")
        upload.parts[int(part)] = data
        return etag(upload_id, int(part), len(data))

    def complete(self, room: Room, attachment_id: str, upload_id: str, parts: object
                 ) -> Attachment:
        upload = self._upload(room, attachment_id, upload_id)
        if not isinstance(parts, list) or not parts:
            raise InvalidInput("parts must be a non-empty array of {partNumber, etag}")
        chunks: list[bytes] = []
        for index, entry in enumerate(parts):
            number = entry.get("partNumber") if isinstance(entry, dict) else None
            if (not isinstance(number, int) or isinstance(number, bool)
                    or number not in upload.parts):
                raise InvalidInput(f"parts[{index}].partNumber names no uploaded part")
            data = upload.parts[number]
            if entry.get("etag") != etag(upload_id, number, len(data)):
                raise InvalidInput(f"parts[{index}].etag does not match part {number}")
            chunks.append(data)
        attachment = self._store(room, attachment_id, upload.name, b"".join(chunks),
                                 upload.user_id)
        self.store.of(room).uploads.pop(upload_id, None)
        return attachment

    def abort(self, room: Room, attachment_id: str, upload_id: str) -> None:
        self._upload(room, attachment_id, upload_id)
        self.store.of(room).uploads.pop(upload_id, None)


def etag(upload_id: str, part: int, size: int) -> str:
    return f'"{upload_id}-{part}-{size}"'
