// A collaborative Lexical editor as Liveblocks' examples write it (@liveblocks/react-lexical's
// liveblocksConfig + LiveblocksPlugin), bundled with esbuild for the browser test. The page
// reads the emulator's URL and the room from its query (?base=…&room=…) and exposes the sync
// status on window for the test.
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { ClientSideSuspense, LiveblocksProvider, RoomProvider, useSyncStatus } from "@liveblocks/react";
import { LiveblocksPlugin, liveblocksConfig } from "@liveblocks/react-lexical";
import { createRoot } from "react-dom/client";

const params = new URLSearchParams(location.search);
window.__errors = [];
window.addEventListener("error", (event) => window.__errors.push(String(event.message)));

const initialConfig = liveblocksConfig({
  namespace: "emulator-test",
  theme: {},
  onError: (error) => window.__errors.push(String(error)),
});

function SyncStatus() {
  window.__sync = useSyncStatus();
  return null;
}

function Editor() {
  return (
    <LexicalComposer initialConfig={initialConfig}>
      <RichTextPlugin
        contentEditable={<ContentEditable className="editor" />}
        placeholder={<div>Start typing</div>}
        ErrorBoundary={LexicalErrorBoundary}
      />
      <LiveblocksPlugin />
      <SyncStatus />
    </LexicalComposer>
  );
}

createRoot(document.getElementById("root")).render(
  <LiveblocksProvider publicApiKey="pk_localdev" baseUrl={params.get("base")}>
    <RoomProvider id={params.get("room")} initialPresence={{}}>
      <ClientSideSuspense fallback={<p>loading</p>}>
        <Editor />
      </ClientSideSuspense>
    </RoomProvider>
  </LiveblocksProvider>,
);
