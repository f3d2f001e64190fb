// Realtime fan-out load generator: N raw protocol clients in one room, flat out.
//
// Node with `ws` (installed in tests/node by `npm ci --prefix tests/node`), so the
// driver is not what limits the figures (the Python driver of bench_realtime.py
// was). Each client sends an UPDATE_STORAGE frame holding one UPDATE_OBJECT on
// the root ({"k<actor>": <seq>}) and sends the next one as soon as the server has
// echoed it. Prints one JSON object: ops applied, deliveries (ops received by the
// other clients), the delays of the deliveries (ms) summarised, and the driver's
// own CPU time.
//
//   node bench/fanout.mjs <http base url> <clients> <seconds>

import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(new URL("../tests/node/package.json", import.meta.url));
const WebSocket = require("ws");

const [baseUrl, clientsText, secondsText] = process.argv.slice(2);
const clients = Number(clientsText);
const seconds = Number(secondsText);
const roomId = `fanout-${clients}-${Math.random().toString(36).slice(2, 10)}`;
const query = new URLSearchParams({ roomId, pubkey: "pk_localdev", version: "3.24.2" });
const url = `${baseUrl.replace("http://", "ws://")}/v8?${query}`;

const sentAt = new Map(); // "actor:seq" -> send time (ms)
const delays = [];
let applied = 0;
let measuring = false;
let stopAt = Infinity;

function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const client = { ws, actor: -1, seq: 0 };
    ws.once("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (client.actor < 0) {
        if (frame.type === 104 || frame.actor !== undefined) {
          client.actor = frame.actor;
          resolve(client);
        }
        return;
      }
      onMessages(client, Array.isArray(frame) ? frame : [frame]);
    });
  });
}

function onMessages(client, messages) {
  const received = performance.now();
  for (const message of messages) {
    if (message.type !== 201) continue;
    for (const op of message.ops) {
      if (op.opId !== undefined) {
        if (op.opId === `${client.actor}:${client.seq}`) {
          if (measuring) applied += 1;
          send(client);
        }
        continue;
      }
      for (const [key, seq] of Object.entries(op.data)) {
        const sent = sentAt.get(`${key.slice(1)}:${seq}`);
        if (sent !== undefined) delays.push(received - sent);
      }
    }
  }
}

function send(client) {
  if (performance.now() >= stopAt) return;
  client.seq += 1;
  const { actor, seq } = client;
  const op = { opId: `${actor}:${seq}`, type: 3, id: "root", data: { [`k${actor}`]: seq } };
  if (measuring) sentAt.set(`${actor}:${seq}`, performance.now());
  client.ws.send(JSON.stringify([{ type: 201, ops: [op] }]));
}

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sockets = [];
for (let i = 0; i < clients; i += 1) sockets.push(await connect());
await new Promise((r) => setTimeout(r, 300)); // let the USER_JOINED messages settle
const cpuBefore = process.cpuUsage();
const started = performance.now();
stopAt = started + seconds * 1000;
measuring = true;
for (const client of sockets) send(client);
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const appliedInWindow = applied;
await new Promise((r) => setTimeout(r, 500)); // deliveries still in flight
measuring = false;
for (const client of sockets) client.ws.close();
delays.sort((a, b) => a - b);
console.log(JSON.stringify({
  room: roomId,
  clients,
  seconds: elapsed,
  applied: appliedInWindow,
  deliveries: delays.length,
  sent: sentAt.size,
  p50_ms: quantile(delays, 0.5),
  p99_ms: quantile(delays, 0.99),
  max_ms: delays.length ? delays[delays.length - 1] : null,
  driver_cpu: (cpu.user + cpu.system) / 1e6 / elapsed,
}));
process.exit(0);
