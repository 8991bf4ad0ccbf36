// What a table hands the records when a deal or a match ends (TableHost.dealEnded / matchEnded):
// the table's own record types. The records copy nothing and change nothing of them.

export type { DealRecord, MatchRecord } from "../table.ts";
export type { SeatRecord } from "../ports/table-log.ts";
