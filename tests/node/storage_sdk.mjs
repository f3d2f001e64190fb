// The official Node SDK reading and writing room storage against the emulator (BASE_URL, SECRET from the env).
import { LiveList, LiveMap, LiveObject } from "@liveblocks/core";
import { Liveblocks } from "@liveblocks/node";

const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
const results = {};
const document = JSON.parse(process.env.DOCUMENT);

async function error(promise) {
  try {
    await promise;
    return "no error";
  } catch (e) {
    return { status: e.status, message: e.message };
  }
}

await liveblocks.createRoom("node-storage", { defaultAccesses: ["room:write"] });
results.initialized = await liveblocks.initializeStorageDocument("node-storage", document);
results.plain = await liveblocks.getStorageDocument("node-storage");
results.plainExplicit = await liveblocks.getStorageDocument("node-storage", "plain-lson");
results.json = await liveblocks.getStorageDocument("node-storage", "json");
results.again = await error(liveblocks.initializeStorageDocument("node-storage", document));

await liveblocks.mutateStorage("node-storage", ({ root }) => {
  root.set("count", 1);
  root.get("aLiveList").push("c");
  root.get("aLiveList").move(0, 2);
  root.get("aLiveMap").delete("a");
  root.get("aLiveMap").set("nested", new LiveObject({ list: new LiveList([1, 2]) }));
  root.get("aLiveObject").update({ a: 2, b: new LiveMap([["k", "v"]]) });
});
results.mutated = await liveblocks.getStorageDocument("node-storage", "json");
results.mutatedPlain = await liveblocks.getStorageDocument("node-storage");
// A second mutation sees the first one's result and builds on it.
await liveblocks.mutateStorage("node-storage", ({ root }) => {
  root.set("count", root.get("count") + 1);
  root.get("aLiveMap").get("nested").get("list").delete(0);
});
results.mutatedTwice = await liveblocks.getStorageDocument("node-storage", "json");

results.deleted = (await liveblocks.deleteStorageDocument("node-storage")) ?? null;
results.afterDelete = await liveblocks.getStorageDocument("node-storage");
results.reinitialized = await liveblocks.initializeStorageDocument("node-storage", { liveblocksType: "LiveObject", data: { n: 1 } });

results.missing = {
  get: await error(liveblocks.getStorageDocument("node-missing")),
  initialize: await error(liveblocks.initializeStorageDocument("node-missing", document)),
  delete: await error(liveblocks.deleteStorageDocument("node-missing")),
  mutate: await error(liveblocks.mutateStorage("node-missing", () => {})),
};
console.log(JSON.stringify(results));
