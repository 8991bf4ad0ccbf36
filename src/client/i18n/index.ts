// Every string a player reads comes from one catalogue per language (en.ts is the reference;
// the others must have exactly its keys, which catalogue.test.ts checks). Plurals, numbers,
// lists and relative times go through the browser's own Intl, so no i18n library is needed:
// what such a library adds (ICU message parsing, lazy loading) does not earn its place for
// five small catalogues that ship together.
import { en, type Key } from "./en.ts";
import { fil } from "./fil.ts";
import { vi } from "./vi.ts";
import { zhHans } from "./zh-Hans.ts";
import { zhHant } from "./zh-Hant.ts";

export type { Key } from "./en.ts";

/**
 * A message: plain text with {named} holes, or plural forms chosen by the number in {n}
 * (cardinal rules for t, ordinal rules for tOrdinal: English "1st", "2nd", "3rd" need "two" and "few").
 */
export type Msg = string | ({ readonly [form in Intl.LDMLPluralRule]?: string } & { readonly other: string });
export type Catalogue = Record<Key, Msg>;

export const LANGS = [
  { code: "en", label: "English" },
  { code: "zh-Hant", label: "繁體中文" },
  { code: "zh-Hans", label: "简体中文" },
  { code: "vi", label: "Tiếng Việt" },
  { code: "fil", label: "Filipino" },
] as const;
export type Lang = (typeof LANGS)[number]["code"];

export const CATALOGUES: Record<Lang, Catalogue> = { en, "zh-Hant": zhHant, "zh-Hans": zhHans, vi, fil };

let current: Lang = "en";
let plural = new Intl.PluralRules("en");
let ordinals = new Intl.PluralRules("en", { type: "ordinal" });

export function isLang(x: unknown): x is Lang {
  return typeof x === "string" && LANGS.some((l) => l.code === x);
}

/**
 * The first of the browser's languages we speak (navigator.languages, best first). Chinese
 * without a script goes by region: Taiwan, Hong Kong and Macau write Traditional.
 */
export function pickLang(prefs: readonly string[]): Lang {
  for (const raw of prefs) {
    let loc: Intl.Locale;
    try {
      loc = new Intl.Locale(raw).maximize();
    } catch {
      continue;
    }
    switch (loc.language) {
      case "en":
        return "en";
      case "zh":
        return loc.script === "Hant" ? "zh-Hant" : "zh-Hans";
      case "vi":
        return "vi";
      case "fil":
      case "tl":
        return "fil";
    }
  }
  return "en";
}

export function setLang(lang: Lang): void {
  current = lang;
  plural = new Intl.PluralRules(lang);
  ordinals = new Intl.PluralRules(lang, { type: "ordinal" });
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function getLang(): Lang {
  return current;
}

export type Params = Record<string, string | number>;

/** The message for `key` in the current language, its holes filled from `params`. */
export function t(key: Key, params?: Params): string {
  return format(CATALOGUES[current][key] ?? en[key], params);
}

/** Like t, with the plural form chosen by ordinal rules: a place, "2nd" / "第 2 名" / "Hạng 2". */
export function tOrdinal(key: Key, params: Params & { n: number }): string {
  return format(CATALOGUES[current][key] ?? en[key], params, ordinals);
}

function format(msg: Msg, params?: Params, rules = plural): string {
  let text: string;
  if (typeof msg === "string") text = msg;
  else text = msg[rules.select(Number(params?.n ?? 0))] ?? msg.other;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === "number" ? num(v) : v;
  });
}

export function num(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

/** "5 s" / "5秒" / "5 giây": a short duration in whole seconds (ms rounded up), or m:ss past a minute. */
export function secs(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return new Intl.NumberFormat(current, { style: "unit", unit: "second", unitDisplay: "narrow" }).format(s);
}

/** "in 5 seconds" / "5秒後" / "sau 5 giây". */
export function inSecs(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return new Intl.RelativeTimeFormat(current, { numeric: "always", style: "long" }).format(s, "second");
}

/** "10 minutes" / "10 分鐘" / "10 phút": a wait in words, in minutes from 90 seconds up. */
export function waitText(seconds: number): string {
  const minutes = seconds >= 90;
  const value = minutes ? Math.ceil(seconds / 60) : Math.max(1, Math.ceil(seconds));
  return new Intl.NumberFormat(current, { style: "unit", unit: minutes ? "minute" : "second", unitDisplay: "long" }).format(value);
}

/** "Sun 6 Dec, 18:30" / "12月6日 週日 18:30": a date and time in the language, in the reader's time zone. */
export function dateTime(d: Date): string {
  return new Intl.DateTimeFormat(current, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(d);
}

/** "Ann, Bo and Cy" in the language's own way. */
export function list(items: string[]): string {
  return new Intl.ListFormat(current, { type: "conjunction" }).format(items);
}

/** The same list in pieces (names and the words between them), to put links in place of the names. */
export function listParts(items: string[]): { type: "element" | "literal"; value: string }[] {
  return new Intl.ListFormat(current, { type: "conjunction" }).formatToParts(items);
}

export function signed(n: number): string {
  return n > 0 ? `+${num(n)}` : n < 0 ? `−${num(-n)}` : num(0);
}
