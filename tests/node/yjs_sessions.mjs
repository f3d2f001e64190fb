// Randomized 3-client Yjs sessions (text insert/delete/format, array, map with nested maps,
// XML, offline batches), played against a JS "server" doc: every update the server would
// receive, in order, with the remoteSnapshotHash JS computes after applying it (v1 and v2
// snapshot flavours). The emulator must compute the same hashes (env: SEEDS=1,2,…, STEPS).
import { createHash } from "node:crypto";
import * as Y from "yjs";

const hash = (doc, v2) =>
  createHash("sha256").update(v2 ? Y.encodeSnapshotV2(Y.snapshot(doc)) : Y.encodeSnapshot(Y.snapshot(doc))).digest("base64");
const b64 = (bytes) => Buffer.from(bytes).toString("base64");

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function session(seed, steps) {
  const random = mulberry32(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const server = new Y.Doc();
  const clients = [0, 1, 2].map(() => {
    const doc = new Y.Doc();
    const client = { doc, queue: [] };
    doc.on("update", (update, origin) => { if (origin !== "server") client.queue.push(update); });
    return client;
  });
  const received = [];
  const edits = [
    (doc) => { const t = doc.getText("t"); t.insert(int(t.length + 1), pick(["a", "bc", "é", "xyz "])); },
    (doc) => { const t = doc.getText("t"); if (t.length) { const at = int(t.length); t.delete(at, 1 + int(Math.min(3, t.length - at))); } },
    (doc) => { const t = doc.getText("t"); if (t.length) { const at = int(t.length); t.format(at, 1 + int(t.length - at), pick([{ bold: true }, { bold: null }, { link: { href: "x" } }])); } },
    (doc) => { const a = doc.getArray("a"); a.insert(int(a.length + 1), [pick([1, "s", null, { k: 2 }])]); },
    (doc) => { const a = doc.getArray("a"); if (a.length) a.delete(int(a.length), 1); },
    (doc) => { doc.getMap("m").set(pick(["k1", "k2", "k3"]), pick([1, "v", true, [1, 2]])); },
    (doc) => { const m = doc.getMap("m"); if (random() < 0.5) m.delete(pick(["k1", "k2", "k3"])); else { const n = new Y.Map(); m.set("nested", n); n.set("x", int(10)); } },
    (doc) => { const f = doc.getXmlFragment("x"); const e = new Y.XmlElement(pick(["p", "h1"])); f.insert(int(f.length + 1), [e]); e.setAttribute("a", String(int(5))); e.insert(0, [new Y.XmlText("hi")]); },
    (doc) => { const f = doc.getXmlFragment("x"); if (f.length) f.delete(int(f.length), 1); },
  ];
  for (let step = 0; step < steps; step++) {
    const client = pick(clients);
    const roll = random();
    if (roll < 0.55) {
      // An edit, sometimes several in one transaction.
      client.doc.transact(() => { for (let i = 1 + int(2); i > 0; i--) pick(edits)(client.doc); });
    } else if (roll < 0.85) {
      // Flush: the server receives the client's queued updates in order (an offline batch when long).
      for (const update of client.queue.splice(0)) {
        Y.applyUpdate(server, update);
        received.push({ update: b64(update), hash: hash(server, false), hashV2: hash(server, true) });
      }
    } else {
      // Sync: the client catches up with the server.
      Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client.doc)), "server");
    }
  }
  const json = { t: server.getText("t").toJSON(), a: server.getArray("a").toJSON(), m: server.getMap("m").toJSON(), x: server.getXmlFragment("x").toJSON() };
  return { seed, received, json };
}

const seeds = (process.env.SEEDS ?? "1").split(",").map(Number);
const steps = Number(process.env.STEPS ?? 150);
console.log(JSON.stringify(seeds.map((seed) => session(seed, steps))));
