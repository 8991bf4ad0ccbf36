import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeClientMessage } from "./decode.ts";
import { ErrorCode } from "./codes.ts";

test("accepts a well-formed hello and play", () => {
  const hello = decodeClientMessage(JSON.stringify({ type: "hello", v: 1, name: "Mei" }));
  assert.equal(hello.ok, true);
  const play = decodeClientMessage(JSON.stringify({ type: "play", id: 7, cards: ["3D", "3C"] }));
  assert.deepEqual(play, { ok: true, message: { type: "play", id: 7, cards: ["3D", "3C"] } });
});

test("bad JSON, non-objects and missing types get their codes", () => {
  assert.deepEqual(decodeClientMessage("{nope"), {
    ok: false,
    code: ErrorCode.BadJson,
    message: "The frame is not valid JSON.",
  });
  for (const text of ["[]", "3", "null", '"hello"']) {
    const r = decodeClientMessage(text);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, ErrorCode.BadMessage, text);
  }
  const noType = decodeClientMessage('{"id":"a"}');
  assert.equal(!noType.ok && noType.code, ErrorCode.BadMessage);
  assert.equal(!noType.ok && noType.id, "a");
});

test("unknown types and schema violations echo the request id", () => {
  const unknown = decodeClientMessage('{"type":"teleport","id":"x1"}');
  assert.deepEqual(unknown.ok ? null : [unknown.code, unknown.id], [ErrorCode.UnknownType, "x1"]);
  const badCard = decodeClientMessage('{"type":"play","id":3,"cards":["1Z"]}');
  assert.equal(badCard.ok, false);
  if (!badCard.ok) {
    assert.equal(badCard.code, ErrorCode.BadMessage);
    assert.equal(badCard.id, 3);
    assert.match(badCard.message, /\/cards\/0/);
  }
  const extra = decodeClientMessage('{"type":"pass","sneaky":true}');
  assert.equal(!extra.ok && extra.code, ErrorCode.BadMessage);
  const tooMany = decodeClientMessage(JSON.stringify({ type: "play", cards: ["3D", "4D", "5D", "6D", "7D", "8D"] }));
  assert.equal(!tooMany.ok && tooMany.code, ErrorCode.BadMessage);
});
