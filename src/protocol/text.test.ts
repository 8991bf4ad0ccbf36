import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { distinctName, nameKey, playerName, visibleText } from "./text.ts";

test("what a reader cannot see is removed: controls, bidi overrides, zero-width characters; NFC", () => {
  assert.equal(visibleText("  Mei\u0000\u0007 "), "Mei");
  assert.equal(visibleText("a\u202Eevil\u202C b"), "aevil b", "right-to-left override");
  assert.equal(visibleText("\u2066x\u2069\u200B\u200C\u200D\uFEFFy\u00AD"), "xy", "isolates, zero-width space/joiners, BOM, soft hyphen");
  assert.equal(visibleText("line\nbreak\ttab\u2028x\u00A0y"), "line break tab x y");
  assert.equal(visibleText("Cafe\u0301"), "Caf\u00E9", "NFC");
  assert.equal(visibleText("\uD800x\uDFFF"), "x", "lone surrogates");
  assert.equal(visibleText("\u{E000}\u{F0000}p"), "p", "private use");
  assert.equal(visibleText("z\u0301\u0302\u0303\u0304\u0305\u0306"), "\u017A\u0302\u0303\u0304", "a pile of marks is cut to three");
  assert.equal(visibleText("👩\u200D💻 ok"), "👩\u200D💻 ok", "an emoji's joiner stays");
  assert.equal(visibleText(" \u200B\u202E \t"), "", "nothing visible");
});

test("names: visible, at most 24 code points, a fallback when nothing is left", () => {
  assert.equal(playerName("\u202E\u200B"), "Player");
  assert.equal(playerName("😀".repeat(30)), "😀".repeat(24));
  assert.equal(playerName("  Ann   Lee "), "Ann Lee");
});

test("two players at one table never read the same name", () => {
  assert.equal(distinctName("Mei", ["Ann"]), "Mei");
  assert.equal(distinctName("Mei", ["mei"]), "Mei 2");
  assert.equal(distinctName("ＭＥＩ", ["Mei", "Mei 2"]), "ＭＥＩ 3");
  assert.equal(distinctName("x".repeat(24), ["x".repeat(24)]), "x".repeat(22) + " 2");
});

test("property: cleaned text is stable, has no invisible characters and no outer spaces", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 60 }), (raw) => {
      const t = visibleText(raw);
      assert.equal(visibleText(t), t, "idempotent");
      assert.equal(t, t.trim());
      assert.equal(t.normalize("NFC"), t);
      assert.doesNotMatch(t, /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\u200B\u200C\uFEFF]/u);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }), (raw, others) => {
      const taken = others.map((o) => playerName(o));
      const name = distinctName(playerName(raw), taken);
      assert.ok(!taken.some((t) => nameKey(t) === nameKey(name)));
      assert.ok(Array.from(name).length <= 24);
    }),
  );
});
