import { test } from "node:test";
import assert from "node:assert/strict";
import { Tokens } from "./tokens.ts";

test("a token names its player only under the secret that signed it", () => {
  const a = new Tokens("a-secret-of-sixteen+");
  const b = new Tokens("another-secret-16chars");
  const id = Tokens.newPlayerId();
  const token = a.issue(id);
  assert.equal(a.verify(token), id);
  assert.equal(b.verify(token), null);
  assert.equal(a.verify(token.replace(/.$/, (c) => (c === "A" ? "B" : "A"))), null);
  assert.equal(a.verify(`p_someoneelse.${token.split(".")[1]}`), null);
  assert.equal(a.verify("garbage"), null);
  assert.equal(a.verify(""), null);
});
