"""The ``remoteSnapshotHash`` of a Yjs document, byte for byte as the JS ``yjs`` computes it.

``@liveblocks/yjs`` marks a provider "synchronized" only when the hash the server sends
equals ``base64(sha256(Y.encodeSnapshot(Y.snapshot(doc))))`` of its own document (YJS.md
§4.3). pycrdt encodes the same snapshot (delete set, then state vector) but in yrs' hash-map
order, so the bytes are parsed, sorted the way Yjs sorts them (clients descending, ranges by
clock, adjacent ranges merged) and written again, in the v1 or the v2 delete-set flavour.
"""

from __future__ import annotations

import base64
import hashlib

from pycrdt import Doc, Snapshot

# A snapshot: {client: [(clock, length), …]} deletions, and {client: clock} state vector.
DeleteSet = dict[int, list[tuple[int, int]]]
StateVector = dict[int, int]


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def varuint(self) -> int:
        value = 0
        shift = 0
        while True:
            if self.pos >= len(self.data):
                raise ValueError("truncated varuint")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7


def _write_varuint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)


def parse_snapshot_v1(data: bytes) -> tuple[DeleteSet, StateVector]:
    """The delete set and state vector of a v1-encoded snapshot."""
    reader = _Reader(data)
    deletes: DeleteSet = {}
    for _ in range(reader.varuint()):
        client = reader.varuint()
        ranges = deletes.setdefault(client, [])
        for _ in range(reader.varuint()):
            clock = reader.varuint()
            ranges.append((clock, reader.varuint()))
    vector: StateVector = {}
    for _ in range(reader.varuint()):
        client = reader.varuint()
        vector[client] = reader.varuint()
    return deletes, vector


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for clock, length in sorted(ranges):
        if merged and merged[-1][0] + merged[-1][1] >= clock:
            start, old = merged[-1]
            merged[-1] = (start, max(old, clock + length - start))
        else:
            merged.append((clock, length))
    return merged


def encode_snapshot(deletes: DeleteSet, vector: StateVector, *, v2: bool = False) -> bytes:
    """``Y.encodeSnapshot`` (or ``encodeSnapshotV2``) of this delete set and state vector."""
    out = bytearray()
    clients = [client for client in sorted(deletes, reverse=True) if deletes[client]]
    _write_varuint(out, len(clients))
    for client in clients:
        ranges = _merged(deletes[client])
        _write_varuint(out, client)
        _write_varuint(out, len(ranges))
        current = 0
        for clock, length in ranges:
            if v2:
                _write_varuint(out, clock - current)
                _write_varuint(out, length - 1)
                current = clock + length
            else:
                _write_varuint(out, clock)
                _write_varuint(out, length)
    _write_varuint(out, len(vector))
    for client in sorted(vector, reverse=True):
        _write_varuint(out, client)
        _write_varuint(out, vector[client])
    return bytes(out)


def snapshot_hash(doc: Doc, *, v2: bool = False) -> str:  # type: ignore[type-arg]
    """Liveblocks' ``remoteSnapshotHash`` of ``doc`` (standard base64 of a sha256)."""
    deletes, vector = parse_snapshot_v1(Snapshot.from_doc(doc).encode())
    digest = hashlib.sha256(encode_snapshot(deletes, vector, v2=v2)).digest()
    return base64.b64encode(digest).decode("ascii")


EMPTY_HASH = base64.b64encode(hashlib.sha256(b"\x00\x00").digest()).decode("ascii")
