// What people type, as other people will see it. Names and chat travel to every seat and
// spectator, so what a reader cannot see is removed before anything is stored or sent: control
// characters, bidi overrides and isolates (which reorder the text around them), zero-width
// characters, lone surrogates; and the text is NFC, so the same letters are the same string.

/**
 * Format characters (Cf: bidi controls, zero-width space/joiners, BOM, ...), unassigned and
 * private-use ones; except a zero-width joiner between two pictographs, which builds one emoji
 * (👩‍💻): that one is captured and kept.
 */
const INVISIBLE = /(?<=\p{Extended_Pictographic}\uFE0F?)(\u200D)(?=\p{Extended_Pictographic})|[\p{Cf}\p{Co}\p{Cn}]/gu;
const LONE_SURROGATE = /\p{Cs}/gu;
/** Controls (tabs, newlines, escapes) and every kind of space become one plain space. */
const SPACES = /[\p{Cc}\p{Zs}\p{Zl}\p{Zp}\s]+/gu;
/** More combining marks on one letter than any script needs only stacks ink over the line. */
const MARK_PILE = /(\p{M}{3})\p{M}+/gu;

/** Text as a reader sees it: invisible characters removed, spaces collapsed and trimmed, NFC. */
export function visibleText(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, "")
    .normalize("NFC")
    .replace(INVISIBLE, (_all, joiner: string | undefined) => joiner ?? "")
    .replace(MARK_PILE, "$1")
    .replace(SPACES, " ")
    .trim();
}

/** A player's name: visible text, at most `max` characters (whole code points), or `fallback`. */
export function playerName(raw: string, max = 24, fallback = "Player"): string {
  const name = Array.from(visibleText(raw)).slice(0, max).join("").trim();
  return name || fallback;
}

/**
 * Two names a reader would take for the same person: compatibility forms (ｍｅｉ, ℳei) and case
 * folded. A table gives its second "Mei" a number instead.
 */
export function nameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase();
}

/** `name`, or `name 2`, `name 3`, ... : the first that no key in `taken` reads the same as. */
export function distinctName(name: string, taken: Iterable<string>, max = 24): string {
  const keys = new Set(Array.from(taken, nameKey));
  if (!keys.has(nameKey(name))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = Array.from(name).slice(0, max - suffix.length).join("").trimEnd() + suffix;
    if (!keys.has(nameKey(candidate))) return candidate;
  }
}
