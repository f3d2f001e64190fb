// Real clients make the events webhooks report (env: BASE_URL, ROOM): alice enters a room
// that does not exist (roomCreated, userEntered), bob joins, both write storage, bob leaves,
// then alice (userLeft twice). Identities come from an auth endpoint (@liveblocks/node).
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, enter, runE2E, waitConverged, waitOthers } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

async function main() {
  const endpoint = await startAuthEndpoint();
  const alice = await enter(e2eAuthClient(endpoint.url("alice")), ROOM, { initialStorage: { count: 0 } });
  const bob = await enter(e2eAuthClient(endpoint.url("bob")), ROOM, { initialStorage: { count: 0 } });
  await waitOthers(alice.room, (others) => others.length === 1, "bob at alice");
  const connections = { alice: alice.room.getSelf().connectionId, bob: bob.room.getSelf().connectionId };
  alice.root.set("count", 1);
  bob.root.set("count", 2);
  await waitConverged([alice, bob]);
  bob.leave();
  await waitOthers(alice.room, (others) => others.length === 0, "bob gone");
  alice.leave();
  return { connections, count: alice.root.get("count") };
}

runE2E(main);
