import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ErrorCode } from "../../protocol/codes.ts";
import { en } from "./en.ts";
import { hasErrorText } from "./errors.ts";
import { CATALOGUES, getLang, inSecs, LANGS, list, pickLang, secs, setLang, t, tOrdinal, waitText, type Key, type Lang, type Msg } from "./index.ts";

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

/**
 * The values a language may share with the English, each with its reason. Everything else that
 * reads the same as en.ts is English left behind. Short on purpose: an entry is a word or a name
 * a reader of that language uses as it is, never a sentence (at most three words, checked).
 * Values with no letters outside their {holes} ("{card}", "♣<♦<♥<♠", "#") need no entry.
 */
const SAME_AS_ENGLISH: Partial<Record<Lang, Partial<Record<Key, string>>>> = {
  vi: {
    "app.name": "Big Two has no Vietnamese name of its own (vi.ts header)",
    "btn.chat": "'chat' is the everyday Vietnamese word for it",
  },
  // fil.ts keeps the English words of the game, as Filipino players say them (its header):
  fil: {
    "btn.pass": "game word",
    "last.pass": "game word",
    "btn.hint": "game word",
    "table.deal": "game word",
    "col.deal": "game word",
    "log.trick": "game word",
    "sort.suit": "game word",
    "rule.straights": "combination name",
    "rules.taiwanStraights": "combination name",
    "rules.pokerStraights": "combination name",
    "rank.J": "card name (the Q and K have Filipino names, the jack is 'jack')",
    "create.rulesOpen": "game word ('house rules', as in create.rulesClosed)",
    "lobby.quick": "game word ('quick match', as in tables.empty)",
    "table.lobby": "Taglish ('lobby', as in btn.backToLobby)",
    "create.default": "Taglish ('default', as in rule.onByDefault)",
    "create.bots": "Taglish ('bot', as everywhere in fil.ts)",
    "seat.bot": "Taglish ('bot', as everywhere in fil.ts)",
    "seat.offline": "Taglish",
    "btn.log": "Taglish",
    "btn.chat": "Taglish",
    "invite.code": "Taglish ('code', as in join.placeholder)",
    "invite.link": "Taglish ('invite link', as in join.placeholder)",
    "board.rating": "Taglish ('rating', as for chess ratings)",
    "acct.password": "Taglish ('password', as Filipino sign-in pages say)",
    "rule.suitHK": "card symbols and a place name",
    "rule.suitTW": "card symbols and a place name",
    "emote.wow": "interjection",
    "emote.gg": "the gamers' phrase",
    "length.deals": "game word ('{n} deal' for one and many)",
  },
};

test("no language leaves a value in English unless the allow-list says why", () => {
  const letters = (s: string) => /\p{L}/u.test(s.replace(/\{\w+\}/g, ""));
  for (const { code } of LANGS) {
    if (code === "en") continue;
    const allowed = SAME_AS_ENGLISH[code] ?? {};
    const english: string[] = [];
    for (const key of Object.keys(en) as Key[]) {
      const mine = forms(CATALOGUES[code][key]);
      const theirs = forms(en[key]);
      const same = mine.filter((s) => theirs.includes(s) && letters(s));
      if (same.length > 0 && !(key in allowed)) english.push(`${key}: ${JSON.stringify(same[0])}`);
    }
    assert.deepEqual(english, [], `${code} has English left in it (translate it, or add it with a reason to SAME_AS_ENGLISH)`);
    for (const key of Object.keys(allowed) as Key[]) {
      const msg = CATALOGUES[code][key];
      assert.ok(forms(msg).some((s) => forms(en[key]).includes(s)), `${code} ${key} is translated now: take it off SAME_AS_ENGLISH`);
      const words = (s: string) => s.replace(/\{\w+\}/g, "").match(/\p{L}+/gu)?.length ?? 0;
      for (const s of forms(msg)) assert.ok(words(s) <= 3, `${code} ${key}: a sentence cannot be allowed to stay English`);
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
    assert.equal(tOrdinal("place.n", { n: 3 }), "Hạng 3");
    assert.equal(waitText(600), "10 phút");
    setLang("fil");
    assert.equal(tOrdinal("place.n", { n: 1 }), "Una");
    assert.equal(tOrdinal("place.n", { n: 2 }), "Ika-2");
  } finally {
    setLang(was);
  }
});

test("every protocol error code has words in the catalogue", () => {
  const missing = Object.values(ErrorCode).filter((code) => !hasErrorText(code));
  assert.deepEqual(missing, [], `error codes without a catalogue entry: ${missing.join(", ")}`);
});
