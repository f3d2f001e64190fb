// An inbox page: useInboxNotifications + <InboxNotification> + the unread count, from the
// pinned @liveblocks/react(-ui), in a LiveblocksProvider whose auth endpoint hands out the
// user's token (minted by the test with the secret key; the page never sees the key).
// Query: ?baseUrl=<emulator>&token=<token>.
//
// The inbox is polled once a minute, with no WebSocket push: the "Remount" button mounts a
// new provider (a new client), which fetches the inbox at once — what a reload would do.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import {
  LiveblocksProvider,
  useInboxNotifications,
  useUnreadInboxNotificationsCount,
} from "@liveblocks/react";
import { InboxNotification } from "@liveblocks/react-ui";
import "@liveblocks/react-ui/styles.css";

const params = new URLSearchParams(location.search);
const token = params.get("token");

function Inbox() {
  const { inboxNotifications, isLoading, error } = useInboxNotifications();
  const unread = useUnreadInboxNotificationsCount();
  if (error) return <p id="error">{String(error)}</p>;
  if (isLoading || unread.isLoading) return <p id="loading">Loading…</p>;
  return (
    <main>
      <p>Unread: <span id="unread">{unread.count}</span></p>
      <ol id="inbox">
        {inboxNotifications.map((notification) => (
          <li key={notification.id}>
            <InboxNotification inboxNotification={notification} markAsReadOnClick />
          </li>
        ))}
      </ol>
    </main>
  );
}

function App() {
  const [generation, setGeneration] = useState(0);
  return (
    <>
      <button id="remount" onClick={() => setGeneration((g) => g + 1)}>Remount</button>
      <LiveblocksProvider key={generation} baseUrl={params.get("baseUrl")}
        authEndpoint={async () => ({ token })}>
        <Inbox />
      </LiveblocksProvider>
    </>
  );
}

createRoot(document.getElementById("app")).render(<App />);
