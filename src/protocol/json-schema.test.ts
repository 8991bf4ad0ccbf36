import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { protocolJsonSchema } from "./json-schema.ts";
import { ClientMessageSchemas, ServerMessageSchemas } from "./messages.ts";

test("docs/protocol.schema.json is up to date with the schemas (run npm run protocol:schema)", () => {
  const committed = JSON.parse(readFileSync(new URL("../../docs/protocol.schema.json", import.meta.url), "utf8"));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(protocolJsonSchema())));
});

test("every message type is documented in docs/protocol.md", () => {
  const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
  for (const type of [...Object.keys(ClientMessageSchemas), ...Object.keys(ServerMessageSchemas)]) {
    assert.ok(doc.includes("`" + type + "`"), `docs/protocol.md does not mention \`${type}\``);
  }
});
