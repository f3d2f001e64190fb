"""The official Python SDK's Yjs and version-history calls against the emulator."""

from __future__ import annotations

import io

from liveblocks import Liveblocks
from liveblocks.models.create_room_request_body import CreateRoomRequestBody
from liveblocks.types import File
from pycrdt import Doc, Text


def test_python_sdk_yjs_round_trip(sdk: Liveblocks) -> None:
    sdk.create_room(body=CreateRoomRequestBody.from_dict({"id": "py-yjs", "defaultAccesses": []}))
    doc: Doc = Doc()  # type: ignore[type-arg]
    doc.get("t", type=Text).insert(0, "from python")
    sdk.send_yjs_binary_update("py-yjs", body=File(payload=io.BytesIO(doc.get_update())))
    assert sdk.get_yjs_document("py-yjs").to_dict() == {"t": "from python"}
    assert sdk.get_yjs_document("py-yjs", formatting=False).to_dict() == {"t": "from python"}
    binary = sdk.get_yjs_document_as_binary_update("py-yjs")
    copy = Doc()
    copy.apply_update(binary.payload.read())
    assert str(copy.get("t", type=Text)) == "from python"

    created = sdk.create_version_history_snapshot("py-yjs")
    history = sdk.get_version_history("py-yjs")
    assert [version.id for version in history.data] == [created.data.id]
    version = sdk.get_yjs_version("py-yjs", created.data.id)
    assert version.payload.read() == binary_of(sdk)
    sdk.delete_version("py-yjs", created.data.id)
    assert sdk.get_version_history("py-yjs").data == []


def binary_of(sdk: Liveblocks) -> bytes:
    data: bytes = sdk.get_yjs_document_as_binary_update("py-yjs").payload.read()
    return data
