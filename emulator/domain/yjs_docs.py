"""Each room's Yjs documents: the root document and the subdocuments it references.

The engine is pycrdt (Rust yrs). Only v1 updates reach it: pycrdt has no v2 decoder, and
it would read v2 bytes as an empty v1 update without complaint (YJS.md §4.2), so v1 input
is checked to be exactly a v1 update before it is applied.

A subdocument's content lives in its own ``Doc`` keyed by its guid; it is addressable
while the root references it (the provider only ever loads direct subdocuments).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from typing import Any, TypeAlias, TypeVar, cast

from pycrdt import Doc, SubdocsEvent

from .errors import InvalidInput
from .room_keyed_reset import RoomKeyedBaseline
from .rooms import Room, RoomStore
from .yjs_hash import snapshot_hash
from .yjs_versions import VersionHistory

EMPTY_UPDATE = b"\x00\x00"
EMPTY_STATE_VECTOR = b"\x00"
# How the REST API and fixtures name the root document when a guid is expected.
ROOT_GUID = "root"

YDoc: TypeAlias = "Doc[Any]"
T = TypeVar("T")
MEMO_ENTRIES = 16


class YjsUpdateError(InvalidInput):
    """Bytes that are not a Yjs update this emulator can apply; the document is unchanged."""

    default_code = "UNPROCESSABLE_ENTITY"


class UnknownSubdoc(InvalidInput):
    default_code = "UNPROCESSABLE_ENTITY"

    def __init__(self, guid: str) -> None:
        super().__init__(f"YDoc with guid {guid} not found")


def engine_failure(error: BaseException) -> bool:
    """True for what pycrdt raises on bytes it cannot take: ValueError, RuntimeError, and a
    Rust panic (pyo3's PanicException derives from BaseException, not Exception)."""
    return not isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit)


def b64decode(text: str) -> bytes | None:
    """Standard or URL-safe base64, padded or not (what js-base64 accepts); None if not."""
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _varuint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _is_struct_free_v1(update: bytes) -> bool:
    """True for bytes that hold no structs and are exactly a v1 delete set (e.g. ``00 00``).

    A v2 update starts with a 0 that a v1 reader takes for "no structs" and then reads
    its column buffers as a delete set: such bytes rarely end where a delete set ends.
    """
    try:
        count, pos = _varuint(update, 0)
        if count != 0:
            return False
        clients, pos = _varuint(update, pos)
        for _ in range(clients):
            _, pos = _varuint(update, pos)
            ranges, pos = _varuint(update, pos)
            for _ in range(2 * ranges):
                _, pos = _varuint(update, pos)
    except ValueError:
        return False
    return pos == len(update)


def check_v1_update(update: bytes) -> None:
    """Refuse bytes that are not a v1 update (YjsUpdateError), before pycrdt sees them."""
    if not update:
        raise YjsUpdateError("The update is empty; a Yjs update has at least two bytes")
    if update[0] == 0 and not _is_struct_free_v1(update):
        raise YjsUpdateError(
            "The bytes are not a Yjs v1 update (a v2 update sent as v1?)",
            suggestion="Send a v1 update (Y.encodeStateAsUpdate); v2 updates are not supported",
        )


class RoomYDocs:
    """The root document of one room and its loaded subdocuments."""

    def __init__(self) -> None:
        self.root: YDoc = Doc()
        self.subdocs: dict[str, YDoc] = {}
        self.history = VersionHistory()
        # What the browser client reported (/v2/c/…): its editor, and the text mentions.
        self.text_editor: dict[str, str] | None = None
        self.text_mentions: dict[str, dict[str, Any]] = {}
        self._subscription = self.root.observe_subdocs(self._on_subdocs)
        # Each document's hashes (v1, v2 flavour) until it next changes, by id(doc).
        self._hashes: dict[int, dict[bool, str]] = {}
        # Renderings of a document state (REST reads of a big document are costly).
        self._memo: dict[tuple[Any, ...], tuple[str, Any]] = {}

    def _on_subdocs(self, event: SubdocsEvent) -> None:
        for guid in event.added:  # type: ignore[attr-defined]
            self.subdocs.setdefault(str(guid), Doc())
        for guid in event.removed:  # type: ignore[attr-defined]
            removed = self.subdocs.pop(str(guid), None)
            if removed is not None:
                self._hashes.pop(id(removed), None)

    def doc(self, guid: str | None) -> YDoc | None:
        """The root (no guid, or ``"root"``), a referenced subdocument, or None."""
        if guid is None or guid == ROOT_GUID:
            return self.root
        return self.subdocs.get(guid)

    def require(self, guid: str | None) -> YDoc:
        doc = self.doc(guid)
        if doc is None:
            assert guid is not None
            raise UnknownSubdoc(guid)
        return doc

    def apply(self, doc: YDoc, update: bytes) -> bool:
        """Apply a v1 update; True when the document changed. YjsUpdateError: unchanged."""
        check_v1_update(update)
        # The v1 hash covers the state vector and the delete set: it changes iff the doc does.
        before = self.hash(doc)
        # yrs can panic half-way through an update it cannot take and leave the document
        # broken (every later read panics too): try it on a copy first, and touch the live
        # document only with an update that went through. The copy costs O(document).
        trial: YDoc = Doc()
        try:
            trial.apply_update(doc.get_update())
            trial.apply_update(update)
        except BaseException as error:
            if not engine_failure(error):
                raise
            reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
            raise YjsUpdateError(f"The bytes are not a Yjs update: {reason}") from None
        try:
            doc.apply_update(update)
        finally:
            self._hashes.pop(id(doc), None)
        return self.hash(doc) != before

    @staticmethod
    def diff(doc: YDoc, vector: bytes | None) -> bytes:
        """What a client with this state vector lacks (everything if the vector is unreadable)."""
        if vector:
            try:
                return bytes(doc.get_update(vector))
            except BaseException as error:  # an unreadable vector: send everything
                if not engine_failure(error):
                    raise
        return bytes(doc.get_update())

    @staticmethod
    def state_vector(doc: YDoc) -> bytes:
        return bytes(doc.get_state())

    def hash(self, doc: YDoc, *, v2: bool = False) -> str:
        """The document's ``remoteSnapshotHash`` (v1 or v2 snapshot flavour)."""
        cached = self._hashes.setdefault(id(doc), {})
        value = cached.get(v2)
        if value is None:
            value = cached[v2] = snapshot_hash(doc, v2=v2)
        return value

    def memoized(self, doc: YDoc, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` for this state of ``doc``, reused until the document changes."""
        state = self.hash(doc)
        full_key = (id(doc), *key)
        cached = self._memo.get(full_key)
        if cached is not None and cached[0] == state:
            value: T = cached[1]
            return value
        if len(self._memo) >= MEMO_ENTRIES:
            self._memo.clear()
        result = compute()
        self._memo[full_key] = (state, result)
        return result

    def updates(self) -> dict[str, str]:
        """The documents as base64 v1 updates, by guid (``"root"`` for the root)."""
        saved = {ROOT_GUID: b64encode(bytes(self.root.get_update()))}
        for guid, subdoc in sorted(self.subdocs.items()):
            update = bytes(subdoc.get_update())
            if update != EMPTY_UPDATE:
                saved[guid] = b64encode(update)
        return saved

    def is_empty(self) -> bool:
        return bytes(self.root.get_update()) == EMPTY_UPDATE

    def load(self, updates: dict[str, bytes]) -> None:
        """Apply saved updates: the root first, so that it names its subdocuments."""
        root = updates.get(ROOT_GUID)
        if root is not None:
            self.root.apply_update(root)
        for guid, update in updates.items():
            if guid != ROOT_GUID:
                self.subdocs.setdefault(guid, Doc()).apply_update(update)
        self._hashes.clear()


def decode_saved(updates: Any, where: str) -> dict[str, bytes]:
    """Check a fixture's ``yjs`` entry: ``{guid: base64 v1 update}`` (InvalidInput)."""
    if not isinstance(updates, dict):
        raise InvalidInput(f"{where} must be an object of base64 v1 updates by guid ('root', …)")
    decoded: dict[str, bytes] = {}
    for guid, text in updates.items():
        raw = b64decode(text) if isinstance(text, str) else None
        if raw is None:
            raise InvalidInput(f"{where}.{guid} must be a base64 string")
        check_v1_update(raw)
        try:
            Doc().apply_update(raw)
        except BaseException as error:
            if not engine_failure(error):
                raise
            raise InvalidInput(f"{where}.{guid} is not a Yjs update") from None
        decoded[guid] = raw
    return decoded


class YjsStore:
    """Every room's Yjs documents, keyed by the Room object (so a rename keeps them)."""

    def __init__(self) -> None:
        self._docs: dict[object, RoomYDocs] = {}

    def docs(self, room: object) -> RoomYDocs:
        """The room's documents, created empty on first use."""
        docs = self._docs.get(room)
        if docs is None:
            docs = self._docs[room] = RoomYDocs()
        return docs

    def find(self, room: object) -> RoomYDocs | None:
        return self._docs.get(room)

    def drop(self, room: object) -> None:
        self._docs.pop(room, None)

    def clear(self) -> None:
        self._docs.clear()

    def __iter__(self) -> Iterator[tuple[object, RoomYDocs]]:
        return iter(self._docs.items())



def yjs_baseline(yjs: YjsStore, rooms: RoomStore) -> RoomKeyedBaseline[dict[str, bytes]]:
    """The Yjs documents' part in the incremental reset (domain/room_keyed_reset.py)."""

    def save(room: Room) -> dict[str, bytes] | None:
        docs = yjs.find(room)
        if docs is None or docs.is_empty():
            return None
        return {guid: b64decode(text) or b"" for guid, text in docs.updates().items()}

    return RoomKeyedBaseline(
        yjs, rooms,
        held=lambda: [cast(Room, room) for room, _ in yjs],
        save=save,
        put_back=lambda room, updates: yjs.docs(room).load(updates),
        drop=yjs.drop,
    )
