"""The official Python SDK reads and writes room storage against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from liveblocks import Liveblocks, LiveblocksError
from liveblocks.models.add_json_patch_operation import AddJsonPatchOperation
from liveblocks.models.copy_json_patch_operation import CopyJsonPatchOperation
from liveblocks.models.create_room_request_body import CreateRoomRequestBody
from liveblocks.models.get_storage_document_format import GetStorageDocumentFormat
from liveblocks.models.initialize_storage_document_body import InitializeStorageDocumentBody
from liveblocks.models.move_json_patch_operation import MoveJsonPatchOperation
from liveblocks.models.remove_json_patch_operation import RemoveJsonPatchOperation
from liveblocks.models.replace_json_patch_operation import ReplaceJsonPatchOperation
from liveblocks.models.test_json_patch_operation import (
    TestJsonPatchOperation as JsonPatchTestOperation,  # not a pytest class
)

from tests.api.test_storage_http import SEED_DOC

JSON_VIEW = {"aLiveObject": {"a": 1}, "aLiveList": ["a", "b"], "aLiveMap": {"a": 1, "b": 2}}


def room(sdk: Liveblocks, room_id: str) -> None:
    sdk.create_room(
        body=CreateRoomRequestBody.from_dict({"id": room_id, "defaultAccesses": ["room:write"]})
    )


def initialize(sdk: Liveblocks, room_id: str, document: dict[str, Any]) -> dict[str, Any]:
    body = InitializeStorageDocumentBody.from_dict(document)
    return sdk.initialize_storage_document(room_id, body=body).to_dict()


def test_initialize_and_get_in_both_formats(sdk: Liveblocks) -> None:
    room(sdk, "storage")
    assert initialize(sdk, "storage", SEED_DOC) == SEED_DOC
    assert sdk.get_storage_document("storage").to_dict() == SEED_DOC
    plain = sdk.get_storage_document("storage", format_=GetStorageDocumentFormat.PLAIN_LSON)
    assert plain.to_dict() == SEED_DOC
    json_view = sdk.get_storage_document("storage", format_=GetStorageDocumentFormat.JSON)
    assert json_view.to_dict() == JSON_VIEW


def test_delete_then_initialize_again(sdk: Liveblocks) -> None:
    room(sdk, "again")
    initialize(sdk, "again", SEED_DOC)
    with pytest.raises(LiveblocksError) as info:
        initialize(sdk, "again", SEED_DOC)
    assert info.value.status == 409 and info.value.args[0]
    assert sdk.delete_storage_document("again") is None
    empty = {"liveblocksType": "LiveObject", "data": {}}
    assert sdk.get_storage_document("again").to_dict() == empty
    assert initialize(sdk, "again", SEED_DOC) == SEED_DOC


def test_patch_storage_document(sdk: Liveblocks) -> None:
    room(sdk, "patched")
    initialize(sdk, "patched", SEED_DOC)
    result = sdk.patch_storage_document(
        "patched",
        body=[
            JsonPatchTestOperation(op="test", path="/aLiveObject/a", value=1),
            ReplaceJsonPatchOperation(op="replace", path="/aLiveObject/a", value=2),
            AddJsonPatchOperation(op="add", path="/aLiveList/-", value={"c": [1]}),
            RemoveJsonPatchOperation(op="remove", path="/aLiveMap/b"),
            MoveJsonPatchOperation(op="move", from_="/aLiveList/0", path="/first"),
            CopyJsonPatchOperation(op="copy", from_="/first", path="/aLiveMap/copied"),
        ],
    )
    assert result is None
    assert sdk.get_storage_document("patched", format_=GetStorageDocumentFormat.JSON).to_dict() == {
        "aLiveObject": {"a": 2},
        "aLiveList": ["b", {"c": [1]}],
        "aLiveMap": {"a": 1, "copied": "a"},
        "first": "a",
    }
    # The added object became a LiveObject holding a LiveList.
    added = sdk.get_storage_document("patched").to_dict()["data"]["aLiveList"]["data"][1]
    assert added == {
        "liveblocksType": "LiveObject",
        "data": {"c": {"liveblocksType": "LiveList", "data": [1]}},
    }


def test_a_failing_patch_raises_and_changes_nothing(sdk: Liveblocks) -> None:
    room(sdk, "failing")
    initialize(sdk, "failing", SEED_DOC)
    with pytest.raises(LiveblocksError) as info:
        sdk.patch_storage_document(
            "failing",
            body=[
                AddJsonPatchOperation(op="add", path="/new", value=1),
                JsonPatchTestOperation(op="test", path="/aLiveObject/a", value=99),
            ],
        )
    assert info.value.status == 422
    assert "patch[1]" in info.value.args[0]
    assert sdk.get_storage_document("failing").to_dict() == SEED_DOC


def test_storage_of_a_missing_room_raises_404(sdk: Liveblocks) -> None:
    calls = [
        lambda: sdk.get_storage_document("nope"),
        lambda: initialize(sdk, "nope", SEED_DOC),
        lambda: sdk.delete_storage_document("nope"),
        lambda: sdk.patch_storage_document("nope", body=[]),
    ]
    for call in calls:
        with pytest.raises(LiveblocksError) as info:
            call()
        assert info.value.status == 404
        assert "nope" in info.value.args[0]
