// A room with a schema attached: ops that would break it are rejected (REJECT_STORAGE_OP)
// and never reach the other client or the stored document; valid ops still flow
// (env: BASE_URL, ROOM; run with NODE_ENV=production, see e2e_lib.mjs).
import { LiveList, LiveObject } from "@liveblocks/client";
import { sleep, waitFor } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, must, plain, rejections, restStorage, roomUrl, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;
const SCHEMA = `
type Todo { text: string, done: boolean }
type Storage { title: string, count: number, todos: LiveList<LiveObject<Todo>> }
`;

// Make a change at A, wait for the server's rejection, and check that B and the stored
// document did not move.
async function rejected(change, a, b, before) {
  const count = rejections.length;
  change();
  await waitFor(() => rejections.length > count, "the rejection");
  await sleep(100);
  return {
    ...rejections[count],
    more: rejections.length - count - 1,
    storageStatus: a.room.getStorageStatus(),
    bUnchanged: canonical(plain(b.root)) === before,
    restUnchanged: canonical(await restStorage(ROOM)) === before,
  };
}

async function main() {
  await must("POST", "/v2/rooms", { id: ROOM, defaultAccesses: ["room:write"] });
  await must("POST", `${roomUrl(ROOM)}/storage`, {
    liveblocksType: "LiveObject",
    data: { title: "t", count: 0, todos: { liveblocksType: "LiveList", data: [] } },
  });
  const schema = await must("POST", "/v2/schemas", { name: "todos", body: SCHEMA });
  await must("POST", `${roomUrl(ROOM)}/schema`, { schema: schema.id });

  const a = await enter(e2ePublicClient(), ROOM);
  const b = await enter(e2ePublicClient(), ROOM);
  const before = canonical(await waitConverged([a, b]));
  const out = { schema: schema.id };

  out.wrongType = await rejected(() => a.root.set("count", "many"), a, b, before);
  out.unknownField = await rejected(() => a.root.set("color", "red"), a, b, before);
  out.badListItem = await rejected(() => a.root.get("todos").push(new LiveObject({ text: 1 })), a, b, before);
  out.replacedList = await rejected(() => a.root.set("todos", new LiveList(["not a todo"])), a, b, before);

  // Valid changes still go through, and A, whose local copy kept the rejected changes,
  // is back in line once it overwrites them.
  a.root.update({ count: 2, title: "fine" });
  a.root.delete("color");
  a.root.set("todos", new LiveList([]));
  a.root.get("todos").push(new LiveObject({ text: "ok", done: false }));
  out.doc = await waitConverged([a, b]);
  out.rest = await restStorage(ROOM);
  out.errors = [...a.seen.errors, ...b.seen.errors];
  return out;
}

runE2E(main);
