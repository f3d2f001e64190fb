// The official Node SDK: groups, custom inbox notifications and notification settings
// against the emulator (BASE_URL, SECRET from the env).
import { Liveblocks } from "@liveblocks/node";
import { failure } from "./lib.mjs";

const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
const results = {};

await liveblocks.createRoom("whiteboard", { defaultAccesses: [] });
await liveblocks.createRoom("todos", { defaultAccesses: [] });

// Groups
const created = await liveblocks.createGroup({ groupId: "eng", memberIds: ["ann", "bob"] });
results.created = { id: created.id, members: created.members.map((m) => m.id), scopes: created.scopes,
  createdAtIsDate: created.createdAt instanceof Date, addedAtIsDate: created.members[0].addedAt instanceof Date };
await liveblocks.createGroup({ groupId: "design", memberIds: ["bob"], organizationId: "org-1" });
results.duplicate = await failure(liveblocks.createGroup({ groupId: "eng" }));
results.added = (await liveblocks.addGroupMembers({ groupId: "eng", memberIds: ["cat", "ann"] })).members.map((m) => m.id);
results.removed = (await liveblocks.removeGroupMembers({ groupId: "eng", memberIds: ["ann"] })).members.map((m) => m.id);
results.got = (await liveblocks.getGroup({ groupId: "design" })).organizationId;
const firstPage = await liveblocks.getGroups({ limit: 1 });
const secondPage = await liveblocks.getGroups({ limit: 1, startingAfter: firstPage.nextCursor });
results.pages = [firstPage.data.map((g) => g.id), secondPage.data.map((g) => g.id), secondPage.nextCursor];
results.bobsGroups = (await liveblocks.getUserGroups({ userId: "bob" })).data.map((g) => g.id);
await liveblocks.deleteGroup({ groupId: "design" });
results.deleted = await failure(liveblocks.getGroup({ groupId: "design" }));

// Custom inbox notifications
await liveblocks.triggerInboxNotification({
  userId: "ann", kind: "$fileUploaded", subjectId: "file-1",
  activityData: { url: "https://example.com/f", size: 256, ok: true }, roomId: "whiteboard",
});
await liveblocks.triggerInboxNotification({ userId: "ann", kind: "$reminder", subjectId: "r-1", activityData: {} });
results.badKind = await failure(liveblocks.triggerInboxNotification({ userId: "ann", kind: "reminder", subjectId: "x", activityData: {} }));
results.badRoom = await failure(liveblocks.triggerInboxNotification({ userId: "ann", kind: "$x", subjectId: "x", activityData: {}, roomId: "nope" }));
const inbox = await liveblocks.getInboxNotifications({ userId: "ann" });
results.inbox = inbox.data.map((n) => ({ kind: n.kind, subjectId: n.subjectId, roomId: n.roomId ?? null,
  readAt: n.readAt, notifiedAtIsDate: n.notifiedAt instanceof Date,
  activities: n.activities.map((a) => a.data) }));
const one = await liveblocks.getInboxNotification({ userId: "ann", inboxNotificationId: inbox.data[1].id });
results.one = one.subjectId;
results.unreadBefore = (await liveblocks.getInboxNotifications({ userId: "ann", query: { unread: true } })).data.length;
const iterated = [];
for await (const n of liveblocks.iterInboxNotifications({ userId: "ann" }, { pageSize: 10 })) iterated.push(n.kind);
results.iterated = iterated;
const page1 = await liveblocks.getInboxNotifications({ userId: "ann", limit: 1 });
const page2 = await liveblocks.getInboxNotifications({ userId: "ann", limit: 1, startingAfter: page1.nextCursor });
results.inboxPages = [page1.data.map((n) => n.kind), page2.data.map((n) => n.kind), page2.nextCursor];
await liveblocks.deleteInboxNotification({ userId: "ann", inboxNotificationId: inbox.data[0].id });
results.afterDelete = (await liveblocks.getInboxNotifications({ userId: "ann" })).data.map((n) => n.kind);
results.missing = await failure(liveblocks.getInboxNotification({ userId: "ann", inboxNotificationId: inbox.data[0].id }));
await liveblocks.deleteAllInboxNotifications({ userId: "ann" });
results.afterDeleteAll = (await liveblocks.getInboxNotifications({ userId: "ann" })).data.length;

// Notification settings
const settings = await liveblocks.getNotificationSettings({ userId: "ann" });
results.defaultSettings = { email: settings.email, slack: settings.slack };
const updated = await liveblocks.updateNotificationSettings({ userId: "ann", data: { email: { thread: false, $fileUploaded: true } } });
results.updatedSettings = updated.email;
results.badSettings = await failure(liveblocks.updateNotificationSettings({ userId: "ann", data: { fax: { thread: true } } }));
await liveblocks.deleteNotificationSettings({ userId: "ann" });
results.resetSettings = (await liveblocks.getNotificationSettings({ userId: "ann" })).email;

// Room subscription settings
results.roomDefault = await liveblocks.getRoomSubscriptionSettings({ userId: "ann", roomId: "whiteboard" });
results.roomUpdated = await liveblocks.updateRoomSubscriptionSettings({ userId: "ann", roomId: "whiteboard", data: { threads: "all" } });
await liveblocks.updateRoomSubscriptionSettings({ userId: "ann", roomId: "todos", data: { textMentions: "none" } });
results.userRooms = await liveblocks.getUserRoomSubscriptionSettings({ userId: "ann" });
await liveblocks.deleteRoomSubscriptionSettings({ userId: "ann", roomId: "whiteboard" });
results.roomAfterDelete = await liveblocks.getRoomSubscriptionSettings({ userId: "ann", roomId: "whiteboard" });
results.roomMissing = await failure(liveblocks.getRoomSubscriptionSettings({ userId: "ann", roomId: "nope" }));
console.log(JSON.stringify(results));
