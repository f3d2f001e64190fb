// The inbox through the real @liveblocks/client as user bob (env: BASE_URL, ROOM): what a
// backend triggers and what alice's comments cause (through @liveblocks/node) reach bob's
// getInboxNotifications and getInboxNotificationsSince with their threads; the unread count,
// mark read (one, all), delete (one, all) and the notification settings do what the backend
// then reads. The public key, which names no user, is refused.
import { kInternal } from "@liveblocks/core";
import { Liveblocks } from "@liveblocks/node";
import { startAuthEndpoint } from "./auth_endpoint.mjs";
import { e2eAuthClient, e2ePublicClient, failure, must, runE2E } from "./e2e_lib.mjs";
import { BASE_URL, SECRET } from "./lib.mjs";

const ROOM = process.env.ROOM;
const mention = (userId) => ({ version: 1, content: [{ type: "paragraph", children: [
  { text: "Look, " }, { type: "mention", kind: "user", id: userId }] }] });
const plain = (text) => ({ version: 1, content: [{ type: "paragraph", children: [{ text }] }] });
const brief = (n) => ({ kind: n.kind, unread: n.readAt === null || n.readAt < n.notifiedAt,
  ...(n.threadId ? { threadId: n.threadId } : { subjectId: n.subjectId }) });

async function main() {
  const backend = new Liveblocks({ secret: SECRET, baseUrl: BASE_URL });
  await must("POST", "/v2/rooms", {
    id: ROOM, defaultAccesses: [],
    usersAccesses: { alice: ["room:write"], bob: ["room:write"] },
  });
  const endpoint = await startAuthEndpoint();
  const bob = e2eAuthClient(endpoint.url("bob", { access: "id" }));
  const out = {};

  await backend.triggerInboxNotification({
    userId: "bob", kind: "$fileUploaded", subjectId: "file-1", roomId: ROOM,
    activityData: { name: "report.pdf", size: 256 },
  });
  const thread = await backend.createThread({ roomId: ROOM, data: { comment: { userId: "alice", body: mention("bob") } } });
  out.threadId = thread.id;

  const first = await bob.getInboxNotifications();
  out.list = {
    notifications: first.inboxNotifications.map(brief),
    threads: first.threads.map((t) => [t.id, t.comments.length]),
    subscriptions: first.subscriptions.map((s) => s.subjectId),
    nextCursor: first.nextCursor,
    requestedAtIsDate: first.requestedAt instanceof Date && !Number.isNaN(first.requestedAt.getTime()),
    activity: first.inboxNotifications.find((n) => n.kind === "$fileUploaded").activities[0].data,
  };
  out.count = await bob.getUnreadInboxNotificationsCount();
  out.countOfKind = await bob.getUnreadInboxNotificationsCount({ query: { kind: "thread" } });
  out.countOfRoom = await bob.getUnreadInboxNotificationsCount({ query: { roomId: "elsewhere" } });
  out.listOfKind = (await bob.getInboxNotifications({ query: { kind: "$fileUploaded" } }))
    .inboxNotifications.map((n) => n.kind);

  // What useUserThreads_experimental and group mentions call (not on the public client API).
  const http = bob[kInternal].httpClient;
  const followed = await http.getUserThreads_experimental({});
  out.userThreads = { threads: followed.threads.map((t) => t.id), hints: followed.permissionHints,
    nextCursor: followed.nextCursor, notifications: followed.inboxNotifications.map((n) => n.kind) };
  const followedSince = await http.getUserThreadsSince_experimental({ since: followed.requestedAt });
  out.userThreadsSince = followedSince.threads.updated.length;
  await must("POST", "/v2/groups", { id: "reviewers", memberIds: ["bob", "carol"] });
  const [group, missing] = await Promise.all([http.getGroup("reviewers"), http.getGroup("nobody")]);
  out.groups = { id: group.id, members: group.members.map((m) => m.id), addedAtIsDate: group.members[0].addedAt instanceof Date, missing: missing ?? null };

  const threadNotification = first.inboxNotifications.find((n) => n.kind === "thread");
  const custom = first.inboxNotifications.find((n) => n.kind === "$fileUploaded");
  await bob.markInboxNotificationAsRead(threadNotification.id);
  out.countAfterRead = await bob.getUnreadInboxNotificationsCount();

  // alice replies: bob's thread notification comes forward, unread again, with the thread.
  const since = first.requestedAt;
  await backend.createComment({ roomId: ROOM, threadId: thread.id, data: { userId: "alice", body: plain("Again") } });
  const delta = await bob.getInboxNotificationsSince({ since });
  out.delta = {
    updated: delta.inboxNotifications.updated.map(brief),
    threads: delta.threads.updated.map((t) => [t.id, t.comments.length]),
    deleted: delta.inboxNotifications.deleted.length,
  };
  await bob.markAllInboxNotificationsAsRead();
  out.countAfterAll = await bob.getUnreadInboxNotificationsCount();

  await bob.deleteInboxNotification(custom.id);
  const afterDelete = await bob.getInboxNotificationsSince({ since: delta.requestedAt });
  out.deletedDelta = afterDelete.inboxNotifications.deleted.map((d) => d.id === custom.id);
  out.backendAfterDelete = (await backend.getInboxNotifications({ userId: "bob" })).data.map((n) => n.kind);
  // alice's editor reports a mention of group "reviewers" (C27): bob gets a textMention.
  const alice = e2eAuthClient(endpoint.url("alice", { access: "id" }));
  await alice[kInternal].httpClient.createTextMention({
    roomId: ROOM, mentionId: "mention-1", mention: { kind: "group", id: "reviewers", userIds: ["bob"] },
  });
  out.textMentions = (await bob.getInboxNotifications({ query: { kind: "textMention" } })).inboxNotifications
    .map((n) => ({ createdBy: n.createdBy, mentionId: n.mentionId, mention: n.mention, unread: n.readAt === null }));
  await bob.deleteAllInboxNotifications();
  out.afterDeleteAll = (await bob.getInboxNotifications()).inboxNotifications.length;
  out.backendAfterDeleteAll = (await backend.getInboxNotifications({ userId: "bob" })).data.length;

  const settings = await bob.getNotificationSettings();
  out.settings = { email: settings.email, webPush: settings.webPush };
  const updated = await bob.updateNotificationSettings({ email: { thread: false } });
  out.updatedEmail = updated.email;
  out.backendSettings = (await backend.getNotificationSettings({ userId: "bob" })).email;
  out.badSettings = await failure(bob.updateNotificationSettings({ email: { thread: "no" } }));

  out.publicKey = await failure(e2ePublicClient().getInboxNotifications());
  endpoint.close();
  return out;
}

runE2E(main);
