// A webhook receiver verifying with @liveblocks/node's WebhookHandler (WEBHOOKS.md §6.1).
// Listens on 127.0.0.1 (PORT, 0 = free), prints {"port"} first, then one JSON line per
// request: {ok, id, status, event} or {ok: false, error}. MODE=reserialize verifies
// JSON.stringify(JSON.parse(body)) as body-parsing frameworks do (§1.7); STATUSES=500,500
// answers those statuses first, then 200.
import http from "node:http";
import { WebhookHandler, isCustomNotificationEvent, isThreadNotificationEvent,
  isTextMentionNotificationEvent } from "@liveblocks/node";

const handler = new WebhookHandler(process.env.LB_WEBHOOK_SECRET);
const statuses = (process.env.STATUSES ?? "").split(",").filter(Boolean).map(Number);

function guards(event) {
  if (event.type !== "notification") return undefined;
  return { thread: isThreadNotificationEvent(event), textMention: isTextMentionNotificationEvent(event),
    custom: isCustomNotificationEvent(event) };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const raw = Buffer.concat(chunks).toString("utf8");
    const rawBody = process.env.MODE === "reserialize" ? JSON.stringify(JSON.parse(raw)) : raw;
    try {
      const event = handler.verifyRequest({ headers: req.headers, rawBody });
      const status = statuses.length ? statuses.shift() : 200;
      console.log(JSON.stringify({ ok: true, id: req.headers["webhook-id"], status, event, guards: guards(event) }));
      res.writeHead(status).end();
    } catch (error) {
      console.log(JSON.stringify({ ok: false, id: req.headers["webhook-id"], error: error.message }));
      res.writeHead(400).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
