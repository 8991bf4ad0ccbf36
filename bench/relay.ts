// The baseline: a bare WebSocket relay with the game server's fan-out and frame sizes, and
// nothing else. A socket joins group `g` (query string); each text frame in is wrapped once and
// sent to the four sockets of its group. No rules, no validation, no state beyond the groups.
// RELAY_PAD_BYTES pads the frame out so it is as large as the game server's mean frame.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const pad = "x".repeat(Number(process.env.RELAY_PAD_BYTES ?? 0));
const groups = new Map<string, Set<WebSocket>>();

const http = createServer((_req, res) => res.writeHead(404).end());
// The same ws options as the game server's transport.
const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false, clientTracking: false });
http.on("upgrade", (req, socket, head) => {
  socket.on("error", () => socket.destroy());
  wss.handleUpgrade(req, socket, head, (ws) => {
    const g = new URL(req.url ?? "/", "http://relay").searchParams.get("g") ?? "";
    let group = groups.get(g);
    if (!group) groups.set(g, (group = new Set()));
    group.add(ws);
    ws.on("error", () => {});
    ws.on("message", (data) => {
      // Encoded once, sent to every member: the same shape as the server's broadcast.
      const out = `{"f":${String(data)},"p":"${pad}"}`;
      for (const peer of group) peer.send(out);
    });
    ws.on("close", () => {
      group.delete(ws);
      if (group.size === 0) groups.delete(g);
    });
  });
});
http.listen(port, host, () => {
  process.stdout.write(`relay on http://${host}:${(http.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
