import type { FlushOrder, StraightSet, SuitOrder, Variant } from "./types.ts";

/** The default game of RULES.md (Hong Kong / pagat style). Frozen: share it freely. */
export const DEFAULT_VARIANT: Variant = Object.freeze({
  suitOrder: "DCHS",
  straights: "classic",
  flushOrder: "rank",
  firstPlayMustContainStart: true,
  passLocksTrick: false,
  winnerLeadsNextDeal: false,
  doubleAt: 10,
  tripleIfUnplayed: true,
  twosDouble: false,
});

const SUIT_ORDERS: readonly SuitOrder[] = ["DCHS", "CDHS"];
const STRAIGHT_SETS: readonly StraightSet[] = ["classic", "poker", "taiwan"];
const FLUSH_ORDERS: readonly FlushOrder[] = ["rank", "suit"];
const FIELDS = Object.keys(DEFAULT_VARIANT) as (keyof Variant)[];

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return Object.prototype.toString.call(value);
}

function oneOf<T extends string>(name: string, allowed: readonly T[], value: unknown): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new TypeError(`Expected \`${name}\` to be one of ${allowed.join(", ")}, got ${show(value)}`);
}

function bool(name: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  throw new TypeError(`Expected \`${name}\` to be a boolean, got ${show(value)}`);
}

/** A key that names a variant by value, for caches. */
export function variantKey(v: Variant): string {
  return `${v.suitOrder}|${v.straights}|${v.flushOrder}|${+v.firstPlayMustContainStart}${+v.passLocksTrick}${+v.winnerLeadsNextDeal}${+v.tripleIfUnplayed}${+v.twosDouble}|${v.doubleAt}`;
}

// Resolved variants are frozen and shared: the same settings always give the same object, so
// callers that pass `state.variant` around hit the identity cache below.
const byKey = new Map<string, Variant>([[variantKey(DEFAULT_VARIANT), DEFAULT_VARIANT]]);
const byObject = new WeakMap<object, Variant>([[DEFAULT_VARIANT, DEFAULT_VARIANT]]);

// The identity cache is checked field by field: a caller may have changed its object since.
function sameSettings(partial: Partial<Variant>, resolved: Variant): boolean {
  for (const key of FIELDS) {
    const value = partial[key];
    if (value === undefined ? DEFAULT_VARIANT[key] !== resolved[key] : value !== resolved[key]) return false;
  }
  return true;
}

/**
 * A complete, validated variant: omitted fields take the defaults of RULES.md.
 * Throws a TypeError naming the field for an unknown field or a bad value.
 */
export function resolveVariant(partial?: Partial<Variant>): Variant {
  if (partial === undefined || partial === null) return DEFAULT_VARIANT;
  const cached = byObject.get(partial);
  if (cached !== undefined && sameSettings(partial, cached)) return cached;
  if (typeof partial !== "object" || Array.isArray(partial)) {
    throw new TypeError(`Expected \`variant\` to be an object, got ${show(partial)}`);
  }
  for (const key of Object.keys(partial)) {
    if (!(FIELDS as string[]).includes(key)) {
      throw new TypeError(`Unknown variant field \`${key}\`; expected one of ${FIELDS.join(", ")}`);
    }
  }
  const p = partial as Record<keyof Variant, unknown>;
  const pick = (key: keyof Variant): unknown => (p[key] === undefined ? DEFAULT_VARIANT[key] : p[key]);
  const doubleAt = pick("doubleAt");
  if (typeof doubleAt !== "number" || !Number.isInteger(doubleAt) || doubleAt < 1) {
    throw new TypeError(`Expected \`doubleAt\` to be a whole number from 1 and up, got ${show(doubleAt)}`);
  }
  const resolved: Variant = {
    suitOrder: oneOf("suitOrder", SUIT_ORDERS, pick("suitOrder")),
    straights: oneOf("straights", STRAIGHT_SETS, pick("straights")),
    flushOrder: oneOf("flushOrder", FLUSH_ORDERS, pick("flushOrder")),
    firstPlayMustContainStart: bool("firstPlayMustContainStart", pick("firstPlayMustContainStart")),
    passLocksTrick: bool("passLocksTrick", pick("passLocksTrick")),
    winnerLeadsNextDeal: bool("winnerLeadsNextDeal", pick("winnerLeadsNextDeal")),
    doubleAt,
    tripleIfUnplayed: bool("tripleIfUnplayed", pick("tripleIfUnplayed")),
    twosDouble: bool("twosDouble", pick("twosDouble")),
  };
  const key = variantKey(resolved);
  let shared = byKey.get(key);
  if (shared === undefined) {
    shared = Object.freeze(resolved);
    // Bounded: at most 2*3*2*2^5 switch settings times the doubleAt values actually used.
    if (byKey.size < 4096) byKey.set(key, shared);
  }
  byObject.set(partial, shared);
  return shared;
}
