import { DEFAULT_VARIANT, type Variant } from "../../rules/index.ts";

/** RULES.md defaults, to describe a table's rules by what differs from them. */
export const DEFAULT_RULES: Variant = DEFAULT_VARIANT;

export function rulesSummary(v: Partial<Variant> | undefined): string {
  if (!v) return "standard rules";
  const parts: string[] = [];
  if (v.straights === "taiwan") parts.push("Taiwan straights");
  else if (v.straights === "poker") parts.push("poker straights");
  if (v.suitOrder === "CDHS") parts.push("♣<♦<♥<♠");
  if (v.flushOrder === "suit") parts.push("flush by suit");
  if (v.passLocksTrick) parts.push("pass locks trick");
  if (v.winnerLeadsNextDeal) parts.push("winner leads");
  if (v.twosDouble) parts.push("2s double");
  if (v.firstPlayMustContainStart === false) parts.push("free first play");
  if (v.doubleAt !== undefined && v.doubleAt !== DEFAULT_RULES.doubleAt) parts.push(`double at ${v.doubleAt}`);
  if (v.tripleIfUnplayed === false) parts.push("no triple penalty");
  return parts.length ? parts.join(", ") : "standard rules";
}

export function clockSummary(turnSeconds: number): string {
  return turnSeconds > 0 ? `${turnSeconds} s turns` : "no clock";
}

export function lengthSummary(deals: number | null, lossLimit: number | null): string {
  const parts: string[] = [];
  if (deals !== null) parts.push(`${deals} deal${deals === 1 ? "" : "s"}`);
  if (lossLimit !== null) parts.push(`to −${lossLimit}`);
  return parts.length ? parts.join(" or ") : "no end";
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0";
}
