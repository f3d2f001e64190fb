// Who gets in, through the real client: ID tokens (identifyUser -> /v2/identify-user) get
// the room's accesses for the user and its groups; a user with no access, and an access
// token for other rooms, are refused with 4001 and stop (env: BASE_URL, ROOM).
import { LiveList } from "@liveblocks/client";
import { waitForStatus } from "./lib.mjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, enter, must, plain, runE2E, waitConverged } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;

function summary(entered) {
  const { id, info, canWrite } = entered.room.getSelf();
  return { id, info, canWrite };
}

// Enter a room that refuses us: the client gives up with an error event.
async function refused(client) {
  const { room, leave } = client.enterRoom(ROOM, { initialPresence: {} });
  const errors = [];
  room.subscribe("error", (error) => errors.push({ code: error.context?.code, message: error.message }));
  await waitForStatus(room, "disconnected");
  leave();
  return errors;
}

async function main() {
  await must("POST", "/v2/rooms", {
    id: ROOM,
    defaultAccesses: [],
    usersAccesses: { dana: ["room:write"] },
    groupsAccesses: { readers: ["room:read", "room:presence:write"] },
  });
  const endpoint = await startAuthEndpoint();
  const dana = await enter(e2eAuthClient(endpoint.url("dana", { access: "id" })), ROOM, { initialStorage: { notes: new LiveList([]) } });
  dana.root.get("notes").push("by dana");
  await waitConverged([dana]);
  const frank = await enter(e2eAuthClient(endpoint.url("frank", { access: "id", groups: "readers" })), ROOM);
  const out = {
    dana: summary(dana),
    frank: { ...summary(frank), doc: plain(frank.root) },
    erin: await refused(e2eAuthClient(endpoint.url("erin", { access: "id" }))),
    outsider: await refused(e2eAuthClient(endpoint.url("olga", { room: "elsewhere-*" }))),
    errors: [...dana.seen.errors, ...frank.seen.errors],
  };
  dana.leave();
  frank.leave();
  endpoint.close();
  return out;
}

runE2E(main);
