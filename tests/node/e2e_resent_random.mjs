// Property: two real clients make random storage changes while their connections are cut at
// random points of the changes' trips (the windows of e2e_cuts.mjs, each client through its
// own proxy), keep changing while offline, and reconnect. After every round both clients and
// the REST view hold one document, no list shows a value twice, and a witness list that only
// ever gets pushes holds every pushed token exactly once (nothing lost, nothing doubled).
// Env: BASE_URL, ROOM (prefix), SEEDS (comma-separated, or "a-b"), ROUNDS (per seed).
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { WINDOWS, armCut, reconnect } from "./e2e_cuts.mjs";
import { waitFor } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, generator, plain, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";
import { startProxy } from "./ws_proxy.mjs";

const ROOM = process.env.ROOM ?? `resent-random-${Date.now()}`;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SEEDS = parseSeeds(process.env.SEEDS ?? "1-4");

function parseSeeds(text) {
  if (text.includes("-")) {
    const [from, to] = text.split("-").map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  return text.split(",").map(Number);
}

// One random change that always sends at least one op. LiveList.set only on the client's own
// list (a positional replace under concurrent changes of the same list diverges on Liveblocks
// too: see e2e_convergence.mjs).
function randomChange(rng, root, tag, serial) {
  const value = () => (rng.next() < 0.8 ? `${tag}-${serial()}` : new LiveObject({ v: `${tag}-${serial()}` }));
  const listChange = (list, withSet) => {
    const n = list.length;
    const choices = ["push", "insert", ...(n > 0 ? ["delete"] : []), ...(n > 1 ? ["move"] : []), ...(withSet && n > 0 ? ["set"] : [])];
    const choice = rng.pick(choices);
    if (choice === "push") list.push(value());
    else if (choice === "insert") list.insert(value(), rng.int(n + 1));
    else if (choice === "delete") list.delete(rng.int(n));
    else if (choice === "set") list.set(rng.int(n), value());
    else {
      const from = rng.int(n);
      list.move(from, (from + 1 + rng.int(n - 1)) % n);
    }
    return `list.${choice}`;
  };
  const where = rng.int(4);
  if (where === 0) return listChange(root.get("list"), false);
  if (where === 1) return `own${listChange(root.get("own").get(tag), true)}`;
  if (where === 2) {
    const map = root.get("map");
    const key = rng.pick(["a", "b", "c"]);
    if (map.has(key) && rng.next() < 0.3) {
      map.delete(key);
      return "map.delete";
    }
    map.set(key, value());
    return "map.set";
  }
  root.get("obj").update({ [rng.pick(["a", "b", "c"])]: `${tag}-${serial()}` });
  return "object.update";
}

function duplicateStrings(doc) {
  const found = [];
  const walk = (value) => {
    if (Array.isArray(value)) {
      const seen = new Set();
      for (const item of value) {
        if (typeof item === "string" && (seen.has(item) || !seen.add(item))) found.push(item);
        walk(item);
      }
    } else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(doc);
  return found;
}

async function runSeed(seed) {
  const rng = generator(seed);
  const room = `${ROOM}-${seed}`;
  let counter = 0;
  const serial = () => (counter += 1);
  const initialStorage = () => ({
    list: new LiveList(["x0", "x1"]),
    own: new LiveObject({ c0: new LiveList([]), c1: new LiveList([]) }),
    map: new LiveMap(),
    obj: new LiveObject({}),
    log: new LiveList([]),
  });
  const proxies = [await startProxy(process.env.BASE_URL), await startProxy(process.env.BASE_URL)];
  const clients = [];
  const links = [];
  for (const proxy of proxies) {
    clients.push(await enter(e2ePublicClient({ baseUrl: proxy.url }), room, { initialStorage: initialStorage() }));
    links.push(await proxy.nextLink());
    await waitConverged(clients, "the clients to load");
  }
  const witnessed = [];
  const mix = {};
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const windows = clients.map(() => rng.pick([null, ...WINDOWS]));
    rounds.push(windows.map((window) => window ?? "none"));
    const cuts = windows.map((window, i) => (window ? armCut(proxies[i], links[i], window, clients[i].room) : null));
    clients.forEach(({ root }, i) => {
      for (let k = 0, n = 1 + rng.int(3); k < n; k += 1) {
        const name = randomChange(rng, root, `c${i}`, serial);
        mix[name] = (mix[name] ?? 0) + 1;
      }
      const token = `r${round}-c${i}`;
      root.get("log").push(token);
      witnessed.push(token);
    });
    await Promise.all(cuts.map((cut) => cut?.()));
    // Offline (or not): more changes, and a witness token.
    for (const [i, { room: liveRoom, root }] of clients.entries()) {
      if (windows[i]) await waitFor(() => liveRoom.getStatus() === "reconnecting", `client ${i} to notice the loss`);
      for (let k = 0, n = rng.int(3); k < n; k += 1) randomChange(rng, root, `c${i}`, serial);
      const token = `r${round}-c${i}-after`;
      root.get("log").push(token);
      witnessed.push(token);
    }
    for (const [i, window] of windows.entries()) {
      if (!window) continue;
      links[i] = await reconnect(proxies[i], links[i], window);
      await waitFor(() => clients[i].room.getStatus() === "connected", `client ${i} to reconnect`);
    }
    await waitConverged(clients, `round ${round} (${windows}) to converge`);
  }
  const doc = plain(clients[0].root);
  const restDoc = await restStorage(room);
  const json = clients[0].root.toJSON();
  const log = json.log;
  const result = {
    seed,
    rounds,
    mix,
    clientsEqual: clients.every(({ root }) => canonical(plain(root)) === canonical(doc)),
    restEqualsClients: canonical(restDoc) === canonical(doc),
    duplicates: duplicateStrings(json),
    witnessOk: log.length === witnessed.length && witnessed.every((token) => log.filter((x) => x === token).length === 1),
    log,
    errors: clients.flatMap(({ seen }) => seen.errors),
  };
  clients.forEach(({ leave }) => leave());
  proxies.forEach((proxy) => proxy.close());
  return result;
}

async function main() {
  const results = [];
  for (const seed of SEEDS) results.push(await runSeed(seed));
  return { results };
}

runE2E(main);
