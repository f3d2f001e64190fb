// The Node SDK facing an injected REST fault: GET /v2/rooms/{roomId} answers 429 (with
// Retry-After) twice, then the room (env: BASE_URL, ROOM).
import { Liveblocks } from "@liveblocks/node";
import { BASE_URL, SECRET, rest, run } from "./lib.mjs";

async function main() {
  const liveblocks = new Liveblocks({ secret: SECRET, baseUrl: BASE_URL });
  const room = process.env.ROOM;
  await liveblocks.createRoom(room, { defaultAccesses: [] });
  await rest("POST", "/_emulator/faults", { kind: "rest", method: "GET", path: "/v2/rooms/*", status: 429, retryAfter: 3, times: 2 });
  const attempts = [];
  for (let i = 0; i < 3; i++) {
    try {
      const got = await liveblocks.getRoom(room);
      attempts.push({ ok: got.id });
    } catch (error) {
      attempts.push({ status: error.status, name: error.name, message: error.message });
    }
  }
  return { attempts };
}

run(main);
