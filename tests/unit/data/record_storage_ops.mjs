// Records how Liveblocks' own server core (@liveblocks/server, used here only as
// a behaviour reference, never copied) applies random batches of storage ops,
// so tests/unit/test_storage_ops.py can check that emulator/domain/storage_ops.py
// gives the same outcomes, replies and resulting nodes.
//
// Usage (outside the repo, never commit node_modules):
//   mkdir /tmp/lbrec && cd /tmp/lbrec && npm install @liveblocks/server@1.9.0 @liveblocks/core@3.24.2
//   cp tests/unit/data/*.mjs /tmp/lbrec/ && cd /tmp/lbrec
//   node record_storage_ops.mjs > <repo>/tests/unit/data/reference_storage_ops.json
import {
  InMemoryDriver,
  test_only__Storage as Storage,
  ackIgnoredOp,
  clientMsgDecoder,
  plainLsonToNodeStream,
  snapshotToLossyJson_eager,
  snapshotToPlainLson_eager,
} from "@liveblocks/server";
import { rng } from "./seeded_random.mjs";

const rand = rng(4242);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const lo = (data) => ({ liveblocksType: "LiveObject", data });
const ll = (data) => ({ liveblocksType: "LiveList", data });
const lm = (data) => ({ liveblocksType: "LiveMap", data });
const INITIAL = [
  lo({}),
  lo({
    title: "t",
    obj: lo({ a: 1, child: lo({ deep: ll([1]) }) }),
    map: lm({ k: 1, o: lo({}) }),
    list: ll(["x", "y", lo({ z: 1 })]),
  }),
  lo({ items: ll(["a", "b", "c", "d"]), m: lm({}) }),
];

// Ids and keys from a small space, so ops collide often.
const IDS = ["root", "si:1", "si:2", "si:3", "si:4", "si:5", "si:6", "si:7", "si:8", "si:9",
  "0:1", "0:2", "0:3", "1:1"];
const KEYS = ["a", "child", "k", "o", "title", "!", "!!", "!\"", "!#", "~", "! O", "x"];
const VALUES = [null, 0, 1, "s", [1], { n: 1 }, true];

function randomOp(opId) {
  const type = pick([1, 2, 3, 4, 5, 6, 7, 8, 8, 4]);
  const op = { type, opId, id: pick(IDS) };
  if ([2, 4, 7, 8].includes(type)) {
    op.parentId = pick(IDS);
    op.parentKey = pick(KEYS);
    const intent = pick([undefined, undefined, "set", "push"]);
    if (intent !== undefined) op.intent = intent;
    if (rand() < 0.4) op.deletedId = pick(IDS);
    if (type === 4) op.data = rand() < 0.5 ? {} : { [pick(KEYS)]: pick(VALUES) };
    if (type === 8) op.data = pick(VALUES);
  } else if (type === 3) {
    op.data = { [pick(KEYS)]: pick(VALUES) };
  } else if (type === 6) {
    op.key = pick(KEYS);
  } else if (type === 1) {
    op.parentKey = pick(KEYS);
  }
  return op;
}

const scenarios = [];
for (let s = 0; s < 150; s++) {
  const initialIndex = Math.floor(rand() * INITIAL.length);
  const initial = INITIAL[initialIndex];
  const driver = new InMemoryDriver();
  driver.DANGEROUSLY_reset_nodes(initial);
  const storage = new Storage(driver);
  const sent = [];
  const count = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < count; i++) sent.push(randomOp(`0:${i}`));
  // Decode like the server does: that fixes the field order of echoes and fixes.
  const ops = clientMsgDecoder.verify({ type: 201, ops: sent }).ops;
  const results = storage.applyOps(ops);
  // The three replies, built the way Room builds them.
  const immediate = [];
  const echo = [];
  const outcomes = [];
  for (const r of results) {
    outcomes.push(r.action);
    if (r.action === "ignored") immediate.push(ackIgnoredOp(r.ignoredOpId));
    else if (r.action === "rectified") immediate.push(r.ackOp, ...(r.fix ? [r.fix] : []));
    else if (r.action === "accepted") {
      if (r.fix) immediate.push(r.fix);
      echo.push(r.op);
    }
  }
  const nodes = Array.from(driver.iter_nodes()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  // What GET storage returns (Plain LSON and ?format=json) for the result.
  const plainLson = snapshotToPlainLson_eager(driver.get_snapshot());
  const json = snapshotToLossyJson_eager(driver.get_snapshot());
  scenarios.push({
    initial: initialIndex, ops: sent, outcomes, immediate, echo, nodes, plainLson, json,
  });
}
// The nodes (ids, positions) the reference importer makes from Plain LSON.
const bigList = ll(Array.from({ length: 150 }, (_, i) => (i % 3 ? i : lo({ i, l: ll([i]) }))));
const imports = [...INITIAL, lo({ big: bigList, m: lm({ a: lm({ b: ll([lm({})]) }) }) })].map(
  (doc) => ({ doc, nodes: Array.from(plainLsonToNodeStream(doc)) }),
);
console.log(JSON.stringify({ initial: INITIAL, scenarios, imports }));
