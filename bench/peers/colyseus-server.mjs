// The peer: a Colyseus 0.18 room doing the game server's fan-out and nothing else. Four clients
// join a room, each with its seat; a message from the seat whose turn it is moves the turn and is
// broadcast to the four (Colyseus encodes it once with msgpack and sends the bytes to each);
// any other seat gets an error message. No schema state, no rules. COLYSEUS_PAD_BYTES pads the
// broadcast to the game server's mean frame size. Started by bench/scenarios/peers.ts, with the
// packages of bench/peers/ (not the project's own), on the server core.
import { createServer } from "node:http";
import process from "node:process";
import { Room, Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";

const pad = "x".repeat(Number(process.env.COLYSEUS_PAD_BYTES ?? 0));

class PlayRoom extends Room {
  maxClients = 4;
  turn = 0;

  onCreate() {
    this.onMessage("p", (client, message) => {
      const seat = client.userData.seat;
      if (seat !== this.turn) {
        client.send("e", "not your turn");
        return;
      }
      this.turn = (this.turn + 1) % 4;
      this.broadcast("p", { s: seat, n: this.turn, x: message, p: pad });
    });
  }

  onJoin(client, options) {
    client.userData = { seat: Number(options.seat) };
  }
}

const http = createServer();
// The same ws options as the game server's transport and the relay.
const transport = new WebSocketTransport({ server: http, perMessageDeflate: false, maxPayload: 4096 });
// Colyseus's own shutdown handlers would take SIGUSR2, which the memory scenario's gc-hook uses;
// the bench stops its servers with SIGTERM, as it does the relay.
const server = new Server({ transport, greet: false, gracefullyShutdown: false });
server.define("play", PlayRoom);
await server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
const { port } = http.address();
process.stdout.write(`colyseus on http://${process.env.HOST ?? "127.0.0.1"}:${port}\n`);
process.on("SIGTERM", () => process.exit(0));
