// Two real clients in one room with the public key: presence, every storage structure,
// concurrent pushes, broadcast, REST storage, a third client, and leaving (env: BASE_URL, ROOM).
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { sleep, waitFor } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, othersOf, plain, restStorage, runE2E, waitConverged, waitOthers } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

const initialStorage = () => ({
  title: "untitled",
  items: new LiveList([]),
  tags: new LiveMap(),
});

async function presence(a, b) {
  const selfA = a.room.getSelf().connectionId;
  const selfB = b.room.getSelf().connectionId;
  const out = { selfA, selfB };
  out.bSeesA = await waitOthers(b.room, (others) => others.some((o) => o.connectionId === selfA), "A in B's others");
  out.aSeesB = await waitOthers(a.room, (others) => others.some((o) => o.connectionId === selfB), "B in A's others");
  // Partial updates: one key each way; the other keys stay.
  a.room.updatePresence({ cursor: { x: 1, y: 2 } });
  b.room.updatePresence({ name: "bee" });
  out.bSeesPartial = await waitOthers(b.room, (others) => others[0]?.presence.cursor?.x === 1, "A's cursor at B");
  out.aSeesPartial = await waitOthers(a.room, (others) => others[0]?.presence.name === "bee", "B's name at A");
  return out;
}

function mutate(a, b) {
  const rootA = a.root;
  const rootB = b.root;
  // LiveObject: set, update, delete, nested objects (and a nested list).
  rootA.set("title", "hello");
  rootA.update({ count: 1, flag: true, plainObject: { deep: [1, 2] } });
  rootA.delete("flag");
  rootA.set("meta", new LiveObject({ owner: "a", nested: new LiveObject({ depth: 2, list: new LiveList([1, 2]) }) }));
  rootA.get("meta").get("nested").set("depth", 3);
  rootA.get("meta").get("nested").get("list").push(3);
  rootA.get("meta").delete("owner");
  // LiveList: push, insert, move, delete, set.
  const items = rootA.get("items");
  items.push("a");
  items.push("b");
  items.insert("c", 0); // c a b
  items.move(0, 2); // a b c
  items.delete(1); // a c
  items.set(0, "z"); // z c
  items.push(new LiveObject({ k: 1 })); // z c {k:1}
  // LiveMap: set, overwrite, delete; B writes to the same map.
  const tagsA = rootA.get("tags");
  tagsA.set("x", 1);
  tagsA.set("x", 2);
  tagsA.set("y", new LiveObject({ gone: true }));
  tagsA.delete("y");
  rootB.get("tags").set("z", new LiveList(["from-b"]));
  rootB.update({ byB: "yes" });
}

async function concurrentPushes(a, b) {
  await waitConverged([a, b], "converged before the concurrent pushes");
  // Both clients push at the same list end in the same tick: every item survives, in one order.
  for (let i = 0; i < 5; i += 1) {
    a.root.get("items").push(`A${i}`);
    b.root.get("items").push(`B${i}`);
  }
}

async function broadcast(a, b) {
  a.room.broadcastEvent({ kind: "hello", n: 1 });
  await waitFor(() => b.seen.events.length === 1, "the event at B");
  await sleep(200); // A must not get its own event
  return { atB: b.seen.events, atA: a.seen.events };
}

async function main() {
  const [clientA, clientB, clientC] = [e2ePublicClient(), e2ePublicClient(), e2ePublicClient()];
  const out = {};
  // A first, so only one client writes the missing initial keys.
  const a = await enter(clientA, ROOM, { initialPresence: { name: "a", cursor: null }, initialStorage: initialStorage() });
  await waitConverged([a]);
  const b = await enter(clientB, ROOM, { initialPresence: { name: "b", cursor: null }, initialStorage: initialStorage() });
  out.presence = await presence(a, b);

  mutate(a, b);
  await concurrentPushes(a, b);
  out.doc = await waitConverged([a, b]);
  out.jsonA = a.root.toJSON();
  out.jsonB = b.root.toJSON();
  out.itemsA = a.root.get("items").toJSON();
  out.itemsB = b.root.get("items").toJSON();

  out.broadcast = await broadcast(a, b);
  out.rest = await restStorage(ROOM);
  out.restJson = await restStorage(ROOM, "json");
  out.restEqualsClient = canonical(out.rest) === canonical(plain(a.root));

  const c = await enter(clientC, ROOM, { initialPresence: { name: "c" }, initialStorage: initialStorage() });
  out.third = plain(c.root);
  const selfC = c.room.getSelf().connectionId;
  await waitOthers(a.room, (others) => others.length === 2, "A sees B and C");
  b.leave();
  out.afterBLeft = await waitOthers(a.room, (others) => others.length === 1, "B gone from A's others");
  out.selfC = selfC;
  c.leave();
  out.afterCLeft = await waitOthers(a.room, (others) => others.length === 0, "C gone from A's others");
  out.errors = [...a.seen.errors, ...b.seen.errors, ...c.seen.errors];
  out.othersAtEnd = othersOf(a.room);
  a.leave();
  return out;
}

runE2E(main);
