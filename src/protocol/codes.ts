import type { RuleCode } from "../rules/types.ts";

/** Protocol version a client names in `hello`. Bump on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/**
 * Stable error codes. A client may switch on them; the `message` beside them is for people.
 * Rule codes from the engine (e.g. "play/not-higher") are passed through unchanged.
 */
export const ErrorCode = {
  BadJson: "proto/bad-json",
  BadMessage: "proto/bad-message",
  UnknownType: "proto/unknown-type",
  Version: "proto/version",
  HelloFirst: "auth/hello-first",
  AlreadyHello: "auth/already-hello",
  BadSecret: "auth/bad-secret",
  Replaced: "auth/replaced",
  RateLimited: "rate/limited",
  TableNotFound: "lobby/table-not-found",
  TableFull: "lobby/table-full",
  AlreadySeated: "lobby/already-seated",
  BadSettings: "lobby/bad-settings",
  NotInQueue: "lobby/not-in-queue",
  BadTicket: "lobby/bad-ticket",
  NotAtTable: "table/not-at-table",
  NotSeated: "table/not-seated",
  NoDeal: "table/no-deal",
  NoRematch: "table/no-rematch",
  TableClosed: "table/closed",
  TableFailed: "table/failed",
  /** The table's log could not be written (its store is unreachable): nothing was applied; try again. */
  LogUnavailable: "table/log-unavailable",
  /** The table moved to another node while this request was handled; a `redirect` follows. */
  TableMoved: "table/moved",
  ChatTooLong: "chat/too-long",
  ChatRate: "chat/rate-limited",
  ShuttingDown: "server/shutting-down",
  /** A chat message with nothing visible in it (only spaces, control or invisible characters). */
  ChatEmpty: "chat/empty",
  /** `ready` after `matchEnd`: the match is over, no deal will start. */
  MatchOver: "table/match-over",
  /** `table.join` by id at a private table: its invite code is needed to sit. */
  CodeRequired: "lobby/code-required",
  /** The table has MAX_SPECTATORS spectators already. */
  SpectatorsFull: "lobby/spectators-full",
  /** This address (or player) has as many tables open, or has created as many this minute, as it may. */
  TooManyTables: "lobby/too-many-tables",
  /** This address (or player) tried too many unknown invite codes; it may try again later. */
  TooManyGuesses: "lobby/too-many-guesses",
  /** In a `closed` message: nobody was at the table. */
  TableIdle: "table/idle",
  /** In a `closed` message: the server shut down. */
  ServerShutdown: "server/shutdown",
} as const;

export type ProtocolErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
export type ErrorCodeValue = ProtocolErrorCode | RuleCode;

/** The rules engine's codes, which tables pass through in `error` (src/rules/types.ts). */
export const RULE_CODES = [
  "deal/over",
  "seat/invalid",
  "turn/not-yours",
  "play/empty",
  "play/duplicate-cards",
  "play/cards-not-in-hand",
  "play/not-a-combination",
  "play/wrong-size",
  "play/not-higher",
  "play/must-include-start",
  "pass/leader-cannot-pass",
] as const satisfies readonly RuleCode[];
// A RuleCode missing from RULE_CODES stops the type-check here.
const everyRuleCode: [Exclude<RuleCode, (typeof RULE_CODES)[number]>] extends [never] ? true : false = true;
void everyRuleCode;

/** Every code the server can send, in `error` or `closed`: the schema's and the doc's list. */
export const ALL_ERROR_CODES: readonly ErrorCodeValue[] = [...Object.values(ErrorCode), ...RULE_CODES];

/** WebSocket close codes the server uses (4000-4999 are the application's). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** The table is changing hands between nodes this instant: reconnect and ask again. */
  TryAgainLater: 1013,
  /** A text frame that is not valid UTF-8 (ws closes it). */
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  TooLarge: 1009,
  Replaced: 4001,
  Flood: 4002,
  SlowConsumer: 4003,
  HeartbeatTimeout: 4004,
  BadVersion: 4005,
  /** The socket's table moved to another node; a `redirect` with its URL came just before. */
  Moved: 4006,
} as const;
