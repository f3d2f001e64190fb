// The test's clock expires a live access token: the emulator (tokens of 20 s) is asked to
// advance its clock 21 s; the connection is closed with 4109, the client fetches a new
// token from its auth endpoint and carries on, with no waiting (env: BASE_URL, ROOM).
import { LiveList } from "@liveblocks/client";
import { waitFor } from "./lib.mjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, enter, must, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;
const ADVANCE = Number(process.env.ADVANCE_SECONDS);

async function main() {
  const endpoint = await startAuthEndpoint();
  const alice = await enter(e2eAuthClient(endpoint.url("alice")), ROOM, { initialStorage: { log: new LiveList([]) } });
  alice.root.get("log").push("before expiry");
  await waitConverged([alice]);
  const callsBefore = endpoint.calls.length;
  const clock = await must("POST", "/_emulator/clock", { advanceSeconds: ADVANCE });
  await waitFor(() => alice.seen.statuses.includes("reconnecting") && alice.room.getStatus() === "connected", "a new token and a reconnection", 10000);
  alice.root.get("log").push("after expiry");
  const doc = await waitConverged([alice]);
  const out = {
    clock,
    statuses: alice.seen.statuses,
    authCallsBefore: callsBefore,
    authCalls: endpoint.calls.length,
    doc,
    rest: await restStorage(ROOM),
    errors: alice.seen.errors,
  };
  alice.leave();
  endpoint.close();
  return out;
}

runE2E(main);
