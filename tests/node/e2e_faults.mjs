// Injected WebSocket faults seen by two real clients (env: BASE_URL, ROOM, SCENARIO):
// drop   - alice's connection is dropped; she edits while disconnected, bob edits too;
//          she reconnects and both converge with every edit exactly once.
// restart - a simulated server restart (1012): both reconnect, the storage is kept.
// latency - a room with jittered latency both ways: presence and storage still flow, nobody
//          leaves, no reconnection.
// pause  - the room's delivery is paused: alice's edit is held (not applied) until resumed.
import { LiveList } from "@liveblocks/client";
import { waitFor } from "./lib.mjs";
import { e2ePublicClient, enter, must, othersOf, restStorage, runE2E, waitConverged, waitOthers } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;
const fault = (body) => must("POST", "/_emulator/faults", body);

async function pair() {
  const options = { initialStorage: { log: new LiveList([]) } };
  const alice = await enter(e2ePublicClient(), ROOM, { ...options, initialPresence: { name: "alice" } });
  const bob = await enter(e2ePublicClient(), ROOM, { ...options, initialPresence: { name: "bob" } });
  await waitOthers(alice.room, (others) => others.length === 1, "bob at alice's");
  await waitOthers(bob.room, (others) => others.length === 1, "alice at bob's");
  return [alice, bob];
}


async function drop(alice, bob) {
  alice.root.get("log").push("a-online");
  await waitConverged([alice, bob]);
  const dropped = await fault({ kind: "ws-drop", roomId: ROOM, connectionId: alice.room.getSelf().connectionId });
  await waitFor(() => alice.room.getStatus() !== "connected", "alice to notice the drop");
  // Made while disconnected: the client keeps them and sends them once back.
  alice.root.get("log").push("a-offline-1");
  alice.root.get("log").push("a-offline-2");
  bob.root.get("log").push("b-meanwhile");
  await waitFor(() => alice.room.getStatus() === "connected", "alice to reconnect");
  const doc = await waitConverged([alice, bob]);
  return { dropped, doc, items: doc.data.log.data, rest: await restStorage(ROOM) };
}

async function restart(alice, bob) {
  alice.root.get("log").push("before restart");
  await waitConverged([alice, bob]);
  const restarted = await fault({ kind: "server-restart" });
  await waitFor(() => alice.seen.statuses.includes("reconnecting") && bob.seen.statuses.includes("reconnecting"), "both to notice the restart");
  await waitFor(() => alice.room.getStatus() === "connected" && bob.room.getStatus() === "connected", "both to reconnect");
  bob.root.get("log").push("after restart");
  const doc = await waitConverged([alice, bob]);
  return { restarted, doc, rest: await restStorage(ROOM) };
}

async function latency(alice, bob) {
  const added = await fault({ kind: "ws-latency", roomId: ROOM, latencyMs: 150, jitterMs: 100, seed: 7 });
  alice.room.updatePresence({ cursor: { x: 1 } });
  bob.root.get("log").push("slow-1");
  alice.root.get("log").push("slow-2");
  const othersAtBob = await waitOthers(bob.room, (others) => others[0]?.presence.cursor?.x === 1, "alice's cursor at bob's");
  const doc = await waitConverged([alice, bob]);
  await must("DELETE", `/_emulator/faults/${added.id}`, undefined, 204);
  return { added, othersAtBob, othersAtAlice: othersOf(alice.room), doc };
}

async function pause(alice, bob) {
  const paused = await fault({ kind: "ws-pause", roomId: ROOM, direction: "incoming" });
  alice.root.get("log").push("held");
  const held = await waitFor(async () => {
    const { data } = await must("GET", "/_emulator/faults");
    return data[0].heldFrames > 0 && data[0];
  }, "alice's frame to be held");
  const restWhilePaused = await restStorage(ROOM);
  await must("DELETE", `/_emulator/faults/${paused.id}`, undefined, 204);
  const doc = await waitConverged([alice, bob]);
  return { held, restWhilePaused, doc, rest: await restStorage(ROOM) };
}

async function main() {
  const [alice, bob] = await pair();
  const scenario = { drop, restart, latency, pause }[process.env.SCENARIO];
  const out = await scenario(alice, bob);
  out.statusesA = alice.seen.statuses;
  out.statusesB = bob.seen.statuses;
  out.errors = [...alice.seen.errors, ...bob.seen.errors];
  alice.leave();
  bob.leave();
  return out;
}

runE2E(main);
