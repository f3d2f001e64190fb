// The official Node SDK (@liveblocks/node) acting on a room that real clients are in:
// getActiveUsers, broadcastEvent, mutateStorage, getStorageDocument and setPresence
// (env: BASE_URL, ROOM).
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { Liveblocks } from "@liveblocks/node";
import { BASE_URL, SECRET, sleep, waitFor } from "./lib.mjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { canonical, e2eAuthClient, enter, othersOf, plain, runE2E, waitConverged, waitOthers } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

async function main() {
  const liveblocks = new Liveblocks({ secret: SECRET, baseUrl: BASE_URL });
  const endpoint = await startAuthEndpoint();
  const initialStorage = () => ({ items: new LiveList(["first"]), scores: new LiveMap(), meta: new LiveObject({ version: 1 }) });
  const alice = await enter(e2eAuthClient(endpoint.url("alice")), ROOM, { initialPresence: { status: "here" }, initialStorage: initialStorage() });
  await waitConverged([alice]);
  const bob = await enter(e2eAuthClient(endpoint.url("bob")), ROOM, { initialPresence: { status: "here" }, initialStorage: initialStorage() });
  await waitOthers(alice.room, (others) => others.length === 1, "bob at alice");
  const out = { connections: [alice.room.getSelf().connectionId, bob.room.getSelf().connectionId] };

  out.activeUsers = await liveblocks.getActiveUsers(ROOM);

  // A backend event reaches every client, from connection -1 and no user.
  await liveblocks.broadcastEvent(ROOM, { type: "server-ping", n: 1 });
  await waitFor(() => alice.seen.events.length === 1 && bob.seen.events.length === 1, "the backend event at both");
  out.eventAtAlice = alice.seen.events[0];
  out.eventAtBob = bob.seen.events[0];

  // mutateStorage: the SDK loads the document, runs the callback, sends the ops.
  await liveblocks.mutateStorage(ROOM, ({ root }) => {
    root.get("items").push("from-sdk");
    root.get("scores").set("alice", 10);
    root.get("meta").update({ version: 2, editedBy: "sdk" });
    root.set("extra", new LiveObject({ nested: new LiveList([1]) }));
  });
  out.doc = await waitFor(async () => {
    const doc = await waitConverged([alice, bob]);
    return doc.data.extra ? doc : undefined;
  }, "the SDK's mutation at both clients");
  out.jsonAtBob = bob.root.toJSON();

  // getStorageDocument in both formats is what the clients hold.
  out.sdkPlain = await liveblocks.getStorageDocument(ROOM);
  out.sdkJson = await liveblocks.getStorageDocument(ROOM, "json");
  out.sdkPlainEqualsClient = canonical(out.sdkPlain) === canonical(plain(alice.root));
  out.sdkJsonEqualsClient = canonical(out.sdkJson) === canonical(alice.root.toJSON());

  // setPresence: a virtual user (an agent) shows up in the others with its presence and info.
  await liveblocks.setPresence(ROOM, { userId: "agent-1", data: { status: "thinking" }, userInfo: { name: "Agent" }, ttl: 2 });
  out.agentAtAlice = (await waitOthers(alice.room, (others) => others.some((o) => o.id === "agent-1"), "the agent at alice"))
    .find((o) => o.id === "agent-1");
  out.activeUsersWithAgent = await liveblocks.getActiveUsers(ROOM);
  await liveblocks.setPresence(ROOM, { userId: "agent-1", data: { status: "done" }, ttl: 2 });
  out.agentUpdatedAtBob = (await waitOthers(bob.room, (others) => others.some((o) => o.id === "agent-1" && o.presence.status === "done"), "the agent's new presence at bob"))
    .find((o) => o.id === "agent-1");
  // Its TTL runs out: it leaves like a user.
  const expiry = Date.now();
  out.othersAfterTtl = await waitOthers(alice.room, (others) => others.every((o) => o.id !== "agent-1"), "the agent to expire", 6000);
  out.ttlSeconds = (Date.now() - expiry) / 1000;

  bob.leave();
  await waitOthers(alice.room, (others) => others.length === 0, "bob gone");
  await sleep(50);
  out.activeUsersAfterLeave = await liveblocks.getActiveUsers(ROOM);
  out.errors = [...alice.seen.errors, ...bob.seen.errors];
  out.othersAtEnd = othersOf(alice.room);
  alice.leave();
  endpoint.close();
  return out;
}

runE2E(main);
