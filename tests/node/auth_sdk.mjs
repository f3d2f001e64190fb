// Tokens from the official Node SDK against the emulator, and the official client's own
// permission rules for comparison.
//
// MODE=sdk (default): prepareSession(...).allow(...).authorize() and identifyUser(...) against
//   BASE_URL with SECRET; prints what each call returned ({status, body, error?}).
// MODE=permissions: reads CASES_FILE (JSON {scopeLists, merges}) and prints what
//   @liveblocks/core makes of each scope list (the rights the client derives from ROOM_STATE
//   scopes) and of each ID-token merge (defaultAccesses, groupsAccesses, userAccesses).
import { readFileSync } from "node:fs";
import { Liveblocks } from "@liveblocks/node";
import { hasPermissionAccess, mergeRoomPermissionScopes, permissionMatrixFromScopes } from "@liveblocks/core";

function rights(scopes) {
  const matrix = permissionMatrixFromScopes(scopes);
  return {
    enter: matrix.room !== "none",
    readStorage: hasPermissionAccess(matrix, "storage", "read"),
    writeStorage: hasPermissionAccess(matrix, "storage", "write"),
    writeComments: hasPermissionAccess(matrix, "comments", "write"),
  };
}

async function sdk() {
  const liveblocks = new Liveblocks({ secret: process.env.SECRET, baseUrl: process.env.BASE_URL });
  const results = {};

  const session = liveblocks.prepareSession("alice", { userInfo: { name: "Alice" }, organizationId: "acme" });
  session.allow("room-1", session.FULL_ACCESS);
  session.allow("org:*", ["*:read", "comments:write"]);
  results.access = await session.authorize();
  results.again = await liveblocks.prepareSession("alice").allow("room-1", ["*:write"]).authorize();

  results.identity = await liveblocks.identifyUser(
    { userId: "bob", groupIds: ["engineering", "product"] },
    { userInfo: { name: "Bob" } },
  );
  results.identityByString = await liveblocks.identifyUser("carol");

  const wrongSecret = new Liveblocks({ secret: "sk_not_the_one", baseUrl: process.env.BASE_URL });
  results.wrongSecret = await wrongSecret.prepareSession("alice").allow("*", ["*:read"]).authorize();
  results.wrongSecretIdentity = await wrongSecret.identifyUser("alice");
  return results;
}

function permissions() {
  const cases = JSON.parse(readFileSync(process.env.CASES_FILE, "utf8"));
  return {
    scopeLists: cases.scopeLists.map(rights),
    merges: cases.merges.map((merge) => {
      const scopes = mergeRoomPermissionScopes(merge);
      return { scopes, ...rights(scopes) };
    }),
  };
}

const result = process.env.MODE === "permissions" ? permissions() : await sdk();
console.log(JSON.stringify(result));
