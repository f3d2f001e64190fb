// Yjs documents through the real @liveblocks/yjs provider and @liveblocks/node (YJS.md §5):
// two providers converge, offline edits flush after a reconnect, a late joiner loads the
// document, deletes and formatting, a subdocument, REST read-back and PUT, a read-only user.
// Every step waits for the providers' "synchronized" status (env: BASE_URL, ROOM).
import { Liveblocks } from "@liveblocks/node";
import { LiveblocksYjsProvider } from "@liveblocks/yjs";
import WebSocket from "ws";
import * as Y from "yjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { authClient, BASE_URL, publicClient, run, SECRET, sleep, waitFor, waitForStatus } from "./lib.mjs";

const ROOM = process.env.ROOM;
const node = new Liveblocks({ secret: SECRET, baseUrl: BASE_URL });
const sockets = {};

function observed(label) {
  return class extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets[label] = this;
    }
  };
}

async function provider(label, makeClient = publicClient, options = {}) {
  const client = makeClient({ polyfills: { WebSocket: observed(label), fetch } });
  const { room, leave } = client.enterRoom(ROOM, { initialPresence: {} });
  const doc = new Y.Doc();
  const yjs = new LiveblocksYjsProvider(room, doc, options);
  await waitForStatus(room, "connected");
  return { label, room, leave, doc, yjs, text: () => doc.getText("t").toString() };
}

const synced = (...all) => all.every(({ yjs }) => yjs.getStatus() === "synchronized");
async function waitSynced(all, what) {
  await waitFor(() => synced(...all), `${what}: synchronized (now ${all.map(({ label, yjs }) => `${label}=${yjs.getStatus()}`)})`, 15000);
}
async function waitText(all, predicate, what) {
  await waitFor(() => all.every((p) => predicate(p.text())), `${what} (texts ${JSON.stringify(all.map((p) => p.text()))})`, 15000);
  await waitSynced(all, what);
}

async function main() {
  const out = {};
  await node.getOrCreateRoom(ROOM, { defaultAccesses: ["room:write"] });
  const a = await provider("A");
  const b = await provider("B");
  await waitSynced([a, b], "initial sync");
  out.initial = a.yjs.getStatus();

  a.doc.getText("t").insert(0, "hello");
  await waitText([a, b], (t) => t === "hello", "B sees hello");
  b.doc.getText("t").insert(5, " world");
  await waitText([a, b], (t) => t === "hello world", "A sees world");
  out.afterTwoEdits = a.text();

  // Concurrent edits, without waiting in between.
  a.doc.getText("t").insert(0, "[A]");
  b.doc.getText("t").insert(b.text().length, "[B]");
  await waitText([a, b], (t) => t.includes("[A]") && t.includes("[B]"), "concurrent edits");
  out.concurrentEqual = a.text() === b.text();

  // A loses its connection and both edit meanwhile: A's offline edit is flushed on reconnect.
  sockets.A.terminate();
  a.doc.getText("t").insert(0, "offA-");
  b.doc.getText("t").insert(0, "B-");
  await waitForStatus(a.room, "connected", 15000);
  await waitText([a, b], (t) => t.includes("offA-") && t.includes("B-"), "offline edits after reconnect");
  out.afterReconnect = a.text() === b.text();

  // A late joiner loads everything.
  const c = await provider("C");
  await waitText([a, b, c], (t) => t === a.text(), "late joiner");
  out.lateJoiner = c.text() === a.text();

  // Deletes and formatting.
  a.doc.getText("t").delete(0, 3);
  a.doc.getText("t").format(0, 4, { bold: true });
  await waitFor(() => JSON.stringify(c.doc.getText("t").toDelta()) === JSON.stringify(a.doc.getText("t").toDelta()), "formatting at C", 15000);
  await waitSynced([a, b, c], "after delete and format");
  out.delta = a.doc.getText("t").toDelta();

  // A subdocument: A creates it, B loads its copy.
  const child = new Y.Doc();
  a.doc.getMap("docs").set("child", child);
  child.getText("s").insert(0, "inside subdoc");
  await waitFor(() => b.doc.getMap("docs").get("child"), "subdoc at B", 15000);
  const bChild = b.doc.getMap("docs").get("child");
  bChild.load();
  await waitFor(() => bChild.getText("s").toString() === "inside subdoc", "subdoc text at B", 15000);
  await waitSynced([a, b], "subdoc");
  out.subdocGuid = child.guid;
  bChild.getText("s").insert(0, ">");
  await waitFor(() => child.getText("s").toString() === ">inside subdoc", "subdoc edit at A", 15000);
  await waitSynced([a, b], "subdoc edit");

  // A map and a Tiptap-shaped XML fragment, read back through the Node SDK below.
  a.doc.transact(() => {
    a.doc.getMap("m").set("k", 1);
    a.doc.getMap("m").set("nested", new Y.Map([["x", "y"]]));
    const paragraph = new Y.XmlElement("paragraph");
    a.doc.getXmlFragment("default").insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, "Hi ");
    text.insert(3, "there", { bold: true });
  });
  await waitFor(() => b.doc.getXmlFragment("default").length === 1, "xml at B", 15000);
  await waitSynced([a, b], "map and xml");
  out.expectedXml = a.doc.getXmlFragment("default").toJSON();
  out.expectedMap = a.doc.getMap("m").toJSON();

  // REST read-back.
  out.json = await node.getYjsDocument(ROOM);
  out.jsonText = await node.getYjsDocument(ROOM, { key: "t", type: "ytext" });
  out.jsonMap = await node.getYjsDocument(ROOM, { key: "m", type: "ymap" });
  out.jsonXml = await node.getYjsDocument(ROOM, { key: "default", type: "yxmlfragment" });
  out.formatted = await node.getYjsDocument(ROOM, { format: true });
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, new Uint8Array(await node.getYjsDocumentAsBinaryUpdate(ROOM)));
  out.binaryEqual = fresh.getText("t").toString() === a.text() &&
    JSON.stringify(fresh.getText("t").toDelta()) === JSON.stringify(a.doc.getText("t").toDelta());
  const subFresh = new Y.Doc();
  Y.applyUpdate(subFresh, new Uint8Array(await node.getYjsDocumentAsBinaryUpdate(ROOM, { guid: child.guid })));
  out.subdocBinary = subFresh.getText("s").toString();

  // Version history through the Node SDK.
  const created = await node.createVersionHistorySnapshot(ROOM);
  const history = await node.getVersionHistory(ROOM);
  out.versions = { created: created.data.id, listed: history.data.map((v) => v.id), createdAtIsDate: history.data[0].createdAt instanceof Date };
  const versionDoc = new Y.Doc();
  Y.applyUpdate(versionDoc, new Uint8Array(await node.getYjsVersion({ roomId: ROOM, versionId: created.data.id })));
  out.versions.text = versionDoc.getText("t").toString() === a.text();
  await node.deleteVersion({ roomId: ROOM, versionId: created.data.id });
  out.versions.afterDelete = (await node.getVersionHistory(ROOM)).data.length;

  // PUT over REST reaches the live providers.
  const restDoc = new Y.Doc();
  restDoc.getText("fromRest").insert(0, "R");
  await node.sendYjsBinaryUpdate(ROOM, Y.encodeStateAsUpdate(restDoc));
  await waitFor(() => a.doc.getText("fromRest").toString() === "R" && b.doc.getText("fromRest").toString() === "R", "REST update at A and B", 15000);
  await waitSynced([a, b, c], "after REST update");

  // A read-only user sees the writers' edits; its own edits reach nobody.
  const endpoint = await startAuthEndpoint();
  const r = await provider("R", (options) => authClient(endpoint.url("reader", { access: "read" }), options));
  await waitText([a, r], (t) => t === a.text(), "reader loads");
  out.readerCanWrite = r.room.getSelf()?.canWrite;
  a.doc.getText("t").insert(0, "W");
  await waitText([a, r], (t) => t.startsWith("W"), "reader sees writer");
  r.doc.getText("t").insert(0, "READER");
  await sleep(500);
  out.readerEditReachedA = a.text().includes("READER");
  out.readerEditReachedRest = (await node.getYjsDocument(ROOM)).t.includes("READER");
  // A v2 provider reads (and reaches "synchronized", its hash flavour honoured); its writes are refused.
  const v = await provider("V", publicClient, { useV2Encoding_experimental: true });
  await waitText([a, v], (t) => t === a.text(), "v2 provider loads");
  a.doc.getText("t").delete(0, 1);
  await waitText([a, v], (t) => t === a.text(), "v2 provider follows a delete");
  out.v2Status = v.yjs.getStatus();
  out.final = { a: a.text(), statuses: [a, b, c].map(({ yjs }) => yjs.getStatus()) };
  endpoint.close?.();
  return out;
}

run(main);
