// The official Node SDK's Comments and attachments methods against the emulator (BASE_URL, SECRET from the env).
import { Liveblocks } from "@liveblocks/node";

const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
const roomId = "node-comments";
const r = {};
const body = (text) => ({ version: 1, content: [{ type: "paragraph", children: [{ text }] }] });

async function error(promise) {
  try {
    await promise;
    return "no error";
  } catch (e) {
    return { status: e.status, message: e.message };
  }
}

await liveblocks.createRoom(roomId, { defaultAccesses: [] });
const thread = await liveblocks.createThread({
  roomId,
  data: {
    comment: { userId: "alice", body: body("Hello"), createdAt: new Date("2026-01-01T00:00:00.000Z") },
    metadata: { status: "open", x: 3 },
  },
});
r.thread = { id: thread.id, createdAt: thread.createdAt.toISOString(), isDate: thread.updatedAt instanceof Date,
  metadata: thread.metadata, resolved: thread.resolved, comments: thread.comments.length };
const other = await liveblocks.createThread({ roomId, data: { comment: { userId: "bob", body: body("Other") }, metadata: { status: "closed", x: 30 } } });

const reply = await liveblocks.createComment({ roomId, threadId: thread.id, data: { userId: "bob", body: body("Reply") } });
r.reply = { userId: reply.userId, threadId: reply.threadId };
r.getComment = (await liveblocks.getComment({ roomId, threadId: thread.id, commentId: reply.id })).body;
const edited = await liveblocks.editComment({ roomId, threadId: thread.id, commentId: reply.id, data: { body: body("Edited") } });
r.editedAt = edited.editedAt instanceof Date;
r.metadata = await liveblocks.editThreadMetadata({ roomId, threadId: thread.id, data: { metadata: { status: "done", x: null }, userId: "alice" } });
r.commentMetadata = await liveblocks.editCommentMetadata({ roomId, threadId: thread.id, commentId: reply.id, data: { metadata: { seen: true }, userId: "bob" } });
r.reaction = await liveblocks.addCommentReaction({ roomId, threadId: thread.id, commentId: reply.id, data: { emoji: "🎉", userId: "alice" } });
r.reaction.createdAt = r.reaction.createdAt instanceof Date;
await liveblocks.addCommentReaction({ roomId, threadId: thread.id, commentId: reply.id, data: { emoji: "🎉", userId: "bob" } });
r.reactions = (await liveblocks.getThread({ roomId, threadId: thread.id })).comments[1].reactions.map((x) => ({ emoji: x.emoji, users: x.users }));
r.again = await error(liveblocks.addCommentReaction({ roomId, threadId: thread.id, commentId: reply.id, data: { emoji: "🎉", userId: "bob" } }));
await liveblocks.removeCommentReaction({ roomId, threadId: thread.id, commentId: reply.id, data: { emoji: "🎉", userId: "bob" } });
r.afterRemove = (await liveblocks.getComment({ roomId, threadId: thread.id, commentId: reply.id })).reactions.map((x) => x.users);

r.resolved = (await liveblocks.markThreadAsResolved({ roomId, threadId: thread.id, data: { userId: "bob" } })).resolved;
r.queryResolved = (await liveblocks.getThreads({ roomId, query: { resolved: true } })).data.map((t) => t.id);
r.queryObject = (await liveblocks.getThreads({ roomId, query: { metadata: { status: "closed" } } })).data.map((t) => t.id);
r.queryString = (await liveblocks.getThreads({ roomId, query: "metadata['x']>10" })).data.map((t) => t.id);
r.unresolved = (await liveblocks.markThreadAsUnresolved({ roomId, threadId: thread.id, data: { userId: "bob" } })).resolved;

r.subscription = await liveblocks.subscribeToThread({ roomId, threadId: thread.id, data: { userId: "carol" } });
r.subscription.createdAt = r.subscription.createdAt instanceof Date;
await liveblocks.unsubscribeFromThread({ roomId, threadId: thread.id, data: { userId: "bob" } });
r.subscriptions = (await liveblocks.getThreadSubscriptions({ roomId, threadId: thread.id })).data.map((s) => s.userId).sort();
r.participants = (await liveblocks.getThreadParticipants({ roomId, threadId: thread.id })).participantIds;

const file = new File([new Uint8Array([1, 2, 3, 4])], "pic.png", { type: "image/png" });
const attachment = await liveblocks.uploadAttachment({ roomId, userId: "alice", file });
r.attachment = { idPrefix: attachment.id.slice(0, 3), name: attachment.name, size: attachment.size, mimeType: attachment.mimeType };
// Beyond 5 MiB the SDK uploads in parts (multipart create, parts, complete).
const big = await liveblocks.uploadAttachment({ roomId, userId: "alice", file: new File([new Uint8Array(6 * 1024 * 1024).fill(2)], "big.bin") });
r.big = { size: big.size, downloaded: (await (await fetch((await liveblocks.getAttachment({ roomId, attachmentId: big.id })).url)).arrayBuffer()).byteLength };
const withAttachment = await liveblocks.createComment({ roomId, threadId: thread.id, data: { userId: "alice", body: body("file"), attachmentIds: [attachment.id] } });
r.commentAttachments = withAttachment.attachments.map((a) => a.id === attachment.id);
const got = await liveblocks.getAttachment({ roomId, attachmentId: attachment.id });
r.download = Array.from(new Uint8Array(await (await fetch(got.url)).arrayBuffer()));

await liveblocks.deleteComment({ roomId, threadId: thread.id, commentId: reply.id });
r.deletedComment = (await liveblocks.getComment({ roomId, threadId: thread.id, commentId: reply.id })).deletedAt instanceof Date;
await liveblocks.deleteThread({ roomId, threadId: other.id });
r.missing = await error(liveblocks.getThread({ roomId, threadId: other.id }));
r.unknownRoom = await error(liveblocks.getThreads({ roomId: "no-such-room" }));
r.left = (await liveblocks.getThreads({ roomId })).data.map((t) => t.id);
r.threadId = thread.id;
r.otherId = other.id;
console.log(JSON.stringify(r));
