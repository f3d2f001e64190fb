// A LiveList page like Liveblocks' e2e sandbox "offline" page: push / clear buttons and the
// room's state in elements a test reads (#socketStatus, #syncStatus, #numOthers, #numItems,
// #items). Query: ?room=<id>&baseUrl=<emulator>&publicApiKey=<pk>.
import { createClient, LiveList } from "@liveblocks/client";

const params = new URLSearchParams(location.search);
const client = createClient({
  baseUrl: params.get("baseUrl"),
  publicApiKey: params.get("publicApiKey") ?? "pk_localdev",
  throttle: 16,
});
const { room } = client.enterRoom(params.get("room"), {
  initialPresence: {},
  initialStorage: { items: new LiveList([]) },
});

const app = document.getElementById("app");
const rows = {};
for (const id of ["socketStatus", "syncStatus", "connectionId", "numOthers", "numItems", "items"]) {
  const row = document.createElement("div");
  row.append(`${id}: `);
  rows[id] = document.createElement("span");
  rows[id].id = id;
  row.append(rows[id]);
  app.append(row);
}

let items = null;
let letter = "A";
function render() {
  rows.socketStatus.textContent = room.getStatus();
  rows.syncStatus.textContent = room.getStorageStatus();
  rows.connectionId.textContent = String(room.getSelf()?.connectionId ?? "");
  rows.numOthers.textContent = String(room.getOthers().length);
  const list = items?.toJSON() ?? null;
  rows.numItems.textContent = list === null ? "" : String(list.length);
  rows.items.textContent = JSON.stringify(list);
}
for (const event of ["status", "others", "storage-status", "my-presence"]) room.subscribe(event, render);

room.getStorage().then(({ root }) => {
  items = root.get("items");
  room.subscribe(items, render);
  render();
});

// What the sandbox's buttons do: push "<connectionId>:<letter>" (next letter each time), clear.
window.app = {
  push() {
    const value = `${room.getSelf()?.connectionId ?? -1337}:${letter}`;
    letter = String.fromCharCode(letter.charCodeAt(0) + 1);
    items.push(value);
    render();
    return value;
  },
  clear() {
    items.clear();
    render();
  },
};
render();
