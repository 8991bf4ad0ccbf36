import type { Rejection, RuleCode } from "./types.ts";

/** Every refused action goes through here: a stable code for programs, a sentence for people. */
export function reject(code: RuleCode, message: string): Rejection {
  return { ok: false, code, message };
}
