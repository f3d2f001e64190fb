// Records fractional positions produced by the official @liveblocks/core, so
// tests/unit/test_positions.py can check that emulator/domain/positions.py
// gives the same strings.
//
// Usage (outside the repo, never commit node_modules):
//   mkdir /tmp/lbrec && cd /tmp/lbrec && npm install @liveblocks/core@3.24.2
//   cp tests/unit/data/*.mjs /tmp/lbrec/ && cd /tmp/lbrec
//   node record_positions.mjs > <repo>/tests/unit/data/official_positions.json
import { makePosition, asPos, createManagedPool, LiveObject, LiveList } from "@liveblocks/core";
import { rng } from "./seeded_random.mjs";

const rand = rng(20240601);
const randInt = (n) => Math.floor(rand() * n);

// A random valid position: chars 32..126, last char not ' '.
function randomPos(maxLen = 6) {
  const len = 1 + randInt(maxLen);
  let s = "";
  for (let i = 0; i < len; i++) {
    s += String.fromCharCode(32 + randInt(95));
  }
  s = s.replace(/ +$/, "");
  return s === "" ? "!" : s;
}
// Positions near the edges of the alphabet exercise carries and viewports.
function edgyPos() {
  const alphabet = [" ", "!", "\"", "O", "}", "~"];
  const len = 1 + randInt(7);
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet[randInt(alphabet.length)];
  s = s.replace(/ +$/, "");
  return s === "" ? "~" : s;
}
const anyPos = () => (rand() < 0.5 ? randomPos() : edgyPos());

const out = { after: [], before: [], between: [], asPos: [], chains: {}, lists: [] };

for (let i = 0; i < 400; i++) {
  const p = anyPos();
  out.after.push([p, makePosition(p)]);
}
for (let i = 0; i < 400; i++) {
  const p = anyPos();
  out.before.push([p, makePosition(undefined, p)]);
}
for (let i = 0; i < 600; i++) {
  const a = anyPos();
  const b = anyPos();
  if (a === b) continue;
  out.between.push([a, b, makePosition(a, b)]);
}
const garbage = ["", " ", "  ", "\u0000", "a\u0001b", "abc ", "~~~\u007f", "\u00e9", "x\u{1F600}",
  "\t!", "!", "!!", "O", "~", " !", "!\u0000"];
for (let i = 0; i < 100; i++) {
  let s = "";
  const len = randInt(6);
  for (let j = 0; j < len; j++) s += String.fromCharCode(randInt(300));
  garbage.push(s);
}
for (const s of garbage) out.asPos.push([s, asPos(s)]);

// Repeated after/before from the first position: 300 pushes, 300 unshifts.
{
  const pushes = [];
  let p = makePosition();
  for (let i = 0; i < 300; i++) { pushes.push(p); p = makePosition(p); }
  out.chains.after = pushes;
  const unshifts = [];
  p = makePosition();
  for (let i = 0; i < 300; i++) { unshifts.push(p); p = makePosition(undefined, p); }
  out.chains.before = unshifts;
  // Repeatedly inserting right after the first item (the worst case for length).
  const squeeze = [];
  let lo = makePosition();
  let hi = makePosition(lo);
  for (let i = 0; i < 200; i++) { const m = makePosition(lo, hi); squeeze.push(m); hi = m; }
  out.chains.squeezeLow = squeeze;
}

// A root LiveObject attached to a pool that records every op the client sends.
function recordingRoot(actor) {
  const ops = [];
  const pool = createManagedPool({
    getCurrentConnectionId: () => actor,
    onDispatch: (dispatched) => { for (const op of dispatched) ops.push(op); },
  });
  const root = new LiveObject({});
  root._attach("root", pool);
  return { root, ops };
}

// What a real LiveList emits: random push / insert / move / delete, ops captured.
function recordList(seedOps) {
  const { root, ops } = recordingRoot(7);
  const list = new LiveList(["a", "b", "c"]);
  root.set("list", list);
  const initialOps = ops.slice();
  const steps = [];
  for (let i = 0; i < seedOps; i++) {
    const n = list.length;
    const r = rand();
    const before = ops.length;
    let step;
    if (r < 0.35 || n === 0) {
      list.push(`p${i}`);
      step = ["push"];
    } else if (r < 0.7) {
      const idx = randInt(n + 1);
      list.insert(`i${i}`, idx);
      step = ["insert", idx];
    } else if (r < 0.9 && n > 1) {
      const from = randInt(n);
      const to = randInt(n);
      list.move(from, to);
      step = ["move", from, to];
    } else {
      const idx = randInt(n);
      list.delete(idx);
      step = ["delete", idx];
    }
    step.push(ops.slice(before));
    steps.push(step);
  }
  return { initialOps, steps, final: list.toJSON() };
}
for (let k = 0; k < 4; k++) out.lists.push(recordList(120));

// The positions `new LiveList([...])` gives its initial items.
{
  const { root, ops } = recordingRoot(1);
  root.set("l", new LiveList(Array.from({ length: 120 }, (_, i) => i)));
  out.chains.newLiveList = ops.filter((op) => op.type === 8).map((op) => op.parentKey);
}

console.log(JSON.stringify(out));
