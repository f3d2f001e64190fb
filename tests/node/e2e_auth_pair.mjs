// Clients that sign in through an app's auth endpoint (@liveblocks/node prepareSession ->
// POST /v2/authorize-user): two writers share presence and storage; a reader with
// READ_ACCESS sees everything and cannot write (env: BASE_URL, ROOM).
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { canonical, e2eAuthClient, enter, othersOf, plain, restStorage, runE2E, waitConverged, waitOthers } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

function self(room) {
  const { connectionId, id, info, canWrite, isReadOnly } = room.getSelf();
  return { connectionId, id, info, canWrite, isReadOnly };
}

async function main() {
  const endpoint = await startAuthEndpoint();
  const out = {};
  const initialStorage = () => ({ todos: new LiveList([]), byUser: new LiveMap(), settings: new LiveObject({ theme: "light" }) });
  const alice = await enter(e2eAuthClient(endpoint.url("alice")), ROOM, { initialPresence: { cursor: null, typing: false }, initialStorage: initialStorage() });
  await waitConverged([alice]);
  const bob = await enter(e2eAuthClient(endpoint.url("bob")), ROOM, { initialPresence: { cursor: null, typing: false }, initialStorage: initialStorage() });
  out.selves = [self(alice.room), self(bob.room)];

  // Presence both ways, then partial updates of one key.
  out.aliceSeesBob = await waitOthers(alice.room, (others) => others.length === 1, "bob at alice");
  out.bobSeesAlice = await waitOthers(bob.room, (others) => others.length === 1, "alice at bob");
  alice.room.updatePresence({ cursor: { x: 10, y: 20 } });
  bob.room.updatePresence({ typing: true });
  out.bobSeesPartial = await waitOthers(bob.room, (others) => others[0].presence.cursor?.x === 10, "alice's cursor at bob");
  out.aliceSeesPartial = await waitOthers(alice.room, (others) => others[0].presence.typing === true, "bob typing at alice");

  // Storage from both sides.
  alice.root.get("todos").push(new LiveObject({ text: "write tests", done: false }));
  bob.root.get("todos").push(new LiveObject({ text: "review", done: false }));
  alice.root.get("byUser").set("alice", new LiveList(["a1"]));
  bob.root.get("byUser").set("bob", new LiveList(["b1"]));
  bob.root.get("settings").update({ theme: "dark", fontSize: 14 });
  await waitConverged([alice, bob]);
  alice.root.get("todos").get(0).set("done", true);
  bob.root.get("byUser").get("alice").push("b-was-here");
  out.doc = await waitConverged([alice, bob]);
  out.rest = await restStorage(ROOM);

  // A reader: sees the storage and the others, cannot write storage, may update presence.
  const carol = await enter(e2eAuthClient(endpoint.url("carol", { access: "read" })), ROOM, { initialPresence: { cursor: null, typing: false } });
  out.carol = { self: self(carol.room), doc: plain(carol.root) };
  try {
    carol.root.get("settings").set("theme", "hacked");
    out.carol.mutation = "did not throw";
  } catch (error) {
    out.carol.mutation = error.message;
  }
  carol.room.updatePresence({ cursor: { x: 1, y: 1 } });
  out.aliceSeesCarol = (await waitOthers(alice.room, (others) => others.some((o) => o.id === "carol" && o.presence.cursor?.x === 1), "carol at alice"))
    .find((o) => o.id === "carol");
  out.carolReadOnlyAtAlice = alice.room.getOthers().find((o) => o.id === "carol").isReadOnly;
  out.restAfterCarol = await restStorage(ROOM);
  out.carolStillEqual = canonical(plain(carol.root)) === canonical(out.rest);

  // Everyone leaves: USER_LEFT shrinks the others list.
  carol.leave();
  bob.leave();
  out.othersAfterLeaving = await waitOthers(alice.room, (others) => others.length === 0, "alice alone");
  out.errors = [...alice.seen.errors, ...bob.seen.errors, ...carol.seen.errors];
  out.authCalls = endpoint.calls;
  out.othersAtEnd = othersOf(alice.room);
  alice.leave();
  endpoint.close();
  return out;
}

runE2E(main);
