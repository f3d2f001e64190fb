"""Five real clients make 200 random storage changes each at once; all end identical."""

from __future__ import annotations

import httpx
import pytest

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


@pytest.mark.parametrize("seed", [1, 2])
def test_five_clients_converge(server: BackgroundServer, http: httpx.Client, seed: int) -> None:
    room = f"converge-{seed}"
    out = run_script(server, "e2e_convergence.mjs", ROOM=room, SEED=str(seed), CLIENTS="5", OPS="200")
    assert out["opCount"] == 1000
    # Every kind of change was made, on shared and on owned lists.
    kinds = {
        "list.push", "list.insert", "list.move", "list.delete",
        "ownList.set", "ownList.move", "map.set", "map.delete",
        "object.set", "object.update", "object.delete", "object.setLive",
    }
    assert kinds <= set(out["mix"])
    assert out["clientsEqual"] is True
    assert out["restEqualsClients"] is True
    assert out["errors"] == []
    assert http.get(f"/v2/rooms/{room}/storage").json() == out["doc"]
