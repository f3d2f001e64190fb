// A tiny app backend for the end-to-end scripts: the auth endpoint a real app would write,
// with the official Node SDK (@liveblocks/node) asking the emulator for access tokens
// (POST /v2/authorize-user). Identity and access come from the URL's query, for example
//   POST http://127.0.0.1:<port>/auth?user=alice&access=read&room=doc-*
// (access: "full" by default or "read"; room: the pattern to allow, by default the room
// the client asks for, read from the JSON body {"room": …} the client sends).
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
      const session = liveblocks.prepareSession(user, { userInfo: { name: user.toUpperCase() } });
      const access = query.get("access") === "read" ? session.READ_ACCESS : session.FULL_ACCESS;
      session.allow(query.get("room") ?? room, access);
      const { status, body } = await session.authorize();
      response.writeHead(status, { "Content-Type": "application/json" }).end(body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}/auth`;
  return {
    calls,
    url(user, { access = "full", room } = {}) {
      const query = new URLSearchParams({ user, access, ...(room ? { room } : {}) });
      return `${base}?${query}`;
    },
    close: () => server.close(),
  };
}
