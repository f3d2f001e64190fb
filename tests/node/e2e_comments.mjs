// Comments through the real @liveblocks/client, several users in one room (env: BASE_URL, ROOM):
// a thread made by one appears to the other through the WebSocket event and a refetch (what
// RoomProvider does), replies, reactions, edits, resolve and deletes reach the other side,
// getThreadsSince returns exactly the changes, a read-only user reads but cannot write, and
// a user without private access never sees a private thread.
import { sleep, waitFor } from "./lib.mjs";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, enter, failure, must, runE2E } from "./e2e_lib.mjs";

const ROOM = process.env.ROOM;
const body = (text) => ({ version: 1, content: [{ type: "paragraph", children: [{ text }] }] });
const text = (comment) => comment.body?.content[0].children[0].text;

async function join(client) {
  const entered = await enter(client, ROOM, { storage: false });
  entered.comments = [];
  entered.room.events.comments.subscribe((message) => entered.comments.push(message));
  return entered;
}

// Wait for a comment event, then refetch the thread as RoomProvider does.
async function sees(user, type, match = {}) {
  await waitFor(() => user.comments.find((m) => m.type === type && Object.entries(match).every(([k, v]) => m[k] === v)),
    `event ${type} ${JSON.stringify(match)}`);
  return match.threadId ? (await user.room.getThread(match.threadId)).thread : undefined;
}

async function main() {
  await must("POST", "/v2/rooms", {
    id: ROOM,
    defaultAccesses: [],
    usersAccesses: { alice: ["room:write"], bob: ["room:write"], dave: ["room:write", "comments:private:none"] },
  });
  const endpoint = await startAuthEndpoint();
  const alice = await join(e2eAuthClient(endpoint.url("alice", { access: "id" })));
  const bob = await join(e2eAuthClient(endpoint.url("bob", { access: "id" })));
  const out = {};

  const thread = await alice.room.createThread({ body: body("Hello"), metadata: { status: "open" } });
  out.created = { idPrefix: thread.id.slice(0, 3), metadata: thread.metadata };
  const seenByBob = await sees(bob, 402, { threadId: thread.id, commentId: thread.comments[0].id });
  out.bobSeesThread = { text: text(seenByBob.comments[0]), userId: seenByBob.comments[0].userId,
    threadCreated: bob.comments.some((m) => m.type === 400 && m.threadId === thread.id) };

  const reply = await bob.room.createComment({ threadId: thread.id, body: body("Reply") });
  const afterReply = await sees(alice, 402, { threadId: thread.id, commentId: reply.id });
  out.aliceSeesReply = afterReply.comments.map((c) => [c.userId, text(c)]);

  await alice.room.addReaction({ threadId: thread.id, commentId: reply.id, emoji: "👍" });
  const reacted = await sees(bob, 405, { threadId: thread.id, commentId: reply.id, emoji: "👍" });
  out.bobSeesReaction = reacted.comments[1].reactions.map((r) => ({ emoji: r.emoji, users: r.users }));

  await bob.room.editComment({ threadId: thread.id, commentId: reply.id, body: body("Reply, edited") });
  const edited = await sees(alice, 403, { threadId: thread.id, commentId: reply.id });
  out.aliceSeesEdit = { text: text(edited.comments[1]), editedAt: edited.comments[1].editedAt instanceof Date };
  out.editOthers = await failure(alice.room.editComment({ threadId: thread.id, commentId: reply.id, body: body("mine now") }));

  await alice.room.markThreadAsResolved(thread.id);
  out.bobSeesResolved = (await sees(bob, 408, { threadId: thread.id })).resolved;
  await alice.room.editThreadMetadata({ threadId: thread.id, metadata: { status: "done" } });
  out.bobSeesMetadata = (await sees(bob, 401, { threadId: thread.id })).metadata;
  await alice.room.removeReaction({ threadId: thread.id, commentId: reply.id, emoji: "👍" });
  out.bobSeesUnreact = (await sees(bob, 406, { threadId: thread.id, emoji: "👍" })).comments[1].reactions;

  // Deltas: exactly what changed after requestedAt, deletions included.
  const before = await alice.room.getThreads();
  out.list = { ids: before.threads.map((t) => t.id), hints: before.permissionHints, nextCursor: before.nextCursor };
  await sleep(5);
  const second = await bob.room.createThread({ body: body("Second") });
  await bob.room.deleteComment({ threadId: thread.id, commentId: reply.id });
  out.aliceSeesDeletedComment = (await sees(alice, 404, { threadId: thread.id, commentId: reply.id })).comments[1].deletedAt instanceof Date;
  await alice.room.deleteThread(thread.id);
  await sees(bob, 407, { threadId: thread.id });
  const delta = await alice.room.getThreadsSince({ since: before.requestedAt });
  out.delta = {
    updated: delta.threads.updated.map((t) => t.id),
    deleted: delta.threads.deleted.map((d) => d.id),
    hints: delta.permissionHints,
    expected: { updated: [second.id], deleted: [thread.id] },
  };

  // A read-only user (access token with READ_ACCESS) reads but cannot write.
  const rita = await join(e2eAuthClient(endpoint.url("rita", { access: "read" })));
  const ritaList = await rita.room.getThreads();
  out.rita = {
    ids: ritaList.threads.map((t) => t.id),
    hints: ritaList.permissionHints,
    create: await failure(rita.room.createThread({ body: body("nope") })),
    reply: await failure(rita.room.createComment({ threadId: second.id, body: body("nope") })),
    react: await failure(rita.room.addReaction({ threadId: second.id, commentId: second.comments[0].id, emoji: "👀" })),
  };

  // Private threads: dave may not read them (comments:private:none).
  const dave = await join(e2eAuthClient(endpoint.url("dave", { access: "id" })));
  const secret = await alice.room.createThread({ body: body("Private"), visibility: "private" });
  await sees(bob, 402, { threadId: secret.id });
  await bob.room.createComment({ threadId: second.id, body: body("public again") });
  await waitFor(() => dave.comments.some((m) => m.type === 402 && m.threadId === second.id), "dave's public event");
  out.dave = {
    ids: (await dave.room.getThreads()).threads.map((t) => t.id),
    getPrivate: (await dave.room.getThread(secret.id)).thread ?? null,
    privateEvents: dave.comments.filter((m) => m.threadId === secret.id).length,
    bobSees: (await bob.room.getThreads()).threads.map((t) => t.id),
  };
  // Attachments as the client uploads them: one PUT up to 5 MiB, multipart beyond.
  const small = alice.room.prepareAttachment(new File([new Uint8Array([7, 8, 9])], "small.png", { type: "image/png" }));
  const big = alice.room.prepareAttachment(new File([new Uint8Array(6 * 1024 * 1024).fill(1)], "big.bin"));
  const uploaded = [await alice.room.uploadAttachment(small), await alice.room.uploadAttachment(big)];
  const withFiles = await alice.room.createComment({ threadId: second.id, body: body("files"), attachmentIds: uploaded.map((a) => a.id) });
  const seenFiles = await sees(bob, 402, { threadId: second.id, commentId: withFiles.id });
  const url = await bob.room.getAttachmentUrl(small.id);
  out.attachments = {
    uploaded: uploaded.map((a) => [a.name, a.size]),
    inThread: seenFiles.comments.at(-1).attachments.map((a) => [a.name, a.size, a.mimeType]),
    download: Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())),
    bigSize: (await (await fetch(await bob.room.getAttachmentUrl(big.id))).arrayBuffer()).byteLength,
  };
  out.ids = { second: second.id, secret: secret.id };
  out.errors = [...alice.seen.errors, ...bob.seen.errors, ...rita.seen.errors, ...dave.seen.errors];
  for (const user of [alice, bob, rita, dave]) user.leave();
  endpoint.close();
  return out;
}

runE2E(main);
