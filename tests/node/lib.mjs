// Helpers shared by the end-to-end scripts: real @liveblocks/client over `ws` in Node.
import { createClient } from "@liveblocks/client";
import WebSocket from "ws";

export const BASE_URL = process.env.BASE_URL;
export const PUBLIC_KEY = process.env.PUBLIC_KEY ?? "pk_localdev";
export const SECRET = process.env.SECRET ?? "sk_localdev";

export function publicClient(options = {}) {
  return createClient({
    baseUrl: BASE_URL,
    publicApiKey: PUBLIC_KEY,
    polyfills: { WebSocket, fetch },
    throttle: 16,
    lostConnectionTimeout: 1000,
    ...options,
  });
}

export function authClient(authEndpoint, options = {}) {
  return createClient({
    baseUrl: BASE_URL,
    authEndpoint,
    polyfills: { WebSocket, fetch },
    throttle: 16,
    ...options,
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll until predicate() is truthy (or throw with a description after `timeout` ms).
export async function waitFor(predicate, what, timeout = 10000) {
  const started = Date.now();
  for (;;) {
    let value;
    try {
      value = await predicate();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function waitForStatus(room, status, timeout = 10000) {
  await waitFor(() => room.getStatus() === status, `status ${status} (now ${room.getStatus()})`, timeout);
}

export async function waitSynchronized(room, timeout = 10000) {
  await waitFor(() => room.getStorageStatus() === "synchronized", `storage synchronized (now ${room.getStorageStatus()})`, timeout);
}

export async function rest(method, path, body) {
  const response = await fetch(new URL(path, BASE_URL), {
    method,
    headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// Run `main`, print its result as the last JSON line, and exit (clients keep the loop alive).
export function run(main) {
  main().then(
    (result) => {
      console.log(JSON.stringify(result ?? {}));
      process.exit(0);
    },
    (error) => {
      console.error(error?.stack ?? String(error));
      process.exit(1);
    },
  );
}

// What a rejected call reports: its HTTP status and message (or "no error").
export async function failure(promise) {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return { status: error.status, message: error.message };
  }
}
