// One schema per wire message. The TypeScript types are inferred from the schemas, so the
// validator, the types and docs/protocol.schema.json can never disagree.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import type {
  Card,
  Combo,
  DealEvent,
  DealResult,
  MatchSettings,
  PlayerView,
  PublicView,
  Variant,
} from "../rules/types.ts";

const Id = Type.Optional(
  Type.Union([Type.String({ maxLength: 64 }), Type.Integer()], {
    description: "Chosen by the client; echoed by the reply or error this request causes.",
  }),
);

export const CardSchema = Type.Unsafe<Card>(
  Type.String({ pattern: "^[2-9TJQKA][DCHS]$", description: "Rank then suit, e.g. 3D, TS, 2S." }),
);

export const ComboSchema = Type.Unsafe<Combo>(
  Type.Object({
    kind: Type.Union(
      ["single", "pair", "triple", "straight", "flush", "fullHouse", "fourOfAKind", "straightFlush"].map(
        (k) => Type.Literal(k),
      ),
    ),
    cards: Type.Array(CardSchema, { description: "Ascending by single-card order." }),
  }),
);

const ComboKindSchema = Type.Union(
  ["single", "pair", "triple", "straight", "flush", "fullHouse", "fourOfAKind", "straightFlush"].map((k) => Type.Literal(k)),
);

const DealEventSchema = Type.Unsafe<DealEvent>(
  Type.Union(
    [
      Type.Object({
        type: Type.Literal("play"),
        seat: Type.Integer(),
        combo: Type.Object({ kind: ComboKindSchema, cards: Type.Array(CardSchema) }),
        auto: Type.Boolean({ description: "true: the turn clock acted for the seat." }),
      }),
      Type.Object({ type: Type.Literal("pass"), seat: Type.Integer(), auto: Type.Boolean() }),
    ],
    { description: "A play or a pass, as everyone sees it." },
  ),
);

export const VariantSchema = Type.Unsafe<Partial<Variant>>(
  Type.Object(
    {
      suitOrder: Type.Optional(Type.Union([Type.Literal("DCHS"), Type.Literal("CDHS")])),
      straights: Type.Optional(
        Type.Union([Type.Literal("classic"), Type.Literal("poker"), Type.Literal("taiwan")]),
      ),
      flushOrder: Type.Optional(Type.Union([Type.Literal("rank"), Type.Literal("suit")])),
      firstPlayMustContainStart: Type.Optional(Type.Boolean()),
      passLocksTrick: Type.Optional(Type.Boolean()),
      winnerLeadsNextDeal: Type.Optional(Type.Boolean()),
      doubleAt: Type.Optional(Type.Integer({ minimum: 2, maximum: 14 })),
      tripleIfUnplayed: Type.Optional(Type.Boolean()),
      twosDouble: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, description: "Rule switches (RULES.md); omitted fields take the defaults." },
  ),
);

const ResolvedVariantSchema = Type.Unsafe<Variant>(
  Type.Object({
    suitOrder: Type.Union([Type.Literal("DCHS"), Type.Literal("CDHS")]),
    straights: Type.Union([Type.Literal("classic"), Type.Literal("poker"), Type.Literal("taiwan")]),
    flushOrder: Type.Union([Type.Literal("rank"), Type.Literal("suit")]),
    firstPlayMustContainStart: Type.Boolean(),
    passLocksTrick: Type.Boolean(),
    winnerLeadsNextDeal: Type.Boolean(),
    doubleAt: Type.Integer(),
    tripleIfUnplayed: Type.Boolean(),
    twosDouble: Type.Boolean(),
  }),
);

const publicDealFields = {
  variant: ResolvedVariantSchema,
  seats: Type.Integer(),
  counts: Type.Array(Type.Integer(), { description: "Cards in each seat's hand." }),
  turn: Type.Integer({ description: "Seat to act; -1 once the deal is over." }),
  top: Type.Union([Type.Object({ seat: Type.Integer(), combo: ComboSchema }), Type.Null()], {
    description: "Last play of the current trick, which a play must beat; null when the seat to act leads.",
  }),
  passed: Type.Array(Type.Boolean(), { description: "Seats that passed since the last play of this trick." }),
  playedAny: Type.Array(Type.Boolean()),
  mustContain: Type.Union([CardSchema, Type.Null()], {
    description: "The card the next play must contain (first play of a deal); shown only to its holder.",
  }),
  played: Type.Array(CardSchema, { description: "Every card played this deal, in order." }),
  history: Type.Array(DealEventSchema),
  winner: Type.Union([Type.Integer(), Type.Null()]),
};
const PublicViewSchema = Type.Unsafe<PublicView>(Type.Object(publicDealFields, { description: "A spectator's view." }));
const PlayerViewSchema = Type.Unsafe<PlayerView>(
  Type.Object(
    { ...publicDealFields, seat: Type.Integer(), hand: Type.Array(CardSchema) },
    { description: "A player's view: the public deal plus your own hand, never anyone else's." },
  ),
);
const DealViewSchema = Type.Unsafe<PlayerView | PublicView>(Type.Union([PlayerViewSchema, PublicViewSchema]));
const DealResultSchema = Type.Unsafe<DealResult>(
  Type.Object({
    winner: Type.Integer(),
    scores: Type.Array(
      Type.Object({ cardsLeft: Type.Integer(), penalty: Type.Integer(), delta: Type.Integer() }),
      { description: "Per seat; delta is the change to the running total (zero-sum)." },
    ),
    hands: Type.Array(Type.Array(CardSchema), { description: "Each seat's cards left, public once the deal is over." }),
  }),
);

export const BotLevelSchema = Type.Union([
  Type.Literal("random"),
  Type.Literal("easy"),
  Type.Literal("normal"),
  Type.Literal("hard"),
]);
export type BotLevel = Static<typeof BotLevelSchema>;

export const TableSettingsSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    seats: Type.Optional(Type.Integer({ minimum: 2, maximum: 4, default: 4 })),
    variant: Type.Optional(VariantSchema),
    turnSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 300, default: 30, description: "Turn clock; 0 = none." }),
    ),
    deals: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100 }), Type.Null()])),
    lossLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10000 }), Type.Null()])),
    private: Type.Optional(Type.Boolean({ default: false })),
    bots: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3, default: 0, description: "Bots seated at once." }),
    ),
    botLevel: Type.Optional(BotLevelSchema),
    fillWithBotsAfter: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 3600 }), Type.Null()], {
        description: "Seconds after which empty seats are filled with bots; null = never.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type TableSettingsInput = Static<typeof TableSettingsSchema>;

// ---------------------------------------------------------------- client -> server

export const Hello = Type.Object(
  {
    type: Type.Literal("hello"),
    id: Id,
    v: Type.Integer({ description: "Protocol version the client speaks." }),
    name: Type.String({ minLength: 1, maxLength: 24 }),
    token: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false, description: "First message on every socket." },
);
export const LobbySubscribe = Type.Object(
  { type: Type.Literal("lobby.subscribe"), id: Id },
  { additionalProperties: false, description: "Receive the public table list and its changes." },
);
export const LobbyUnsubscribe = Type.Object(
  { type: Type.Literal("lobby.unsubscribe"), id: Id },
  { additionalProperties: false },
);
export const TableCreate = Type.Object(
  { type: Type.Literal("table.create"), id: Id, settings: TableSettingsSchema },
  { additionalProperties: false, description: "Create a table and take its first seat." },
);
export const TableJoin = Type.Object(
  {
    type: Type.Literal("table.join"),
    id: Id,
    tableId: Type.Optional(Type.String({ maxLength: 64 })),
    code: Type.Optional(Type.String({ maxLength: 16 })),
    ticket: Type.Optional(
      Type.String({ maxLength: 64, description: "A bot service's one-time seat ticket (service.seat): take that reserved seat." }),
    ),
  },
  { additionalProperties: false, description: "Take a free seat, by table id or invite code." },
);
export const TableWatch = Type.Object(
  {
    type: Type.Literal("table.watch"),
    id: Id,
    tableId: Type.Optional(Type.String({ maxLength: 64 })),
    code: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false, description: "Spectate a table: public events only, no hands." },
);
export const TableLeave = Type.Object(
  { type: Type.Literal("table.leave"), id: Id },
  { additionalProperties: false, description: "Leave your table (a bot takes a seat in a running match)." },
);
export const QuickJoin = Type.Object(
  { type: Type.Literal("quick.join"), id: Id },
  { additionalProperties: false, description: "Queue for a four-seat default table." },
);
export const QuickLeave = Type.Object(
  { type: Type.Literal("quick.leave"), id: Id },
  { additionalProperties: false },
);
export const Play = Type.Object(
  { type: Type.Literal("play"), id: Id, cards: Type.Array(CardSchema, { minItems: 1, maxItems: 5 }) },
  { additionalProperties: false },
);
export const Pass = Type.Object({ type: Type.Literal("pass"), id: Id }, { additionalProperties: false });
export const Ready = Type.Object(
  { type: Type.Literal("ready"), id: Id },
  { additionalProperties: false, description: "Start the next deal (after a deal result) without waiting." },
);
/** The one chat length limit: the schema refuses longer text, the table never sees it. */
export const CHAT_MAX_CHARS = 200;

export const Chat = Type.Object(
  {
    type: Type.Literal("chat"),
    id: Id,
    text: Type.String({ minLength: 1, maxLength: CHAT_MAX_CHARS, description: `At most ${CHAT_MAX_CHARS} characters; spaces around it are trimmed.` }),
  },
  { additionalProperties: false },
);

/** The fixed set of quick reactions at a table (the client draws each as an emoji). */
export const EMOTES = ["nice", "haha", "wow", "oops", "think", "gg"] as const;
export type Emote = (typeof EMOTES)[number];
const EmoteSchema = Type.Union(
  EMOTES.map((e) => Type.Literal(e)),
  { description: "One of a fixed set of reactions." },
);

export const React = Type.Object(
  { type: Type.Literal("react"), id: Id, emote: EmoteSchema },
  { additionalProperties: false, description: "A quick reaction, shown beside your seat (or as a spectator's) to everyone at the table; rate-limited like chat." },
);

export const ServiceHello = Type.Object(
  {
    type: Type.Literal("service.hello"),
    id: Id,
    v: Type.Integer({ description: "Protocol version the service speaks." }),
    secret: Type.String({ minLength: 1, maxLength: 256, description: "The server's BOT_SERVICE_SECRET." }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  {
    additionalProperties: false,
    description: "First message of a bot service's control socket (instead of hello): the server then asks it for bots with service.seat.",
  },
);

export const Rematch = Type.Object(
  { type: Type.Literal("rematch"), id: Id, answer: Type.Boolean({ description: "true: play again with the same seats and settings; false: back to the lobby." }) },
  { additionalProperties: false, description: "Answer the table's rematch offer (after matchEnd, while the countdown runs)." },
);

export const ClientMessageSchemas = {
  hello: Hello,
  "lobby.subscribe": LobbySubscribe,
  "lobby.unsubscribe": LobbyUnsubscribe,
  "table.create": TableCreate,
  "table.join": TableJoin,
  "table.watch": TableWatch,
  "table.leave": TableLeave,
  "quick.join": QuickJoin,
  "quick.leave": QuickLeave,
  play: Play,
  pass: Pass,
  ready: Ready,
  chat: Chat,
  react: React,
  rematch: Rematch,
  "service.hello": ServiceHello,
} as const;
export const ClientMessageSchema = Type.Union(Object.values(ClientMessageSchemas) as TSchema[]);
export type ClientMessage =
  | Static<typeof Hello>
  | Static<typeof LobbySubscribe>
  | Static<typeof LobbyUnsubscribe>
  | Static<typeof TableCreate>
  | Static<typeof TableJoin>
  | Static<typeof TableWatch>
  | Static<typeof TableLeave>
  | Static<typeof QuickJoin>
  | Static<typeof QuickLeave>
  | Static<typeof Play>
  | Static<typeof Pass>
  | Static<typeof Ready>
  | Static<typeof Rematch>
  | Static<typeof Chat>
  | Static<typeof React>
  | Static<typeof ServiceHello>;
export type ClientMessageType = ClientMessage["type"];

// ---------------------------------------------------------------- server -> client

const SeatInfo = Type.Object({
  seat: Type.Integer(),
  name: Type.Union([Type.String(), Type.Null()], { description: "null: the seat is free." }),
  bot: Type.Boolean({ description: "A bot plays the seat (a bot seat, or a human's seat after the grace)." }),
  connected: Type.Boolean(),
  playerId: Type.Union([Type.String(), Type.Null()]),
});
export type SeatInfo = Static<typeof SeatInfo>;

const ResolvedSettings = Type.Object({
  name: Type.String(),
  seats: Type.Integer(),
  variant: ResolvedVariantSchema,
  turnSeconds: Type.Integer(),
  deals: Type.Union([Type.Integer(), Type.Null()]),
  lossLimit: Type.Union([Type.Integer(), Type.Null()]),
  private: Type.Boolean(),
  botLevel: BotLevelSchema,
  fillWithBotsAfter: Type.Union([Type.Integer(), Type.Null()]),
});
export type TableSettings = Static<typeof ResolvedSettings> & { variant: Variant };

export const TableSummarySchema = Type.Object({
  tableId: Type.String(),
  name: Type.String(),
  seats: Type.Integer(),
  taken: Type.Integer(),
  humans: Type.Integer(),
  status: Type.Union([Type.Literal("waiting"), Type.Literal("playing"), Type.Literal("over")]),
  variant: ResolvedVariantSchema,
  turnSeconds: Type.Integer(),
  deals: Type.Union([Type.Integer(), Type.Null()]),
  lossLimit: Type.Union([Type.Integer(), Type.Null()]),
});
export type TableSummary = Static<typeof TableSummarySchema>;

const Seq = Type.Integer({ description: "The table's sequence number of this event." });
const TableId = Type.String();
const TurnMs = Type.Union([Type.Integer(), Type.Null()], {
  description: "Milliseconds left on the turn clock of the seat to act; null when there is no clock.",
});

export const Welcome = Type.Object({
  type: Type.Literal("welcome"),
  id: Id,
  v: Type.Integer(),
  playerId: Type.String(),
  name: Type.String(),
  token: Type.String({ description: "Keep it; send it in the next hello to be the same player." }),
  tableId: Type.Union([Type.String(), Type.Null()], { description: "Table the player is seated at, if any." }),
  nodes: Type.Optional(
    Type.Array(Type.String(), {
      description:
        "Public URLs of the cluster's live nodes (several nodes only). A client that loses this node tries another; any node sends it on to the right one.",
    }),
  ),
});
export const ErrorMessage = Type.Object({
  type: Type.Literal("error"),
  id: Id,
  code: Type.String(),
  message: Type.String(),
});
export const Ack = Type.Object({ type: Type.Literal("ack"), id: Id });
export const LobbyList = Type.Object({
  type: Type.Literal("lobby.list"),
  id: Id,
  tables: Type.Array(TableSummarySchema, { description: "One page (LOBBY_PAGE_SIZE, default 100): tables with a free seat first." }),
  total: Type.Integer({ description: "Public tables listed in all; `tables` may hold fewer." }),
});
export const LobbyTable = Type.Object({ type: Type.Literal("lobby.table"), table: TableSummarySchema });
export const LobbyRemove = Type.Object({ type: Type.Literal("lobby.remove"), tableId: TableId });
export const QueueStatus = Type.Object({
  type: Type.Literal("quick.status"),
  id: Id,
  waiting: Type.Integer({ description: "Players in the queue." }),
  waitedMs: Type.Integer(),
  botsInMs: Type.Integer({ description: "When bots fill the remaining seats." }),
});
export const Joined = Type.Object({
  type: Type.Literal("joined"),
  id: Id,
  tableId: TableId,
  seat: Type.Union([Type.Integer(), Type.Null()], { description: "null: spectating." }),
  code: Type.Union([Type.String(), Type.Null()], { description: "Invite code of a private table." }),
});
export const Left = Type.Object({ type: Type.Literal("left"), id: Id, tableId: TableId });

export const Snapshot = Type.Object({
  type: Type.Literal("snapshot"),
  tableId: TableId,
  seq: Seq,
  seat: Type.Union([Type.Integer(), Type.Null()]),
  settings: ResolvedSettings,
  code: Type.Union([Type.String(), Type.Null()]),
  players: Type.Array(SeatInfo),
  status: Type.Union([Type.Literal("waiting"), Type.Literal("playing"), Type.Literal("between"), Type.Literal("over")]),
  dealNo: Type.Integer({ description: "Deals started so far." }),
  totals: Type.Array(Type.Integer()),
  deal: Type.Union([DealViewSchema, Type.Null()], { description: "Your view (a spectator's has no hand); null before the first deal." }),
  turnMs: TurnMs,
  nextInMs: Type.Union([Type.Integer(), Type.Null()], {
    description: "Between deals: milliseconds until the next deal starts by itself; otherwise null.",
  }),
  lastResult: Type.Union([DealResultSchema, Type.Null()]),
  watchers: Type.Optional(Type.Integer({ minimum: 0, description: "People watching the table (spectators)." })),
});
export const DealStart = Type.Object({
  type: Type.Literal("deal"),
  tableId: TableId,
  seq: Seq,
  dealNo: Type.Integer(),
  deal: DealViewSchema,
  turnMs: TurnMs,
});
export const PlayEvent = Type.Object({
  type: Type.Literal("play"),
  tableId: TableId,
  seq: Seq,
  event: DealEventSchema,
  turnMs: TurnMs,
});
export const DealEnd = Type.Object({
  type: Type.Literal("dealEnd"),
  tableId: TableId,
  seq: Seq,
  result: DealResultSchema,
  totals: Type.Array(Type.Integer()),
  nextInMs: Type.Union([Type.Integer(), Type.Null()], { description: "null: the match is over." }),
});
export const MatchEnd = Type.Object({
  type: Type.Literal("matchEnd"),
  tableId: TableId,
  seq: Seq,
  matchId: Type.String({ description: "The match in the records: GET /api/matches/:matchId, the replay page /replay/:matchId." }),
  totals: Type.Array(Type.Integer()),
  winners: Type.Array(Type.Integer()),
});
export const RematchAnswer = Type.Union([Type.Literal("yes"), Type.Literal("no"), Type.Literal("pending")]);
export const RematchOffer = Type.Object(
  {
    type: Type.Literal("rematch"),
    tableId: TableId,
    seq: Seq,
    inMs: Type.Union([Type.Integer(), Type.Null()], { description: "Time left to answer; null once the offer is settled." }),
    answers: Type.Array(RematchAnswer, { description: "Per seat; bots answer yes at once." }),
    outcome: Type.Union([Type.Literal("again"), Type.Literal("over"), Type.Null()], {
      description: "null while open; again: a new match at this table (a snapshot follows); over: nobody wanted one.",
    }),
  },
  { description: "The rematch offer after matchEnd, sent again on every answer and when it is settled." },
);
export const SeatEvent = Type.Object({
  type: Type.Literal("seat"),
  tableId: TableId,
  seq: Seq,
  player: SeatInfo,
});
export const ChatEvent = Type.Object({
  type: Type.Literal("chat"),
  tableId: TableId,
  seq: Seq,
  seat: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  text: Type.String(),
});
export const ReactionEvent = Type.Object({
  type: Type.Literal("reaction"),
  tableId: TableId,
  seq: Seq,
  seat: Type.Union([Type.Integer(), Type.Null()], { description: "null: a spectator reacted." }),
  name: Type.String(),
  emote: EmoteSchema,
});
export const WatchersEvent = Type.Object({
  type: Type.Literal("watchers"),
  tableId: TableId,
  seq: Seq,
  count: Type.Integer({ minimum: 0, description: "People now watching the table." }),
});
export const TableClosed = Type.Object({
  type: Type.Literal("closed"),
  tableId: TableId,
  seq: Seq,
  code: Type.String(),
  message: Type.String(),
});
export const Redirect = Type.Object(
  {
    type: Type.Literal("redirect"),
    id: Id,
    tableId: Type.Union([TableId, Type.Null()], { description: "The table the request or the player's seat is at." }),
    url: Type.String({ description: "The public URL of the node that owns the table: connect there (its /ws) and send the same hello and request again." }),
    reason: Type.Union([Type.Literal("owner"), Type.Literal("moved")], {
      description: "owner: the table lives on another node; moved: the table this socket was at now lives on another node (failover or hand-over).",
    }),
  },
  { description: "The answer to a request for a table another node owns, or news that this socket's table moved. Follow it at once." },
);
export const ServerShutdown = Type.Object({
  type: Type.Literal("shutdown"),
  message: Type.String(),
  reconnectInMs: Type.Integer(),
});

export const ServiceWelcome = Type.Object({
  type: Type.Literal("service.welcome"),
  id: Id,
  v: Type.Integer(),
});
export const ServiceSeat = Type.Object(
  {
    type: Type.Literal("service.seat"),
    tableId: TableId,
    seat: Type.Integer(),
    level: BotLevelSchema,
    ticket: Type.String({ description: "One-time: the bot sends it in table.join to take the seat. Expires if unused." }),
    expiresInMs: Type.Integer({ description: "After this the server seats an in-process bot instead." }),
  },
  { description: "To a bot service: connect a bot of this level as an ordinary player and join with the ticket." },
);

export const ServerMessageSchemas = {
  welcome: Welcome,
  error: ErrorMessage,
  ack: Ack,
  "lobby.list": LobbyList,
  "lobby.table": LobbyTable,
  "lobby.remove": LobbyRemove,
  "quick.status": QueueStatus,
  joined: Joined,
  left: Left,
  snapshot: Snapshot,
  deal: DealStart,
  play: PlayEvent,
  dealEnd: DealEnd,
  matchEnd: MatchEnd,
  rematch: RematchOffer,
  seat: SeatEvent,
  chat: ChatEvent,
  reaction: ReactionEvent,
  watchers: WatchersEvent,
  closed: TableClosed,
  shutdown: ServerShutdown,
  redirect: Redirect,
  "service.welcome": ServiceWelcome,
  "service.seat": ServiceSeat,
} as const;

type S<K extends keyof typeof ServerMessageSchemas> = Static<(typeof ServerMessageSchemas)[K]>;
export type WelcomeMessage = S<"welcome">;
export type ServerError = S<"error">;
export type SnapshotMessage = Omit<S<"snapshot">, "settings" | "deal" | "lastResult"> & {
  settings: TableSettings;
  deal: PlayerView | PublicView | null;
  lastResult: DealResult | null;
};
export type ServerMessage =
  | WelcomeMessage
  | ServerError
  | S<"ack">
  | S<"lobby.list">
  | S<"lobby.table">
  | S<"lobby.remove">
  | S<"quick.status">
  | S<"joined">
  | S<"left">
  | SnapshotMessage
  | S<"deal">
  | S<"play">
  | S<"dealEnd">
  | S<"matchEnd">
  | S<"rematch">
  | S<"seat">
  | S<"chat">
  | S<"reaction">
  | S<"watchers">
  | S<"closed">
  | S<"shutdown">
  | S<"redirect">
  | S<"service.welcome">
  | S<"service.seat">;
export type ServerMessageType = ServerMessage["type"];
export type TableMessage = Extract<ServerMessage, { seq: number }>;

export type { MatchSettings };
