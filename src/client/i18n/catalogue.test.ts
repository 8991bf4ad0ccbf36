import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ErrorCode } from "../../protocol/codes.ts";
import { en } from "./en.ts";
import { hasErrorText } from "./errors.ts";
import { CATALOGUES, getLang, inSecs, LANGS, list, pickLang, secs, setLang, t, tOrdinal, waitText, type Msg } from "./index.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT = join(HERE, "..");

function forms(msg: Msg): string[] {
  return typeof msg === "string" ? [msg] : Object.values(msg).filter((s): s is string => typeof s === "string");
}

function holes(msg: Msg): string[] {
  const texts = forms(msg);
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
}

test("every language has exactly the reference catalogue's keys", () => {
  const keys = Object.keys(en).sort();
  for (const { code } of LANGS) {
    const have = Object.keys(CATALOGUES[code]).sort();
    const missing = keys.filter((k) => !have.includes(k));
    const extra = have.filter((k) => !keys.includes(k));
    assert.deepEqual(missing, [], `${code} lacks ${missing.join(", ")}`);
    assert.deepEqual(extra, [], `${code} has keys nobody uses: ${extra.join(", ")}`);
  }
});

test("every translation fills the same holes as the English and has an 'other' plural form", () => {
  for (const { code } of LANGS) {
    for (const [key, msg] of Object.entries(CATALOGUES[code]) as [keyof typeof en, Msg][]) {
      if (typeof msg !== "string") assert.equal(typeof msg.other, "string", `${code} ${key}`);
      const want = holes(en[key]).filter((h) => h !== "n" || typeof en[key] === "string");
      const got = holes(msg).filter((h) => h !== "n" || typeof msg === "string");
      // A plural message may leave {n} out of a form ("one card" spelt out), never another hole.
      assert.deepEqual(got, want, `${code} ${key}: holes ${got.join(",")} vs ${want.join(",")}`);
      assert.ok((typeof msg === "string" ? msg : msg.other).trim().length > 0, `${code} ${key} is empty`);
    }
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") ? [p] : [];
  });
}

test("every key in the catalogue is used somewhere in the client source", () => {
  // The catalogues themselves do not count as a use.
  const catalogueFiles = new Set(LANGS.map((l) => join(HERE, `${l.code === "en" ? "en" : l.code}.ts`)));
  const files = sources(CLIENT).filter((f) => !catalogueFiles.has(f));
  assert.ok(files.some((f) => relative(CLIENT, f).startsWith("views")), "the scan sees the views");
  const text = files.map((f) => readFileSync(f, "utf8")).join("\n");
  const unused = Object.keys(en).filter((k) => !text.includes(`"${k}"`) && !text.includes(`'${k}'`) && !text.includes(`\`${k}\``));
  assert.deepEqual(unused, [], `keys used nowhere in src/client: ${unused.join(", ")}`);
});

test("the browser's languages choose ours, best first; Chinese by script or region", () => {
  assert.equal(pickLang(["zh-TW", "en"]), "zh-Hant");
  assert.equal(pickLang(["zh-HK"]), "zh-Hant");
  assert.equal(pickLang(["zh-Hant-HK"]), "zh-Hant");
  assert.equal(pickLang(["zh-CN"]), "zh-Hans");
  assert.equal(pickLang(["zh"]), "zh-Hans");
  assert.equal(pickLang(["zh-SG"]), "zh-Hans");
  assert.equal(pickLang(["vi-VN", "en-US"]), "vi");
  assert.equal(pickLang(["tl"]), "fil");
  assert.equal(pickLang(["fil-PH"]), "fil");
  assert.equal(pickLang(["de-DE", "vi", "en"]), "vi");
  assert.equal(pickLang(["de-DE", "fr"]), "en");
  assert.equal(pickLang(["not a tag!", "zh-TW"]), "zh-Hant");
  assert.equal(pickLang([]), "en");
});

test("plurals, numbers and times come from Intl in the chosen language", () => {
  const was = getLang();
  try {
    setLang("en");
    assert.equal(t("seat.cards", { n: 1 }), "1 card");
    assert.equal(t("seat.cards", { n: 13 }), "13 cards");
    assert.equal(t("seat.cards", { n: 0 }), "0 cards");
    assert.equal(inSecs(2000), "in 2 seconds");
    assert.equal(inSecs(1), "in 1 second");
    assert.equal(secs(4200), "5s");
    assert.equal(secs(75_000), "1:15");
    assert.equal(list(["Ann", "Bo", "Cy"]), "Ann, Bo, and Cy");
    setLang("zh-Hant");
    assert.equal(t("seat.cards", { n: 1 }), "1 張");
    assert.equal(t("app.name"), "大老二");
    assert.match(inSecs(3000), /3\s*秒後/);
    setLang("zh-Hans");
    assert.equal(t("app.name"), "锄大地");
    setLang("fil");
    assert.equal(t("app.name"), "Pusoy Dos");
    setLang("vi");
    assert.match(inSecs(3000), /sau 3 giây/);
    assert.equal(t("btn.pass"), "Bỏ lượt");
  } finally {
    setLang(was);
  }
});

test("places use ordinal rules; waits and dates are in the chosen language", () => {
  const was = getLang();
  try {
    setLang("en");
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map((n) => tOrdinal("place.n", { n })), ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"]);
    assert.equal(waitText(600), "10 minutes");
    assert.equal(waitText(45), "45 seconds");
    assert.equal(t("profile.matches", { n: 1 }), "1 match");
    assert.equal(t("profile.matches", { n: 1234 }), "1,234 matches");
    setLang("zh-Hant");
    assert.equal(tOrdinal("place.n", { n: 2 }), "第 2 名");
    assert.match(waitText(600), /^10\s*分鐘$/);
    setLang("vi");
    assert.equal(tOrdinal("place.n", { n: 3 }), "hạng 3");
    assert.equal(waitText(600), "10 phút");
    setLang("fil");
    assert.equal(tOrdinal("place.n", { n: 1 }), "una");
    assert.equal(tOrdinal("place.n", { n: 2 }), "ika-2");
  } finally {
    setLang(was);
  }
});

test("every protocol error code has words in the catalogue", () => {
  const missing = Object.values(ErrorCode).filter((code) => !hasErrorText(code));
  assert.deepEqual(missing, [], `error codes without a catalogue entry: ${missing.join(", ")}`);
});
