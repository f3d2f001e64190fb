"""A connection cut at each point of a storage op's trip, then a reconnect (issue 19).

tests/node/e2e_resent_ops.mjs drives two real clients, one through a proxy that loses,
holds or cuts frames at exact points (no sleeps): the op lost before the server, applied
but its answer lost, answered, or its frame reaching the server late on the dead connection
(before the storage fetch is answered, before the re-send, after it). Both clients and
``GET …/storage`` must end identical, with the change applied exactly once and nothing lost.
"""

from __future__ import annotations

import pytest

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script

WINDOWS = ["lost", "unacked", "acked", "late-early", "late", "late-after"]
KINDS = ["push", "insert", "move", "set", "delete", "mapSet", "objectUpdate", "batch"]


@pytest.mark.parametrize("kind", KINDS)
def test_cut_at_each_point_of_the_window(server: BackgroundServer, kind: str) -> None:
    out = run_script(server, "e2e_resent_ops.mjs", ROOM=f"resent-{kind}", KIND=kind)
    assert [result["window"] for result in out["results"]] == WINDOWS
    for result in out["results"]:
        where = f"{kind} / {result['window']}: {result['doc']}"
        assert result["converged"], where
        assert result["restEqualsClients"], where
        assert result["duplicates"] == [], where
        assert result["changeApplied"], where
        assert result["offlinePushKept"], where
        assert result["errors"] == [], where


@pytest.mark.parametrize("seeds", ["1-4", "5-8"])
def test_random_changes_with_random_cuts(server: BackgroundServer, seeds: str) -> None:
    """Property: random changes from two clients, each connection cut at a random window.

    Longer series: ``SEEDS=1-200 ROUNDS=3 BASE_URL=… node tests/node/e2e_resent_random.mjs``.
    """
    out = run_script(server, "e2e_resent_random.mjs", ROOM=f"resent-random-{seeds}", SEEDS=seeds, ROUNDS="3")
    assert len(out["results"]) == 4
    for result in out["results"]:
        where = f"seed {result['seed']}, windows {result['rounds']}"
        assert result["clientsEqual"], where
        assert result["restEqualsClients"], where
        assert result["duplicates"] == [], where
        assert result["witnessOk"], f"{where}: {result['log']}"
        assert result["errors"] == [], where
