import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ALL_ERROR_CODES, ErrorCode } from "./codes.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The non-test TypeScript sources of the folders whose code can send an error or a `closed`. */
function sources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) out.push({ path, text: readFileSync(path, "utf8") });
    }
  };
  for (const dir of ["src/server", "src/rules", "src/protocol"]) walk(join(ROOT, dir));
  return out;
}

/** Every code the sources can send: string literals shaped like one, and ErrorCode.X they use. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const literal = /["'`]((?:proto|auth|rate|lobby|table|chat|server|turn|play|pass|deal|seat|service)\/[a-z-]+)["'`]/g;
  const byKey = ErrorCode as Record<string, string>;
  for (const { path, text } of sources()) {
    // The lists themselves name every code; what counts is what the rest of the code sends.
    if (path.endsWith("codes.ts")) continue;
    // The records' HTTP API answers with codes of its own (auth/bad-credentials, ...), documented
    // in docs/api.md; this list is the WebSocket protocol's.
    if (path.includes("/src/server/records/")) continue;
    for (const m of text.matchAll(literal)) found.set(m[1], path);
    for (const m of text.matchAll(/ErrorCode\.([A-Za-z]+)/g)) {
      assert.ok(byKey[m[1]], `${path} uses ErrorCode.${m[1]}, which does not exist`);
      found.set(byKey[m[1]], path);
    }
  }
  return found;
}

test("every code the server can send is in the schema's list and in docs/protocol.md", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "docs/protocol.schema.json"), "utf8")) as { errorCodes: string[] };
  const doc = readFileSync(join(ROOT, "docs/protocol.md"), "utf8");
  const sent = codesInSources();
  assert.ok(sent.size >= 30, `found ${sent.size} codes in the sources`);
  for (const [code, where] of sent) {
    assert.ok(ALL_ERROR_CODES.includes(code as never), `${code} (sent by ${where}) is missing from ALL_ERROR_CODES`);
    assert.ok(schema.errorCodes.includes(code), `${code} (sent by ${where}) is missing from docs/protocol.schema.json (npm run protocol:schema)`);
    assert.ok(doc.includes("`" + code + "`"), `${code} (sent by ${where}) is missing from docs/protocol.md`);
  }
});

test("the lists hold no code the server never sends", () => {
  const sent = codesInSources();
  for (const code of ALL_ERROR_CODES) assert.ok(sent.has(code), `${code} is listed but nothing in src/server, src/rules or src/protocol sends it`);
});
