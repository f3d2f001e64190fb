// A network between the clients and the emulator that a test controls: an HTTP + WebSocket
// proxy on 127.0.0.1 whose links can lose, hold or pass each frame and be cut, so a script can
// put a connection loss at an exact point of a message's trip (before the server has it, after
// the server applied it but before the reply arrives, …) without sleeping.
//
//   const proxy = await startProxy(BASE_URL);    // clients use proxy.url as their baseUrl
//   proxy.accepting = false;                     // offline: new sockets wait, unanswered…
//   proxy.setAccepting(true);                    // …until back online
//   const link = await proxy.nextLink();         // a client's socket, as it connects
//   link.up = (frame) => "hold";                 // client → server: "pass" | "drop" | "hold"
//   link.down = (frame) => "drop";               // server → client
//   link.cutClient();                            // the client's socket dies (code 1006);
//                                                // the server's side stays open (half-open)
//   link.releaseUp();                            // held frames reach the server, in order
//
// Every frame is logged in proxy.log as {link, dir: "up" | "down", frame, action}.
import http from "node:http";
import WebSocket, { WebSocketServer } from "ws";
import { waitFor } from "./lib.mjs";

const pass = () => "pass";

class Link {
  constructor(proxy, id, client, upstreamUrl) {
    this.proxy = proxy;
    this.id = id;
    this.client = client;
    // A policy armed for the next links (proxy.linkPolicy) applies from their first frame.
    this.up = proxy.linkPolicy?.up ?? pass;
    this.down = proxy.linkPolicy?.down ?? pass;
    this.held = { up: [], down: [] };
    this.clientClosed = false;
    this.serverClosed = false;
    this.upstreamOpen = false;
    this.pending = []; // client frames that came before the upstream socket opened
    this.upstream = new WebSocket(upstreamUrl);
    this.upstream.on("open", () => {
      this.upstreamOpen = true;
      for (const frame of this.pending.splice(0)) this.#toServer(frame);
    });
    this.upstream.on("message", (data) => this.#fromServer(String(data)));
    this.upstream.on("close", (code, reason) => {
      this.serverClosed = true;
      if (!this.clientClosed) {
        // Forward the server's close code; the ones a peer may not send mean "abnormal".
        if (code >= 3000 || (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code))) {
          this.client.close(code, String(reason));
        } else {
          this.client.terminate();
        }
      }
    });
    this.upstream.on("error", () => {});
    client.on("message", (data) => this.#fromClient(String(data)));
    client.on("close", () => {
      this.clientClosed = true;
      // A client that closed its socket on purpose: the server sees it go. A cut made with
      // cutClient() leaves the server's side open, as a dead network would.
      if (!this.halfOpen) this.upstream.terminate();
    });
    client.on("error", () => {});
  }

  #fromClient(frame) {
    const action = this.up(frame, this) ?? "pass";
    this.proxy.log.push({ link: this.id, dir: "up", frame, action });
    if (action === "pass") this.#toServer(frame);
    else if (action === "hold") this.held.up.push(frame);
  }

  #toServer(frame) {
    if (this.serverClosed) return;
    if (this.upstreamOpen) this.upstream.send(frame);
    else this.pending.push(frame);
  }

  #fromServer(frame) {
    const action = this.clientClosed ? "lost" : (this.down(frame, this) ?? "pass");
    this.proxy.log.push({ link: this.id, dir: "down", frame, action });
    if (action === "pass") this.client.send(frame);
    else if (action === "hold") this.held.down.push(frame);
  }

  // Send the held client frames to the server (in order) and pass what comes after.
  releaseUp() {
    this.up = pass;
    for (const frame of this.held.up.splice(0)) this.#toServer(frame);
  }

  releaseDown() {
    this.down = pass;
    for (const frame of this.held.down.splice(0)) if (!this.clientClosed) this.client.send(frame);
  }

  // The network dies under the client: its socket closes abnormally, while the server's side
  // stays open until cutServer() (or the server's idle timeout).
  cutClient() {
    this.halfOpen = true;
    this.client.terminate();
  }

  cutServer() {
    this.upstream.terminate();
  }

  cut() {
    this.cutClient();
    this.cutServer();
  }

  frames(dir) {
    return this.proxy.log.filter((entry) => entry.link === this.id && entry.dir === dir);
  }
}

export async function startProxy(targetBase) {
  const target = new URL(targetBase);
  const wsTarget = `${target.protocol === "https:" ? "wss" : "ws"}://${target.host}`;
  const wss = new WebSocketServer({ noServer: true });
  const proxy = {
    url: "",
    accepting: true,
    links: [],
    log: [],
    waiting: [],
    // Back online (true): the sockets that waited are let through, in order.
    setAccepting(value) {
      this.accepting = value;
      if (value) for (const open of this.waiting.splice(0)) open();
    },
    // {up, down} given to every link that opens from now on (until set back to null).
    linkPolicy: null,
    // Resolves with the next link the client talks on: one it gave up before the proxy let it
    // through (an attempt that waited while offline) never sends a frame, and is passed over.
    async nextLink(what = "a client socket through the proxy", timeout = 15000) {
      const link = await waitFor(
        () => this.links.slice(this.taken ?? 0).find((candidate) => candidate.frames("up").length > 0),
        what,
        timeout,
      );
      this.taken = link.id + 1;
      return link;
    },
    close() {
      for (const link of this.links) {
        link.client.terminate();
        link.upstream.terminate();
      }
      server.close();
    },
  };
  const server = http.createServer((req, res) => {
    const forwarded = http.request(
      new URL(req.url, target),
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  server.on("upgrade", (req, socket, head) => {
    const open = () => {
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (client) => {
        proxy.links.push(new Link(proxy, proxy.links.length, client, wsTarget + req.url));
      });
    };
    // Offline: the attempt gets no answer until the network is back (setAccepting(true)).
    if (proxy.accepting) open();
    else proxy.waiting.push(open);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  return proxy;
}

// Messages of a frame (a frame is one message or an array of them).
export function messagesOf(frame) {
  if (frame === "ping" || frame === "pong") return [];
  try {
    return [JSON.parse(frame)].flat();
  } catch {
    return [];
  }
}

// The storage ops (type 201 messages) a frame carries.
export function storageOpsOf(frame) {
  return messagesOf(frame).flatMap((message) => (message?.type === 201 ? message.ops ?? [] : []));
}
