// What REST changes to a room do to the real clients in it (env: BASE_URL, ROOM, SCENARIO):
// storage reset (delete, initialize) -> they reconnect and refetch, and agree;
// room deleted -> they stop with 4999; room renamed -> they stop with 4006.
import { LiveList, LiveObject } from "@liveblocks/client";
import { rest, sleep, waitFor, waitForStatus } from "./lib.mjs";
import { e2ePublicClient, enter, must, restStorage, roomUrl, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

// Wait until the room went through a reconnection (a "reconnecting" status) and is back.
async function reconnected(entered) {
  await waitFor(() => entered.seen.statuses.includes("reconnecting"), "a reconnection");
  await waitForStatus(entered.room, "connected");
}

// Clients that asked for initialStorage write it again into the emptied document.
async function deleteStorage() {
  const room = `${ROOM}-delete`;
  const initialStorage = () => ({ list: new LiveList([]), meta: new LiveObject({ v: 0 }) });
  const a = await enter(e2ePublicClient(), room, { initialStorage: initialStorage() });
  await waitConverged([a]);
  const b = await enter(e2ePublicClient(), room, { initialStorage: initialStorage() });
  a.root.get("list").push("old");
  a.root.set("gone", true);
  await waitConverged([a, b]);
  await must("DELETE", `${roomUrl(room)}/storage`);
  await Promise.all([reconnected(a), reconnected(b)]);
  const doc = await waitFor(async () => {
    const converged = await waitConverged([a, b]);
    return converged.data.list && converged.data.gone === undefined ? converged : undefined;
  }, "the refetched storage");
  // The clients are live again: a change still reaches the other.
  b.root.get("list").push("new");
  const after = await waitConverged([a, b]);
  const out = { doc, after, rest: await restStorage(room), errors: [...a.seen.errors, ...b.seen.errors] };
  a.leave();
  b.leave();
  return out;
}

// Clients without initialStorage take whatever the server now holds.
async function replaceStorage() {
  const room = `${ROOM}-replace`;
  await must("POST", "/v2/rooms", { id: room, defaultAccesses: ["room:write"] });
  const lson = (version) => ({ liveblocksType: "LiveObject", data: { version, items: { liveblocksType: "LiveList", data: [version] } } });
  await must("POST", `${roomUrl(room)}/storage`, lson(1));
  const a = await enter(e2ePublicClient(), room);
  const b = await enter(e2ePublicClient(), room);
  const before = await waitConverged([a, b]);
  await must("DELETE", `${roomUrl(room)}/storage`);
  await must("POST", `${roomUrl(room)}/storage`, lson(2));
  const doc = await waitFor(async () => {
    const converged = await waitConverged([a, b]);
    return converged.data.version === 2 ? converged : undefined;
  }, "the new storage at both clients");
  const out = { before, doc, rest: await restStorage(room), statuses: a.seen.statuses, errors: [...a.seen.errors, ...b.seen.errors] };
  a.leave();
  b.leave();
  return out;
}

// Deleted or renamed: the client stops for good (and does not recreate the room).
async function stops(suffix, change) {
  const room = `${ROOM}-${suffix}`;
  const a = await enter(e2ePublicClient(), room, { storage: false });
  await change(room);
  await waitForStatus(a.room, "disconnected");
  await sleep(700); // longer than the first reconnection backoff (250 ms)
  const out = {
    status: a.room.getStatus(),
    statuses: a.seen.statuses,
    errors: a.seen.errors,
    roomStatus: (await rest("GET", roomUrl(room))).status,
  };
  a.leave();
  return out;
}

const SCENARIOS = {
  deleteStorage,
  replaceStorage,
  deleteRoom: () => stops("deleted", (room) => must("DELETE", roomUrl(room), undefined, 204)),
  renameRoom: () => stops("renamed", (room) => must("POST", `${roomUrl(room)}/update-room-id`, { newRoomId: `${room}-new` })),
};

runE2E(() => SCENARIOS[process.env.SCENARIO]());

