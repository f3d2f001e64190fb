// A small Comments app for the browser test: useThreads + <Thread> + <Composer> from the
// pinned @liveblocks/react(-ui). The page's query names the emulator (baseUrl), the room and
// the user's token (minted by the test with the secret key; the page never sees the key).
import { createRoot } from "react-dom/client";
import { ClientSideSuspense, LiveblocksProvider, RoomProvider, useThreads } from "@liveblocks/react/suspense";
import { Composer, Thread } from "@liveblocks/react-ui";
import "@liveblocks/react-ui/styles.css";

const params = new URLSearchParams(location.search);
const token = params.get("token");

function Threads() {
  const { threads } = useThreads();
  return (
    <main>
      {threads.map((thread) => (
        <Thread key={thread.id} thread={thread} data-thread-id={thread.id} />
      ))}
      <Composer className="new-thread" />
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <LiveblocksProvider baseUrl={params.get("baseUrl")} authEndpoint={async () => ({ token })}>
    <RoomProvider id={params.get("room")} initialPresence={{}}>
      <ClientSideSuspense fallback={<p>Loading…</p>}>
        <Threads />
      </ClientSideSuspense>
    </RoomProvider>
  </LiveblocksProvider>,
);
