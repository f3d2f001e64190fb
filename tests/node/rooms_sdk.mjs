// The official Node SDK managing rooms against the emulator (BASE_URL, SECRET from the env).
import { Liveblocks } from "@liveblocks/node";

const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
const results = {};

await liveblocks.createRoom("node-a", { defaultAccesses: ["room:write"], metadata: { color: "blue" } });
await liveblocks.createRoom("node-b", { defaultAccesses: [], metadata: { color: "red" } });
results.get = await liveblocks.getRoom("node-a");
results.byQueryObject = (await liveblocks.getRooms({ query: { roomId: { startsWith: "node-" }, metadata: { color: "red" } } })).data.map((r) => r.id);
results.byQueryString = (await liveblocks.getRooms({ query: "roomId^'node-' AND metadata['color']:'blue'" })).data.map((r) => r.id);
const iterated = [];
for await (const room of liveblocks.iterRooms({}, { pageSize: 20 })) iterated.push(room.id);
results.iterated = iterated;
results.getOrCreate = (await liveblocks.getOrCreateRoom("node-a", { defaultAccesses: [] })).id;
results.upsert = (await liveblocks.upsertRoom("node-c", { update: { metadata: { x: "1" } }, create: { defaultAccesses: ["room:read"] } })).defaultAccesses;
results.updated = (await liveblocks.updateRoom("node-a", { metadata: { color: null, size: "L" } })).metadata;
results.renamed = (await liveblocks.updateRoomId({ currentRoomId: "node-b", newRoomId: "node-b2" })).id;
await liveblocks.deleteRoom("node-c");
await liveblocks.prewarmRoom("node-a");
try {
  await liveblocks.getRoom("node-c");
  results.missing = "no error";
} catch (error) {
  results.missing = { status: error.status, message: error.message };
}
results.createdAtIsDate = results.get.createdAt instanceof Date;
console.log(JSON.stringify(results));
