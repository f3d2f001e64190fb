// A tiny app backend for the end-to-end scripts: the auth endpoint a real app would write,
// with the official Node SDK (@liveblocks/node) asking the emulator for tokens. Identity
// and access come from the URL's query, for example
//   POST http://127.0.0.1:<port>/auth?user=alice&access=read&room=doc-*
// access: "full" (default) or "read" make an access token (prepareSession ->
// POST /v2/authorize-user) for `room`, a pattern, by default the room the client asks for
// (the JSON body {"room": …} the client sends); "id" makes an ID token
// (identifyUser -> POST /v2/identify-user) for the user and its `groups` (comma list).
import http from "node:http";
import { Liveblocks } from "@liveblocks/node";
import { BASE_URL, SECRET } from "./lib.mjs";

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startAuthEndpoint() {
  const liveblocks = new Liveblocks({ secret: SECRET, baseUrl: BASE_URL });
  const calls = [];
  const server = http.createServer(async (request, response) => {
    try {
      const query = new URL(request.url, "http://localhost").searchParams;
      const { room } = JSON.parse((await readBody(request)) || "{}");
      const user = query.get("user");
      calls.push({ user, room });
      const userInfo = { name: user.toUpperCase() };
      const access = query.get("access");
      let reply;
      if (access === "id") {
        const groupIds = query.get("groups")?.split(",") ?? [];
        reply = await liveblocks.identifyUser({ userId: user, groupIds }, { userInfo });
      } else {
        const session = liveblocks.prepareSession(user, { userInfo });
        session.allow(query.get("room") ?? room, access === "read" ? session.READ_ACCESS : session.FULL_ACCESS);
        reply = await session.authorize();
      }
      const { status, body } = reply;
      response.writeHead(status, { "Content-Type": "application/json" }).end(body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}/auth`;
  return {
    calls,
    url(user, { access = "full", room, groups } = {}) {
      const query = new URLSearchParams({ user, access, ...(room ? { room } : {}), ...(groups ? { groups } : {}) });
      return `${base}?${query}`;
    },
    close: () => server.close(),
  };
}
