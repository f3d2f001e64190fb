// Helpers for the end-to-end scripts (tests/node/e2e_*.mjs): real @liveblocks/client rooms,
// what they saw, and convergence checks. Builds on lib.mjs (shared with other suites).
import fs from "node:fs";
import { toPlainLson } from "@liveblocks/client";
import WebSocket from "ws";
import { authClient, publicClient, rest, run, waitFor, waitForStatus } from "./lib.mjs";

// A dev build of the client THROWS from its socket message handler when the server sends
// REJECT_STORAGE_OP ("Storage mutations rejected by server: …"). Such throws surface here;
// every script reports them, so a test can require none. In Node (not in browsers) the throw
// also stalls that socket's reader for good (ws stops parsing), so a script that provokes
// rejections runs with NODE_ENV=production, where the client only logs them, and reads
// them from `rejections` below.
export const uncaught = [];
process.on("uncaughtException", (error) => {
  uncaught.push(String(error?.message ?? error));
  if (process.env.E2E_TRACE) console.error(error?.stack);
});

// Like lib.mjs's run(main), and the result also carries the uncaught errors.
export function runE2E(main) {
  run(async () => {
    try {
      return { ...(await main()), uncaught };
    } catch (error) {
      if (uncaught.length) error.message += `\nuncaught errors: ${JSON.stringify(uncaught)}`;
      throw error;
    }
  });
}

// The scripts' clients use this WebSocket: it keeps every REJECT_STORAGE_OP frame the
// server sends (in `rejections`), and with E2E_TRACE=<file> writes every frame of every
// socket to that file as JSON lines {socket, dir, frame} when the script exits: the first
// thing to read when a scenario fails.
export const rejections = [];
const TRACE = process.env.E2E_TRACE;
const trace = [];
let sockets = 0;
class ObservedWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    const socket = sockets++;
    this.socket = socket;
    this.on("message", (data) => {
      const frame = String(data);
      if (TRACE) trace.push({ socket, dir: "in", frame });
      if (frame.includes('"type":299')) {
        const messages = [JSON.parse(frame)].flat();
        for (const { type, opIds, reason } of messages) if (type === 299) rejections.push({ socket, opIds, reason });
      }
    });
    if (TRACE) this.on("close", (code, reason) => trace.push({ socket, dir: "close", frame: `${code} ${reason}` }));
  }

  send(data, ...rest) {
    if (TRACE) trace.push({ socket: this.socket, dir: "out", frame: String(data) });
    return super.send(data, ...rest);
  }
}
if (TRACE) {
  process.on("exit", () => fs.writeFileSync(TRACE, trace.map((line) => JSON.stringify(line)).join("\n")));
}
const polyfills = { polyfills: { WebSocket: ObservedWebSocket, fetch } };

// lib.mjs's clients, with the observed WebSocket.
export const e2ePublicClient = (options = {}) => publicClient({ ...polyfills, ...options });
export const e2eAuthClient = (endpoint, options = {}) => authClient(endpoint, { ...polyfills, ...options });

// Enter a room and wait until connected (and storage loaded, unless storage: false).
// Returns the room with what it received: custom events and error events.
export async function enter(client, roomId, { initialPresence = {}, initialStorage, storage = true } = {}) {
  const { room, leave } = client.enterRoom(roomId, { initialPresence, initialStorage });
  const seen = { events: [], errors: [], statuses: [] };
  room.subscribe("event", ({ event, user, connectionId }) => seen.events.push({ event, connectionId, user }));
  room.subscribe("error", (error) => seen.errors.push({ code: error.context?.code, message: error.message }));
  room.subscribe("status", (status) => seen.statuses.push(status));
  await waitForStatus(room, "connected");
  const root = storage ? (await room.getStorage()).root : undefined;
  return { room, leave, root, seen };
}

// JSON with object keys sorted: two documents are equal iff their canonical strings are.
export function canonical(value) {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

export const plain = (root) => toPlainLson(root);

// What a call that should fail threw: {status, message}, or "no error".
export { failure } from "./lib.mjs";

export const roomUrl = (roomId) => `/v2/rooms/${encodeURIComponent(roomId)}`;

// A REST call (secret key) that must answer `status`; returns the body.
export async function must(method, path, body, status = 200) {
  const response = await rest(method, path, body);
  if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export const restStorage = (roomId, format = "plain-lson") => must("GET", `${roomUrl(roomId)}/storage?format=${format}`);

// Wait until every room's storage is synchronized and all their documents are equal.
// Returns the common document (Plain LSON).
export async function waitConverged(entered, what = "clients to converge", timeout = 15000) {
  let last = [];
  try {
    await waitFor(() => {
      if (!entered.every(({ room }) => room.getStorageStatus() === "synchronized")) return false;
      last = entered.map(({ root }) => canonical(plain(root)));
      return last.every((doc) => doc === last[0]);
    }, what, timeout);
  } catch (error) {
    const states = entered.map(({ room, seen }) => ({
      connection: room.getStatus(),
      storage: room.getStorageStatus(),
      errors: seen.errors,
    }));
    throw new Error(`${error.message}: ${JSON.stringify(states)}; documents:\n${last.join("\n")}`);
  }
  return plain(entered[0].root);
}

// The others as the room shows them: [{connectionId, id, info, presence}] sorted by connection.
export function othersOf(room) {
  return room
    .getOthers()
    .map(({ connectionId, id, info, presence }) => ({ connectionId, id, info, presence }))
    .sort((a, b) => a.connectionId - b.connectionId);
}

export async function waitOthers(room, predicate, what, timeout = 10000) {
  await waitFor(() => predicate(room.getOthers()), `${what} (others now ${JSON.stringify(othersOf(room))})`, timeout);
  return othersOf(room);
}


// mulberry32: a tiny seeded generator, one per client.
export function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (array) => array[int(array.length)];
  return { next, int, pick };
}
