// The official Node SDK sees the inbox fill itself: A (ann) comments in a thread B (bob)
// started, mentioning C (cat) and group G (eng: gil, hal). Env: BASE_URL, SECRET.
import { Liveblocks } from "@liveblocks/node";
import { failure } from "./lib.mjs";

const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
const results = {};
const text = (...children) => ({ version: 1, content: [{ type: "paragraph", children }] });
const inbox = async (userId, query) =>
  (await liveblocks.getInboxNotifications({ userId, query })).data;
const shape = (n) => ({ kind: n.kind, threadId: n.threadId, roomId: n.roomId,
  unread: n.readAt === null || n.readAt < n.notifiedAt, notifiedAtIsDate: n.notifiedAt instanceof Date });

await liveblocks.createRoom("review", { defaultAccesses: ["room:write"] });
await liveblocks.createGroup({ groupId: "eng", memberIds: ["gil", "hal"] });

const thread = await liveblocks.createThread({ roomId: "review", data: {
  comment: { userId: "bob", body: text({ text: "Is the hero too small?" }) } } });
const first = await liveblocks.createComment({ roomId: "review", threadId: thread.id, data: {
  userId: "ann", body: text({ text: "Agreed " }, { type: "mention", kind: "user", id: "cat" },
    { text: " and " }, { type: "mention", kind: "group", id: "eng" }),
  createdAt: new Date("2030-01-01T00:00:00.000Z") } });
results.threadId = thread.id;
results.afterFirst = {};
for (const user of ["ann", "bob", "cat", "gil", "hal"]) {
  results.afterFirst[user] = (await inbox(user)).map(shape);
}
results.firstNotifiedAt = (await inbox("bob"))[0].notifiedAt.toISOString();
results.firstCommentAt = first.createdAt.toISOString();
results.subscribers = (await liveblocks.getThreadSubscriptions({ roomId: "review", threadId: thread.id }))
  .data.map((s) => s.userId).sort();

// Mark read (no Node method in 3.24: the REST call the Python SDK makes), then a second
// comment updates the same notification in place and makes it unread again.
const bobsId = (await inbox("bob"))[0].id;
const read = await fetch(`${process.env.BASE_URL}/v2/inbox-notifications/${bobsId}/read`, {
  method: "POST", headers: { Authorization: `Bearer ${process.env.SECRET}` } });
results.readStatus = read.status;
results.unreadAfterRead = (await inbox("bob", { unread: true })).length;
await liveblocks.createComment({ roomId: "review", threadId: thread.id, data: {
  userId: "ann", body: text({ text: "Second thought" }), createdAt: new Date("2030-01-02T00:00:00.000Z") } });
const bobs = await inbox("bob");
results.afterSecond = { count: bobs.length, sameId: bobs[0].id === bobsId,
  notifiedAt: bobs[0].notifiedAt.toISOString(), unread: (await inbox("bob", { unread: true })).length,
  readAtKept: bobs[0].readAt instanceof Date };
results.one = shape(await liveblocks.getInboxNotification({ userId: "cat", inboxNotificationId: (await inbox("cat"))[0].id }));

// Delete one, custom kinds, bad input.
await liveblocks.deleteInboxNotification({ userId: "hal", inboxNotificationId: (await inbox("hal"))[0].id });
results.halAfterDelete = (await inbox("hal")).length;
results.missing = await failure(liveblocks.deleteInboxNotification({ userId: "hal", inboxNotificationId: "in_nope" }));
await liveblocks.triggerInboxNotification({ userId: "bob", kind: "$reviewDue", subjectId: thread.id,
  activityData: { due: "friday", urgent: true }, roomId: "review" });
results.bobKinds = (await inbox("bob")).map((n) => n.kind);
results.badKind = await failure(liveblocks.triggerInboxNotification({ userId: "bob", kind: "reviewDue",
  subjectId: "s", activityData: {} }));
results.tooMuch = await failure(liveblocks.triggerInboxNotification({ userId: "bob", kind: "$big",
  subjectId: "s", activityData: { blob: "x".repeat(5000) } }));
results.bobKindsAfterBad = (await inbox("bob")).map((n) => n.kind);

// Room subscription settings decide: cat says "none" (no more), dave says "all" (every thread).
await liveblocks.updateRoomSubscriptionSettings({ roomId: "review", userId: "cat", data: { threads: "none" } });
await liveblocks.updateRoomSubscriptionSettings({ roomId: "review", userId: "dave", data: { threads: "all" } });
const catBefore = (await inbox("cat"))[0].notifiedAt.toISOString();
const other = await liveblocks.createThread({ roomId: "review", data: {
  comment: { userId: "ann", body: text({ text: "New topic" }) } } });
await liveblocks.createComment({ roomId: "review", threadId: thread.id, data: {
  userId: "ann", body: text({ text: "Third" }), createdAt: new Date("2030-01-03T00:00:00.000Z") } });
results.catUnchanged = (await inbox("cat"))[0].notifiedAt.toISOString() === catBefore;
results.daveThreads = (await inbox("dave")).map((n) => n.threadId).sort();
results.otherThreadId = other.id;
results.badSetting = await failure(liveblocks.updateRoomSubscriptionSettings({ roomId: "review", userId: "cat",
  data: { threads: "sometimes" } }));
results.catSettings = await liveblocks.getRoomSubscriptionSettings({ roomId: "review", userId: "cat" });

// A deleted thread takes its notifications along.
await liveblocks.deleteThread({ roomId: "review", threadId: thread.id });
results.bobAfterThreadDeleted = (await inbox("bob")).map((n) => n.kind);

console.log(JSON.stringify(results));
