// A connection loss at each point of a storage change's trip (the windows of e2e_cuts.mjs),
// then a reconnect: the change must end up applied exactly once, and both clients and the REST
// view must hold one document.
//
// Client 1 talks to the emulator through a proxy (ws_proxy.mjs) that makes the cut; client 2
// connects directly. While client 1 is offline it makes one more change (a push) and client 2
// makes concurrent ones. KIND (env) is the change made in the window: push, insert, move, set,
// delete, mapSet, objectUpdate, batch. Env: BASE_URL, ROOM (prefix), KIND, WINDOWS
// (comma-separated, all by default); E2E_TRACE=<file> records the frames the clients saw.
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { WINDOWS as ALL_WINDOWS, armCut, reconnect } from "./e2e_cuts.mjs";
import { waitFor, waitSynchronized } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, plain, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";
import { startProxy } from "./ws_proxy.mjs";

const ROOM = process.env.ROOM ?? `resent-${Date.now()}`;
const KIND = process.env.KIND ?? "push";
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
  const cut = armCut(proxy, before, window, one.room);
  const check = CHANGES[KIND](one.root, one.room);
  await cut();

  // Offline: client 1 makes one more change, client 2 makes concurrent ones.
  await waitFor(() => one.room.getStatus() === "reconnecting", "client 1 to notice the loss");
  one.root.get("list").push("offline");
  two.root.get("list").push("c2");
  two.root.get("list").insert("c2-first", 0);
  two.root.get("map").set("k2", "c2");
  await waitSynchronized(two.room);

  await reconnect(proxy, before, window);
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
