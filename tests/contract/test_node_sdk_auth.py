"""The official Node SDK gets working tokens, and the official client agrees with our permissions."""

from __future__ import annotations

import json
import pathlib
import random
from typing import Any

from emulator.domain.permissions import (
    ROOM_PERMISSIONS,
    access_from_access_token,
    access_from_id_token,
    access_from_scopes,
)
from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore
from emulator.domain.tokens import TokenKind, verify_token
from emulator.server import BackgroundServer
from tests.nodejs import run_node


def claims_of(server: BackgroundServer, response: dict[str, Any]) -> Any:
    assert response["status"] == 200, response
    token = json.loads(response["body"])["token"]
    config = server.state.config
    return verify_token(token, config.effective_signing_key, server.state.clock() // 1000)


def test_node_sdk_tokens(server: BackgroundServer) -> None:
    out = run_node("auth_sdk.mjs", BASE_URL=server.base_url, SECRET="sk_localdev")

    access = claims_of(server, out["access"])
    assert access.kind is TokenKind.ACCESS
    assert access.user_id == "alice"
    assert access.user_info == {"name": "Alice"}
    assert access.organization_id == "acme"
    # session.FULL_ACCESS is the SDK's deprecated alias of ["*:write"].
    assert access.permissions == {"room-1": ["*:write"], "org:*": ["*:read", "comments:write"]}
    assert access.expires_at - access.issued_at == server.state.config.token_ttl_seconds
    again = claims_of(server, out["again"])
    assert again.token_id != access.token_id

    identity = claims_of(server, out["identity"])
    assert identity.kind is TokenKind.ID
    assert (identity.user_id, identity.group_ids) == ("bob", ["engineering", "product"])
    assert identity.user_info == {"name": "Bob"}
    by_string = claims_of(server, out["identityByString"])
    assert (by_string.user_id, by_string.group_ids, by_string.user_info) == ("carol", [], None)

    for name in ("wrongSecret", "wrongSecretIdentity"):
        assert out[name]["status"] == 403
        assert json.loads(out[name]["body"])["message"]


# ------------------------------------------------------------------ the client's own rules

PERMISSIONS = sorted(ROOM_PERMISSIONS)


def random_scopes(rng: random.Random) -> list[str]:
    return rng.sample(PERMISSIONS, rng.randint(0, 4))


def test_the_client_derives_our_rights_from_our_scopes(server: BackgroundServer, tmp_path: pathlib.Path) -> None:
    """Whatever access we compute, the client reads the same rights from its scopes.

    And an ID token's merge of room defaults, group and user accesses gives what
    @liveblocks/core's own ``mergeRoomPermissionScopes`` gives.
    """
    rng = random.Random(20260101)
    accesses = [access_from_scopes(random_scopes(rng)) for _ in range(300)]
    for _ in range(200):  # several patterns matching one room
        perms = {p: random_scopes(rng) for p in rng.sample(["*", "r*", "ro*", "room", "x*"], 3)}
        accesses.append(access_from_access_token(perms, "room"))
    merges: list[dict[str, Any]] = []
    rooms = RoomStore(lambda: 0)
    for index in range(300):
        groups = {f"g{n}": random_scopes(rng) for n in range(rng.randint(0, 3))}
        user = random_scopes(rng)
        room = rooms.create(RoomCreation(
            id=f"r{index}", default_accesses=random_scopes(rng), users_accesses={"u": user},
            groups_accesses=groups,
        ))
        accesses.append(access_from_id_token(room, "u", list(groups)))
        merges.append({"defaultAccesses": room.default_accesses,
                       "groupsAccesses": list(groups.values()), "userAccesses": user})
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"scopeLists": [a.scopes for a in accesses], "merges": merges}))

    out = run_node("auth_sdk.mjs", MODE="permissions", CASES_FILE=str(cases))

    # The sample is varied: entry, storage and comment rights each go both ways.
    for right in ("enter", "writeStorage", "writeComments"):
        assert {c[right] for c in out["scopeLists"]} == {True, False}
    for access, client in zip(accesses, out["scopeLists"], strict=True):
        assert set(access.scopes) <= ROOM_PERMISSIONS
        ours = {"enter": access.may_enter, "readStorage": access.may_read_storage,
                "writeStorage": access.may_write_storage, "writeComments": access.may_write_comments}
        assert ours == client, access.scopes
    id_accesses = accesses[-len(merges):]
    for access, client in zip(id_accesses, out["merges"], strict=True):
        assert access.scopes == client["scopes"]
        assert access.may_enter == client["enter"] and access.may_write_storage == client["writeStorage"]
