// Connection losses at exact points of a storage change's trip, for a client that talks to the
// emulator through its own ws_proxy.mjs proxy. Windows:
//   lost        the change's frames are lost before the server gets them;
//   unacked     the server applied them, every answer (echo/ACK/fix) is lost, then the cut;
//   acked       the answers arrived, then the cut;
//   late-early  the frames were still on the wire when the client gave up the socket: they
//               reach the server (on the old, half-open connection) after the client
//               reconnected, before its storage fetch is answered (what Chromium's offline
//               emulation does to a socket's last frame);
//   late        the same, after the fetch was answered but before the client re-sends them;
//   late-after  the same, only after the re-sent copies were applied.
// Usage: const cut = armCut(proxy, link, window, room); <make the change>; await cut();
// <offline changes>; const newLink = await reconnect(proxy, link, window).
import { waitFor, waitSynchronized } from "./lib.mjs";
import { storageOpsOf } from "./ws_proxy.mjs";

export const WINDOWS = ["lost", "unacked", "acked", "late-early", "late", "late-after"];

const hasStorageOps = (frame) => storageOpsOf(frame).length > 0;
const opIdsIn = (frames) => frames.flatMap((frame) => storageOpsOf(frame)).map((op) => op.opId).filter(Boolean);
const framesOf = (link, dir) => link.frames(dir).map((entry) => entry.frame);

// Set the link up for `window` (before the change is made); returns the cut to await after it.
export function armCut(proxy, link, window, room) {
  const sent = () => framesOf(link, "up").filter(hasStorageOps);
  if (window === "lost" || window.startsWith("late")) {
    link.up = (frame) => (hasStorageOps(frame) ? (window === "lost" ? "drop" : "hold") : "pass");
    return async () => {
      await waitFor(() => sent().length > 0, "the change to leave the client");
      proxy.setAccepting(false);
      if (window === "lost") link.cut();
      else link.cutClient(); // the server's side stays open, the frames still on the wire
    };
  }
  if (window === "unacked") {
    link.down = (frame) => (hasStorageOps(frame) ? "drop" : "pass");
    return async () => {
      // Every op is answered (echo or ACK); wait until all the answers were lost.
      await waitFor(() => {
        const opIds = opIdsIn(sent());
        const answered = new Set(opIdsIn(framesOf(link, "down")));
        return opIds.length > 0 && opIds.every((opId) => answered.has(opId));
      }, "the server to answer the change");
      proxy.setAccepting(false);
      link.cut();
    };
  }
  if (window === "acked") {
    return async () => {
      await waitSynchronized(room);
      proxy.setAccepting(false);
      link.cut();
    };
  }
  throw new Error(`unknown window ${window}`);
}

// Back online; in the late windows, order the old connection's frames against the new one's.
// Returns the new link.
export async function reconnect(proxy, before, window) {
  const late = window.startsWith("late");
  // Armed before the socket opens: the client's first frame must not slip through.
  if (late) proxy.linkPolicy = { up: (frame) => (window === "late-early" || hasStorageOps(frame) ? "hold" : "pass") };
  proxy.setAccepting(true);
  const after = await proxy.nextLink("the client to reconnect");
  proxy.linkPolicy = null;
  if (!late) return after;
  const lateOpIds = opIdsIn(before.held.up);
  const answered = (link) => {
    const seen = new Set(opIdsIn(framesOf(link, "down")));
    return lateOpIds.every((opId) => seen.has(opId));
  };
  const deliverLate = async () => {
    before.releaseUp();
    await waitFor(() => answered(before), "the server to handle the late frames");
  };
  const fetched = () => framesOf(after, "down").some((frame) => frame.includes('"type":211'));
  if (window === "late-early") {
    // Joined (ROOM_STATE came), its first frame (presence and storage fetch) held here.
    await waitFor(() => framesOf(after, "down").some((frame) => frame.includes('"type":104')), "the client to join");
    await waitFor(() => after.held.up.length > 0, "the client to ask for storage");
    await deliverLate();
    after.releaseUp();
  } else {
    await waitFor(fetched, "the client to fetch storage");
    if (window === "late") {
      await deliverLate();
      after.releaseUp();
    } else {
      await waitFor(() => after.held.up.length > 0, "the client to re-send its ops");
      after.releaseUp();
      await waitFor(() => answered(after), "the server to handle the re-sent ops");
      await deliverLate();
    }
  }
  before.cutServer();
  return after;
}
