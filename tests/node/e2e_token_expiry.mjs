// A live connection whose access token expires (the emulator started with a short token
// TTL) is closed with 4109; the client fetches a new token at once and carries on
// (env: BASE_URL, ROOM; ADVANCE_SECONDS: expire it by advancing the emulator's clock
// that much instead of waiting).
import { LiveList } from "@liveblocks/client";
import { waitFor } from "./lib.mjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, enter, must, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

async function main() {
  const endpoint = await startAuthEndpoint();
  const alice = await enter(e2eAuthClient(endpoint.url("alice")), ROOM, { initialStorage: { log: new LiveList([]) } });
  alice.root.get("log").push("before expiry");
  await waitConverged([alice]);
  const authCallsBefore = endpoint.calls.length;
  const clock = process.env.ADVANCE_SECONDS
    ? await must("POST", "/_emulator/clock", { advanceSeconds: Number(process.env.ADVANCE_SECONDS) })
    : undefined;
  const started = Date.now();
  await waitFor(() => alice.seen.statuses.includes("reconnecting") && alice.room.getStatus() === "connected", "a new token and a reconnection", 10000);
  const reconnectedAfter = (Date.now() - started) / 1000;
  alice.root.get("log").push("after expiry");
  const doc = await waitConverged([alice]);
  const out = {
    reconnectedAfter,
    statuses: alice.seen.statuses,
    authCallsBefore,
    authCalls: endpoint.calls.length,
    clock,
    doc,
    rest: await restStorage(ROOM),
    errors: alice.seen.errors,
  };
  alice.leave();
  endpoint.close();
  return out;
}

runE2E(main);
