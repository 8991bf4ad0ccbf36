// The rematch offer after a match (docs/protocol.md "Rematch"): the server sends
// `rematch {inMs, answers, outcome}` right after matchEnd, on every answer and when it settles;
// each person answers `rematch {answer}`. Kept beside the table's shown state.
import { list, t } from "./i18n/index.ts";

export type RematchAnswer = "yes" | "no" | "pending";

export interface RematchMessage {
  type: "rematch";
  tableId: string;
  seq: number;
  inMs: number | null;
  answers: RematchAnswer[];
  outcome: "again" | "over" | null;
}

export interface RematchState {
  /** Absolute end of the countdown (Date.now clock); null once settled. */
  deadline: number | null;
  answers: RematchAnswer[];
  outcome: "again" | "over" | null;
}

const ANSWERS = new Set(["yes", "no", "pending"]);

/** Whether a server frame is a rematch offer (checked field by field: it drives buttons). */
export function isRematchMessage(m: unknown): m is RematchMessage {
  const r = m as Partial<RematchMessage> | null;
  return (
    r !== null &&
    typeof r === "object" &&
    r.type === "rematch" &&
    typeof r.tableId === "string" &&
    (r.inMs === null || typeof r.inMs === "number") &&
    Array.isArray(r.answers) &&
    r.answers.every((a) => ANSWERS.has(a)) &&
    (r.outcome === null || r.outcome === "again" || r.outcome === "over")
  );
}

export function rematchState(m: RematchMessage, now: number): RematchState {
  return { deadline: m.inMs === null ? null : now + Math.max(0, m.inMs), answers: m.answers.slice(), outcome: m.outcome };
}

/**
 * The line under the buttons, in parts: who has agreed, who is still deciding (`names` as shown at
 * the table). Parts, so a narrow screen wraps between them rather than between a verb and a name.
 */
export function rematchLine(r: RematchState, names: string[], mySeat: number | null): string[] {
  if (r.outcome === "again") return [t("rematch.starting")];
  if (r.outcome === "over") return [t("rematch.over")];
  const yes = r.answers.flatMap((a, s) => (a === "yes" && s !== mySeat ? [names[s]] : []));
  const waiting = r.answers.flatMap((a, s) => (a === "pending" && s !== mySeat ? [names[s]] : []));
  const parts: string[] = [];
  if (yes.length) parts.push(t(yes.length === 1 ? "rematch.wantsOne" : "rematch.wantMany", { names: list(yes) }));
  if (waiting.length) parts.push(t(waiting.length === 1 ? "rematch.waitingOne" : "rematch.waitingMany", { names: list(waiting) }));
  return parts;
}
