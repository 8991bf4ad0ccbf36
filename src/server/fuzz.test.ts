// Protocol fuzz against a real server on a real port (issue 19): garbage bytes, hostile JSON,
// messages generated from the protocol's own schemas and their mutations, floods and socket
// churn. The server must stay up, a table that has nothing to do with the fuzz must play on
// untouched, and every reply must be a well-formed message with a stable code.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import WebSocket from "ws";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Type, type TSchema } from "@sinclair/typebox";
import { ALL_ERROR_CODES, CloseCode, ServerMessageSchemas, type ServerMessage } from "../protocol/index.ts";
import type { PlayerView } from "../rules/index.ts";
import protocolSchema from "../../docs/protocol.schema.json" with { type: "json" };
import { startServer, type RunningServer } from "./app.ts";
import type { Config } from "./config.ts";
import { TestClient } from "./test-client.ts";

const CONFIG: Partial<Config> = {
  port: 0,
  metricsPort: 0,
  host: "127.0.0.1",
  logLevel: "silent",
  botThinkMs: 0,
  nextDealDelayMs: 0,
  turnSeconds: 0,
  // Many fuzz sockets come from one address; this suite is about frames, harden.test.ts about caps.
  maxConnectionsPerAddress: 0,
  tablesPerAddress: 0,
  tablesPerPlayer: 0,
  tableCreatesPerMinute: 0,
};

const checkServerMessage = TypeCompiler.Compile(Type.Union(Object.values(ServerMessageSchemas) as TSchema[]));
const CODES = new Set<string>(ALL_ERROR_CODES);
const CLOSE_CODES = new Set<number>([...Object.values(CloseCode), 1005, 1006]);
const CARDS = [..."3456789TJQKA2"].flatMap((r) => [..."DCHS"].map((s) => r + s));

/** Strings a hostile client would try, beside arbitrary ones. */
const hostileString = fc.constantFrom("", " ", "__proto__", "constructor", "prototype", "\u202Eevil", "\u200B", "\0", "\uD800", "x".repeat(5000), "null", "-1", "1e309");

type JsonSchema = {
  type?: string;
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
};

/** Values that match a (JSON) schema of the protocol: what an honest but random client sends. */
function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(arbitraryOf));
  switch (schema.type) {
    case "string":
      if (schema.pattern?.startsWith("^[2-9TJQKA]")) return fc.constantFrom(...CARDS);
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(arbitraryOf(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case "object": {
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {});
      const record = Object.fromEntries(entries.map(([k, v]) => [k, arbitraryOf(v)]));
      return fc.record(record, { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const clientSchemas = protocolSchema.clientMessages as unknown as Record<string, JsonSchema>;
// Everything but hello (a second hello is refused anyway) and service.hello (it closes the socket).
const validMessage = fc.oneof(
  ...Object.entries(clientSchemas)
    .filter(([type]) => type !== "hello" && type !== "service.hello")
    .map(([, schema]) => arbitraryOf(schema)),
) as fc.Arbitrary<Record<string, unknown>>;

/** A valid message, broken one way: a field dropped, retyped, added, or made hostile. */
const mutatedMessage = fc
  .tuple(validMessage, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString), fc.constantFrom("drop", "retype", "add", "proto", "type"))
  .map(([msg, pick, value, how]) => {
    const out: Record<string, unknown> = { ...msg };
    const keys = Object.keys(out);
    const key = keys[pick % keys.length];
    if (how === "drop") delete out[key];
    else if (how === "retype") out[key] = value;
    else if (how === "add") out["x" + String(pick % 7)] = value;
    else if (how === "type") out.type = typeof value === "string" ? value : String(pick);
    else return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(out).slice(1)}`;
    return out;
  });

const hostileJson = fc.oneof(
  fc.nat({ max: 3000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
  fc.nat({ max: 1300 }).map((n) => '{"a":'.repeat(n) + "1" + "}".repeat(n)),
  fc.constantFrom(
    '{"type":"hello","v":1e309,"name":"x"}',
    '{"type":"play","cards":["3D"],"id":123456789012345678901234567890}',
    '{"type":"chat","text":"hi","id":-0}',
    '{"type":"table.create","settings":{"seats":1e400}}',
    '{"type":"table.create","settings":{"__proto__":{"seats":2}}}',
    '{"__proto__":{"type":"pass"}}',
    '{"type":"pass","type":"play"}',
    '{"type":"pass"}garbage',
    '"just a string"',
    "null",
    "[]",
    "1e999999",
  ),
);

const garbage = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)));

/** A fuzz socket: records every frame, checks each, and knows how it closed. */
class Fuzzer {
  readonly problems: string[] = [];
  frames = 0;
  closeCode: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      this.frames++;
      if (isBinary) return void this.problems.push("a binary frame from the server");
      let msg: ServerMessage;
      try {
        msg = JSON.parse(data.toString()) as ServerMessage;
      } catch {
        return void this.problems.push(`not JSON: ${data.toString().slice(0, 80)}`);
      }
      if (!checkServerMessage.Check(msg)) this.problems.push(`off-schema: ${data.toString().slice(0, 200)}`);
      if (msg.type === "error" && !CODES.has(msg.code)) this.problems.push(`unlisted code ${msg.code}`);
    });
    ws.on("close", (code) => {
      this.closeCode = code;
      if (!CLOSE_CODES.has(code)) this.problems.push(`close code ${code}`);
    });
    ws.on("error", () => {});
  }
  static async open(s: RunningServer, hello: boolean): Promise<Fuzzer> {
    const ws = new WebSocket(s.url.replace("http", "ws") + "/ws");
    await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
    const f = new Fuzzer(ws);
    if (hello) ws.send(JSON.stringify({ type: "hello", v: 1, name: "Fuzz" }));
    return f;
  }
  send(frame: string | Buffer | Record<string, unknown>): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(typeof frame === "string" || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }
  async settle(): Promise<void> {
    // A ping's pong comes after every frame the server sent before it.
    if (this.ws.readyState !== WebSocket.OPEN) return;
    await new Promise<void>((ok) => {
      this.ws.once("pong", () => ok());
      this.ws.once("close", () => ok());
      this.ws.ping();
    });
  }
  close(): void {
    this.ws.terminate();
  }
}

/** Two honest players at a two-seat table: they take turns while the fuzz runs. */
async function bystanders(s: RunningServer) {
  const a = await TestClient.player(s.url, "Ann");
  a.send({ type: "table.create", id: "c", settings: { seats: 2, turnSeconds: 0, deals: 1 } });
  const joined = await a.next("joined");
  const b = await TestClient.player(s.url, "Bo");
  b.send({ type: "table.join", tableId: joined.tableId });
  await b.next("joined");
  const views = [(await a.next("deal")).deal as PlayerView, (await b.next("deal")).deal as PlayerView];
  return { clients: [a, b], views, tableId: joined.tableId };
}

async function withServer(fn: (s: RunningServer) => Promise<void>): Promise<void> {
  const s = await startServer(CONFIG);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** The bystanders' table still plays: the seat to act plays its lowest card and both see it. */
async function bystandersStillPlay(t: Awaited<ReturnType<typeof bystanders>>, step: number): Promise<void> {
  const a = t.clients[0];
  a.send({ type: "lobby.subscribe", id: `alive${step}` });
  await a.next("lobby.list", (m) => m.id === `alive${step}`);
  for (const c of t.clients) {
    assert.deepEqual(
      c.received.filter((m) => m.type === "error" || m.type === "closed" || m.type === "chat" || (m.type === "seat" && !m.player.connected)),
      [],
      "the bystanders' table saw nothing of the fuzz",
    );
  }
}

describe("protocol fuzz against a real server", () => {
  test("garbage, hostile JSON, schema-generated messages and their mutations: stable codes, server up, other tables untouched", async () => {
    await withServer(async (s) => {
      const table = await bystanders(s);
      const before = Object.keys(Object.prototype).length;
      let step = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(garbage, hostileJson, validMessage, validMessage, mutatedMessage), { minLength: 1, maxLength: 25 }),
          fc.boolean(),
          async (frames, hello) => {
            const f = await Fuzzer.open(s, hello);
            for (const frame of frames) f.send(frame as string | Buffer | Record<string, unknown>);
            await f.settle();
            f.close();
            assert.deepEqual(f.problems, []);
            if (++step % 10 === 0) await bystandersStillPlay(table, step);
          },
        ),
        { numRuns: 80, seed: Number(process.env.FUZZ_SEED ?? 1912) },
      );
      assert.equal(Object.keys(Object.prototype).length, before, "nothing polluted Object.prototype");
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      // The bystanders' game goes on: the seat to act makes a legal play and both see it.
      const turn = table.views[0].turn;
      const hand = table.views[turn].hand;
      table.clients[turn].send({ type: "play", id: "go", cards: [table.views[0].mustContain ?? hand[0]] });
      for (const c of table.clients) await c.next("play");
      assert.equal((await fetch(s.url + "/healthz")).status, 200);
      for (const c of table.clients) c.close();
    });
  });

  test("floods and socket churn: sockets are closed or dropped, the server stays up and forgets them", async () => {
    await withServer(async (s) => {
      const table = await bystanders(s);
      const floods = await Promise.all(Array.from({ length: 5 }, () => Fuzzer.open(s, true)));
      for (const f of floods) for (let i = 0; i < 400; i++) f.send({ type: "chat", text: "spam" });
      // Churn: sockets that vanish mid-hello, mid-create, mid-join, and before anything.
      const churn: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        churn.push(
          (async () => {
            const f = await Fuzzer.open(s, i % 4 !== 0);
            if (i % 3 === 0) f.send({ type: "table.create", settings: { bots: 3 } });
            if (i % 3 === 1) f.send({ type: "quick.join" });
            if (i % 5 === 0) f.send({ type: "table.watch", tableId: table.tableId });
            if (i % 2 === 0) await new Promise((r) => setImmediate(r));
            f.close();
          })(),
        );
      }
      await Promise.all(churn);
      for (const f of floods) {
        const until = Date.now() + 10_000;
        while (f.closeCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        assert.equal(f.closeCode, CloseCode.Flood);
        assert.deepEqual(f.problems, []);
      }
      // Every socket is forgotten: the only ones left are the bystanders'.
      const until = Date.now() + 10_000;
      let open = -1;
      while (Date.now() < until) {
        const text = await (await fetch(s.metricsUrl + "/metrics")).text();
        open = Number(/^bigtwo_connections (\d+)/m.exec(text)?.[1]);
        if (open === 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(open, 2, "only the bystanders' sockets stay open");
      const text = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(text, /bigtwo_disconnects_total\{reason="flood"\} 5\n/);
      await bystandersStillPlay(table, 0);
      assert.equal((await fetch(s.url + "/healthz")).status, 200);
      for (const c of table.clients) c.close();
    });
  });
});
