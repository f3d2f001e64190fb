// A connection loss at each point of a storage op's trip, then a reconnect: the op must end up
// applied exactly once, and both clients and the REST view must hold one document.
//
// Client 1 talks to the emulator through a proxy (ws_proxy.mjs) that makes the cut; client 2
// connects directly. For each WINDOW (env WINDOWS, comma-separated; all by default):
//   lost        the op's frame is lost before the server gets it;
//   unacked     the server applied it, its echo/ACK is lost, then the connection dies;
//   acked       the echo arrived, then the connection dies;
//   late-early  the frame was still on the wire when the client gave up the socket: it reaches
//               the server (on the old, half-open connection) after the client reconnected,
//               before the server answered its storage fetch (what Chromium's offline
//               emulation does to a socket's last frame);
//   late        the same, after the storage fetch was answered but before the client re-sends;
//   late-after  the same frame reaches the server only after the re-sent copy was applied.
// While client 1 is offline it makes one more change (a push) and client 2 makes concurrent
// ones. KIND (env) is the change made in the window: push, insert, move, set, delete, mapSet,
// objectUpdate, batch. Env: BASE_URL, ROOM (prefix), KIND, WINDOWS; E2E_TRACE=<file> records
// the frames the clients saw.
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { waitFor, waitSynchronized } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, plain, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";
import { startProxy, storageOpsOf } from "./ws_proxy.mjs";

const ROOM = process.env.ROOM ?? `resent-${Date.now()}`;
const KIND = process.env.KIND ?? "push";
const ALL_WINDOWS = ["lost", "unacked", "acked", "late-early", "late", "late-after"];
const WINDOWS = process.env.WINDOWS ? process.env.WINDOWS.split(",") : ALL_WINDOWS;

// The change client 1 makes in the window, by kind. Each returns what must be true of the final
// document's list/map/obj, on top of convergence and "no value twice".
const CHANGES = {
  push: (root) => {
    root.get("list").push("w");
    return (doc) => count(doc.list, "w") === 1;
  },
  insert: (root) => {
    root.get("list").insert("w", 1);
    return (doc) => count(doc.list, "w") === 1;
  },
  move: (root) => {
    root.get("list").move(0, 2);
    return (doc) => ["x0", "x1", "x2"].every((x) => count(doc.list, x) === 1);
  },
  set: (root) => {
    root.get("list").set(1, "w");
    return (doc) => count(doc.list, "w") === 1 && count(doc.list, "x1") === 0;
  },
  delete: (root) => {
    root.get("list").delete(1);
    return (doc) => count(doc.list, "x1") === 0 && count(doc.list, "x0") === 1;
  },
  mapSet: (root) => {
    root.get("map").set("k", "w");
    root.get("map").set("fresh", new LiveObject({ w: 1 }));
    return (doc) => doc.map.k === "w" && doc.map.fresh?.w === 1;
  },
  objectUpdate: (root) => {
    root.get("obj").update({ a: "w", b: 2 });
    return (doc) => doc.obj.a === "w" && doc.obj.b === 2;
  },
  batch: (root, room) => {
    room.batch(() => {
      const list = root.get("list");
      list.push("w");
      list.insert("w2", 0);
      list.push(new LiveObject({ nested: new LiveList(["n"]) }));
      list.move(1, 3);
      list.set(2, "w3");
      root.get("map").set("k", "w");
      root.get("obj").update({ a: "w" });
    });
    return (doc) =>
      ["w", "w2", "w3"].every((x) => count(doc.list, x) === 1)
      && doc.list.filter((x) => x?.nested).length === 1
      && doc.map.k === "w" && doc.obj.a === "w";
  },
};

const count = (list, value) => list.filter((item) => item === value).length;

// Plain values (strings) are unique by construction: none may show twice.
function duplicates(list) {
  const seen = new Set();
  return list.filter((item) => typeof item === "string" && (seen.has(item) || !seen.add(item)));
}

const hasStorageOps = (frame) => storageOpsOf(frame).length > 0;
const opIdsOf = (frames) => frames.flatMap((entry) => storageOpsOf(entry.frame)).map((op) => op.opId).filter(Boolean);

async function runWindow(window) {
  const proxy = await startProxy(process.env.BASE_URL);
  const room = `${ROOM}-${KIND}-${window}`;
  const initialStorage = () => ({
    list: new LiveList(["x0", "x1", "x2"]),
    map: new LiveMap([["k", "v"]]),
    obj: new LiveObject({ a: 1 }),
  });
  const two = await enter(e2ePublicClient(), room, { initialStorage: initialStorage() });
  await waitSynchronized(two.room);
  const one = await enter(e2ePublicClient({ baseUrl: proxy.url }), room, { initialStorage: initialStorage() });
  const before = await proxy.nextLink();
  await waitConverged([one, two], "both clients loaded");

  // The change, and the cut at the chosen point of its trip.
  let check;
  const sentUp = () => before.frames("up").filter((entry) => hasStorageOps(entry.frame));
  const late = window.startsWith("late");
  if (window === "lost" || late) {
    before.up = (frame) => (hasStorageOps(frame) ? (window === "lost" ? "drop" : "hold") : "pass");
    check = CHANGES[KIND](one.root, one.room);
    await waitFor(() => sentUp().length > 0, "the change to leave client 1");
    proxy.setAccepting(false);
    if (window === "lost") before.cut();
    else before.cutClient(); // the server's side stays open, the frame still on the wire
  } else if (window === "unacked") {
    before.down = (frame) => (hasStorageOps(frame) ? "drop" : "pass");
    check = CHANGES[KIND](one.root, one.room);
    // Every op is answered (echo or ACK); wait until all the answers were lost.
    await waitFor(() => {
      const sent = opIdsOf(sentUp());
      const answered = new Set(opIdsOf(before.frames("down")));
      return sent.length > 0 && sent.every((opId) => answered.has(opId));
    }, "the server to answer the change");
    proxy.setAccepting(false);
    before.cut();
  } else {
    check = CHANGES[KIND](one.root, one.room);
    await waitSynchronized(one.room);
    proxy.setAccepting(false);
    before.cut();
  }

  // Offline: client 1 makes one more change, client 2 makes concurrent ones.
  await waitFor(() => one.room.getStatus() === "reconnecting", "client 1 to notice the loss");
  one.root.get("list").push("offline");
  two.root.get("list").push("c2");
  two.root.get("list").insert("c2-first", 0);
  two.root.get("map").set("k2", "c2");
  await waitSynchronized(two.room);

  // Back online. In the late windows, the reconnected client's frames wait at the proxy until
  // the old connection's frame was handled (late) or after its re-sent copy was (late-after).
  proxy.setAccepting(true);
  const after = await proxy.nextLink("client 1 to reconnect");
  if (late) {
    after.up = (frame) => (window === "late-early" || hasStorageOps(frame) ? "hold" : "pass");
    const oldOpIds = opIdsOf(before.held.up.map((frame) => ({ frame })));
    const answered = (link) => {
      const seen = new Set(opIdsOf(link.frames("down")));
      return oldOpIds.every((opId) => seen.has(opId));
    };
    if (window === "late-early") {
      // Joined (ROOM_STATE), its first frame (presence, storage fetch) held at the proxy.
      await waitFor(() => after.frames("down").some((entry) => entry.frame.includes('"type":104')), "client 1 to join");
      await waitFor(() => after.held.up.length > 0, "client 1 to ask for storage");
      before.releaseUp();
      await waitFor(() => answered(before), "the server to handle the late frame");
      after.releaseUp();
    }
    // The reconnected session has joined and fetched storage (end of the storage stream).
    await waitFor(() => after.frames("down").some((entry) => entry.frame.includes('"type":211')), "client 1 to fetch storage");
    if (window !== "late-early") await waitFor(() => after.held.up.length > 0, "client 1 to re-send its ops");
    if (window === "late-early") {
      // Nothing more to order.
    } else if (window === "late") {
      before.releaseUp();
      await waitFor(() => answered(before), "the server to handle the late frame");
      after.releaseUp();
    } else {
      after.releaseUp();
      await waitFor(() => answered(after), "the server to handle the re-sent ops");
      before.releaseUp();
      await waitFor(() => answered(before), "the server to handle the late frame");
    }
    before.cutServer();
  }

  await waitFor(() => one.room.getStatus() === "connected", "client 1 to reconnect");
  const doc = await waitConverged([one, two], "both clients to converge");
  const restDoc = await restStorage(room);
  const json = one.root.toJSON();
  const result = {
    window,
    converged: canonical(plain(one.root)) === canonical(plain(two.root)),
    restEqualsClients: canonical(restDoc) === canonical(doc),
    duplicates: duplicates(json.list),
    changeApplied: check(json),
    offlinePushKept: count(json.list, "offline") === 1 && count(json.list, "c2") === 1,
    doc: json,
    errors: [...one.seen.errors, ...two.seen.errors],
  };
  one.leave();
  two.leave();
  proxy.close();
  return result;
}

async function main() {
  const results = [];
  for (const window of WINDOWS) results.push(await runWindow(window));
  return { kind: KIND, results };
}

runE2E(main);
