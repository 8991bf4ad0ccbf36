// The rules engine's public API: pure functions over the plain data of types.ts.
export type * from "./types.ts";
export { DEFAULT_VARIANT, resolveVariant } from "./variant.ts";
export { cardName, compareCards, formatCards, fullDeck, parseCard, parseCards, sortCards } from "./cards.ts";
export { beats, classify } from "./combos.ts";
export { legalPlays } from "./legal-plays.ts";
export { describeCombo } from "./describe.ts";
export { createRng, shuffle, type Rng } from "./rng.ts";
export { newDeal, type NewDealOptions } from "./deal.ts";
export { applyAction, autoAction, type ListKeeper } from "./apply-action.ts";
export { checkPlay, legalActions, type PlayCheck } from "./legal-actions.ts";
export { applyEvent, publicView, viewFor } from "./view.ts";
export type { FoldedLists } from "./fold-event.ts";
export { scoreDeal } from "./scoring.ts";
export { newMatch, nextDealLeader, recordDeal, type NewMatchOptions } from "./match.ts";
