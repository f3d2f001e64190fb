// Convergence: CLIENTS real clients each make OPS random storage changes at the same time on
// lists, maps and objects (nested too); then every client and the REST view must hold one
// document. Seeded, so a failure replays (env: BASE_URL, ROOM, SEED, CLIENTS, OPS; with
// E2E_TRACE=<file> every frame is recorded).
//
// Two things the generator steers around are limits of the client (3.24.2) and of the
// Liveblocks protocol, not of a server: Liveblocks' own server core (@liveblocks/server
// 1.9.0) diverges on them too.
// - LiveList.set is a positional replace: the server deletes whatever item sits at that
//   position and tells only the sender; the others drop whatever sits at that position in
//   THEIR view. Under a concurrent move, push or set on the same list those views differ and
//   one client keeps an item the others dropped. So list.set runs on lists that only their
//   owner writes (root.own.<client>); shared lists get push/insert/move/delete.
// - See PLAIN_KEYS below for LiveObject keys.
import { LiveList, LiveMap, LiveObject } from "@liveblocks/client";
import { sleep } from "./lib.mjs";
import { canonical, e2ePublicClient, enter, generator, plain, restStorage, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;
const SEED = Number(process.env.SEED ?? 1);
const CLIENTS = Number(process.env.CLIENTS ?? 5);
const OPS = Number(process.env.OPS ?? 200);
const MAX_DEPTH = 3;
const KEYS = ["a", "b", "c", "d", "e"];
// LiveObject keys hold either plain values or Live structures, never both: @liveblocks/core
// 3.24.2 detaches a Live child when a remote UPDATE_OBJECT arrives for its key while a local
// op on that key is unacked, yet keeps it (LiveObject #applyUpdate), and the next op there
// throws "Cannot serialize register…" from the socket handler (which also stalls that
// socket). Any server that forwards updates in the order it applies them triggers it.
const PLAIN_KEYS = ["a", "b", "c"];
const LIVE_KEYS = ["d", "e"];

function randomScalar(rng, tag) {
  switch (rng.int(5)) {
    case 0: return rng.int(1000);
    case 1: return `${tag}-${rng.int(1000)}`;
    case 2: return rng.next() < 0.5;
    case 3: return null;
    default: return { plain: rng.int(10), tag };
  }
}

// A list item or map value: mostly plain, sometimes a Live structure (nested up to MAX_DEPTH).
function randomValue(rng, depth, tag) {
  return depth >= MAX_DEPTH || rng.next() < 0.7 ? randomScalar(rng, tag) : randomLive(rng, depth, tag);
}

function randomLive(rng, depth, tag) {
  const inner = () => randomValue(rng, depth + 1, tag);
  switch (rng.int(3)) {
    case 0: {
      const data = { [rng.pick(PLAIN_KEYS)]: randomScalar(rng, tag) };
      if (depth + 1 < MAX_DEPTH) data[rng.pick(LIVE_KEYS)] = randomLive(rng, depth + 1, tag);
      return new LiveObject(data);
    }
    case 1: return new LiveList([inner(), inner()]);
    default: return new LiveMap([[rng.pick(KEYS), inner()]]);
  }
}

// Every shared Live container reachable from the root (not root.own), with its depth.
function containers(root) {
  const found = [];
  const walk = (node, depth) => {
    found.push({ node, depth });
    const children =
      node instanceof LiveList ? node.map((x) => x)
        : node instanceof LiveMap ? [...node.values()]
          : [...node.keys()].filter((key) => node !== root || key !== "own").map((key) => node.get(key));
    for (const child of children) {
      if (child instanceof LiveObject || child instanceof LiveList || child instanceof LiveMap) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

function listOp(rng, list, value, ops) {
  const n = list.length;
  const choice = n === 0 ? rng.pick(["push", "insert"]) : rng.pick(ops);
  if (choice === "push") list.push(value());
  else if (choice === "insert") list.insert(value(), rng.int(n + 1));
  else if (choice === "move") list.move(rng.int(n), rng.int(n));
  else if (choice === "delete") list.delete(rng.int(n));
  else list.set(rng.int(n), value());
  return choice;
}

// One random change; returns its name (for the op mix report).
function randomOp(rng, root, tag) {
  if (rng.next() < 0.15) {
    const own = root.get("own").get(tag);
    return `ownList.${listOp(rng, own, () => randomValue(rng, 2, tag), ["push", "insert", "move", "delete", "set", "set"])}`;
  }
  const { node, depth } = rng.pick(containers(root));
  const value = () => randomValue(rng, depth + 1, tag);
  if (node instanceof LiveList) return `list.${listOp(rng, node, value, ["push", "push", "insert", "move", "delete"])}`;
  if (node instanceof LiveMap) {
    const choice = rng.next() < 0.7 ? "set" : "delete";
    if (choice === "set") node.set(rng.pick(KEYS), value());
    else node.delete(rng.pick(KEYS));
    return `map.${choice}`;
  }
  // A LiveObject: plain keys are set, updated (two at once) or deleted; Live keys get a
  // new structure or are deleted. The root's list/map/obj keys are never touched.
  const choice = rng.pick(["set", "update", "delete", "setLive"]);
  if (choice === "set") node.set(rng.pick(PLAIN_KEYS), randomScalar(rng, tag));
  else if (choice === "update") {
    node.update({ [rng.pick(PLAIN_KEYS)]: randomScalar(rng, tag), [rng.pick(PLAIN_KEYS)]: randomScalar(rng, tag) });
  } else if (choice === "setLive") node.set(rng.pick(LIVE_KEYS), randomLive(rng, depth + 1, tag));
  else node.delete(rng.pick(KEYS));
  return `object.${choice}`;
}

async function main() {
  const initialStorage = () => ({ list: new LiveList([]), map: new LiveMap(), obj: new LiveObject({}), own: new LiveObject({}) });
  const first = await enter(e2ePublicClient(), ROOM, { initialStorage: initialStorage() });
  await waitConverged([first], "the initial storage");
  const rest = await Promise.all(
    Array.from({ length: CLIENTS - 1 }, () => enter(e2ePublicClient(), ROOM, { initialStorage: initialStorage() })),
  );
  const everyone = [first, ...rest];
  everyone.forEach(({ root }, index) => root.get("own").set(`c${index}`, new LiveList([])));
  await waitConverged(everyone, "everyone loaded");

  const mix = {};
  const started = Date.now();
  await Promise.all(
    everyone.map(async ({ root }, index) => {
      const rng = generator(SEED * 1000 + index);
      for (let i = 0; i < OPS; i += 1) {
        const name = randomOp(rng, root, `c${index}`);
        mix[name] = (mix[name] ?? 0) + 1;
        // Yield now and then so frames of all clients interleave at the server.
        if (rng.next() < 0.3) await sleep(rng.int(4));
      }
    }),
  );
  const doc = await waitConverged(everyone, "all clients to converge", 30000);
  const restDoc = await restStorage(ROOM);
  return {
    seconds: (Date.now() - started) / 1000,
    mix,
    opCount: Object.values(mix).reduce((a, b) => a + b, 0),
    clientsEqual: everyone.every(({ root }) => canonical(plain(root)) === canonical(doc)),
    restEqualsClients: canonical(restDoc) === canonical(doc),
    doc,
    errors: everyone.flatMap(({ seen }) => seen.errors),
  };
}

runE2E(main);
