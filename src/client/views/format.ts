import { DEFAULT_VARIANT, type Variant } from "../../rules/index.ts";
import { t } from "../i18n/index.ts";

export { signed } from "../i18n/index.ts";

/** RULES.md defaults, to describe a table's rules by what differs from them. */
export const DEFAULT_RULES: Variant = DEFAULT_VARIANT;

export function rulesSummary(v: Partial<Variant> | undefined): string {
  if (!v) return t("rules.standard");
  const parts: string[] = [];
  if (v.straights === "taiwan") parts.push(t("rules.taiwanStraights"));
  else if (v.straights === "poker") parts.push(t("rules.pokerStraights"));
  if (v.suitOrder === "CDHS") parts.push(t("rules.clubsLow"));
  if (v.flushOrder === "suit") parts.push(t("rules.flushBySuit"));
  if (v.passLocksTrick) parts.push(t("rules.passLocks"));
  if (v.winnerLeadsNextDeal) parts.push(t("rules.winnerLeads"));
  if (v.twosDouble) parts.push(t("rules.twosDouble"));
  if (v.firstPlayMustContainStart === false) parts.push(t("rules.freeFirst"));
  if (v.doubleAt !== undefined && v.doubleAt !== DEFAULT_RULES.doubleAt) parts.push(t("rules.doubleAt", { n: v.doubleAt }));
  if (v.tripleIfUnplayed === false) parts.push(t("rules.noTriple"));
  return parts.length ? parts.join(", ") : t("rules.standard");
}

export function clockSummary(turnSeconds: number): string {
  return turnSeconds > 0 ? t("clock.turns", { n: turnSeconds }) : t("clock.none");
}

export function lengthSummary(deals: number | null, lossLimit: number | null): string {
  const d = deals !== null ? t("length.deals", { n: deals }) : null;
  const l = lossLimit !== null ? t("length.loss", { n: lossLimit }) : null;
  if (d && l) return t("length.either", { deals: d, loss: l });
  return d ?? l ?? t("length.none");
}
