// The order the Hint button offers the engine's legal plays in. The engine lists every play,
// so a hand with three 7s lists 7♦7♣, 7♦7♥ and 7♣7♥ one after the other; a player pressing
// Hint again wants something different, not the same pair in other suits. So: one play of
// each shape (kind and ranks) first, in the engine's order, then the other suit choices.
import type { Combo } from "../rules/types.ts";

const ORDER = "3456789TJQKA2";

/** Kind and ranks, ignoring suits: 7♦7♣ and 7♦7♥ share a shape; a flush keeps its suit-free ranks. */
export function shapeOf(combo: Combo): string {
  const ranks = combo.cards.map((c) => ORDER.indexOf(c[0])).sort((a, b) => a - b);
  return `${combo.kind}:${ranks.join(",")}`;
}

export function hintOrder(plays: readonly Combo[]): Combo[] {
  const seen = new Set<string>();
  const first: Combo[] = [];
  const rest: Combo[] = [];
  for (const p of plays) {
    const shape = shapeOf(p);
    if (seen.has(shape)) rest.push(p);
    else {
      seen.add(shape);
      first.push(p);
    }
  }
  return [...first, ...rest];
}
