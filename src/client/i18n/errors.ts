// Server errors by their stable codes (src/protocol/codes.ts and the rules engine's codes): the
// player reads the catalogue's words, never the server's English `message`.
import { ErrorCode } from "../../protocol/codes.ts";
import type { RuleCode } from "../../rules/types.ts";
import { t, type Key } from "./index.ts";

const KEYS: Record<string, Key> = {
  [ErrorCode.BadJson]: "err.proto/bad-json",
  [ErrorCode.BadMessage]: "err.proto/bad-message",
  [ErrorCode.UnknownType]: "err.proto/unknown-type",
  [ErrorCode.Version]: "err.proto/version",
  [ErrorCode.HelloFirst]: "err.auth/hello-first",
  [ErrorCode.AlreadyHello]: "err.auth/already-hello",
  [ErrorCode.BadSecret]: "err.auth/bad-secret",
  [ErrorCode.Replaced]: "err.auth/replaced",
  [ErrorCode.RateLimited]: "err.rate/limited",
  [ErrorCode.TableNotFound]: "err.lobby/table-not-found",
  [ErrorCode.TableFull]: "err.lobby/table-full",
  [ErrorCode.AlreadySeated]: "err.lobby/already-seated",
  [ErrorCode.BadSettings]: "err.lobby/bad-settings",
  [ErrorCode.NotInQueue]: "err.lobby/not-in-queue",
  [ErrorCode.BadTicket]: "err.lobby/bad-ticket",
  [ErrorCode.NotAtTable]: "err.table/not-at-table",
  [ErrorCode.NotSeated]: "err.table/not-seated",
  [ErrorCode.NoDeal]: "err.table/no-deal",
  [ErrorCode.TableClosed]: "err.table/closed",
  [ErrorCode.NoRematch]: "err.table/no-rematch",
  [ErrorCode.TableFailed]: "err.table/failed",
  [ErrorCode.LogUnavailable]: "err.table/log-unavailable",
  [ErrorCode.TableMoved]: "err.table/moved",
  [ErrorCode.ChatTooLong]: "err.chat/too-long",
  [ErrorCode.ChatRate]: "err.chat/rate-limited",
  [ErrorCode.ChatEmpty]: "err.chat/empty",
  [ErrorCode.MatchOver]: "err.table/match-over",
  [ErrorCode.CodeRequired]: "err.lobby/code-required",
  [ErrorCode.SpectatorsFull]: "err.lobby/spectators-full",
  [ErrorCode.TooManyTables]: "err.lobby/too-many-tables",
  [ErrorCode.TooManyGuesses]: "err.lobby/too-many-guesses",
  [ErrorCode.TableIdle]: "err.table/idle",
  [ErrorCode.ServerShutdown]: "err.server/shutdown",
  [ErrorCode.ShuttingDown]: "err.server/shutting-down",
  ...({
    "deal/over": "err.deal/over",
    "seat/invalid": "err.seat/invalid",
    "turn/not-yours": "err.turn/not-yours",
    "play/empty": "err.play/empty",
    "play/duplicate-cards": "err.play/duplicate-cards",
    "play/cards-not-in-hand": "err.play/cards-not-in-hand",
    "play/not-a-combination": "err.play/not-a-combination",
    "play/wrong-size": "err.play/wrong-size",
    "play/not-higher": "err.play/not-higher",
    "play/must-include-start": "err.play/must-include-start",
    "pass/leader-cannot-pass": "err.pass/leader-cannot-pass",
  } satisfies Record<RuleCode, Key>),
};

/** What the player reads for a server error; an unknown code still says which. */
export function errorText(code: string): string {
  const key = KEYS[code];
  return key ? t(key) : t("err.unknown", { code });
}

export function hasErrorText(code: string): boolean {
  return code in KEYS;
}
