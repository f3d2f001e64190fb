// A real @liveblocks/client in a room, driven line by line from stdin by the dashboard's
// browser tests (tests/dashboard/): each line is a JSON command, each answer one JSON line.
//   {"cmd":"enter","room":"r","presence":{...}}   -> {"ok":true,"connectionId":n}
//   {"cmd":"presence","data":{...}}                -> {"ok":true}
//   {"cmd":"push","list":"todos","value":...}      -> {"ok":true}
//   {"cmd":"waitFor","key":"todos","equals":...}   -> {"ok":true,"value":...}  (root[key] as JSON)
//   {"cmd":"yjsInsert","text":"t","index":0,"key":"k"} -> {"ok":true}  (a LiveblocksYjsProvider
//                                                     inserts into the Y.Text root `key`, synced)
//   {"cmd":"leave"}                                -> {"ok":true}
//   {"cmd":"churn","every":100}                    -> {"ok":true}  then a presence update and a
//                                                     push to root.churn every `every` ms (bench)
import readline from "node:readline";
import { LiveList } from "@liveblocks/client";
import { LiveblocksYjsProvider } from "@liveblocks/yjs";
import * as Y from "yjs";
import { publicClient, waitFor, waitForStatus, waitSynchronized } from "./lib.mjs";

const client = publicClient();
let room = null;
let leave = null;
let yjs = null;

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function handle(command) {
  switch (command.cmd) {
    case "enter": {
      ({ room, leave } = client.enterRoom(command.room, { initialPresence: command.presence ?? {} }));
      await waitForStatus(room, "connected");
      await room.getStorage();
      await waitSynchronized(room);
      return { connectionId: room.getSelf()?.connectionId };
    }
    case "presence":
      room.updatePresence(command.data);
      return {};
    case "push": {
      const { root } = await room.getStorage();
      if (!root.get(command.list)) root.set(command.list, new LiveList([]));
      root.get(command.list).push(command.value);
      await waitSynchronized(room);
      return {};
    }
    case "waitFor": {
      const { root } = await room.getStorage();
      const value = await waitFor(() => {
        const now = root.toJSON()[command.key];
        return same(now, command.equals) ? { now } : null;
      }, `root.${command.key} == ${JSON.stringify(command.equals)} (now ${JSON.stringify(root.toJSON()[command.key])})`);
      return { value: value.now };
    }
    case "churn": {
      const { root } = await room.getStorage();
      if (!root.get("churn")) root.set("churn", new LiveList([]));
      let n = 0;
      setInterval(() => {
        n += 1;
        room.updatePresence({ tick: n });
        const list = root.get("churn");
        if (list.length >= 50) list.delete(0);
        list.push(n);
      }, command.every);
      return {};
    }
    case "yjsInsert": {
      if (!yjs) {
        const doc = new Y.Doc();
        yjs = { doc, provider: new LiveblocksYjsProvider(room, doc) };
      }
      await waitFor(() => yjs.provider.getStatus() === "synchronized", "Yjs synchronized");
      yjs.doc.getText(command.key ?? "text").insert(command.index ?? 0, command.text);
      await waitFor(() => yjs.provider.getStatus() === "synchronized", "Yjs update sent");
      return {};
    }
    case "leave":
      yjs?.provider.destroy();
      yjs = null;
      leave();
      room = null;
      return {};
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    console.log(JSON.stringify({ ok: true, ...(await handle(JSON.parse(line))) }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }));
  }
}
process.exit(0);
