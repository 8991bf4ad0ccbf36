// The table log and the directory in Redis: what lets several nodes share tables, and a table
// outlive its node. Only the composition root builds this; the server core speaks to the ports.
//
// ## Keys (every key starts with the store's prefix `p`, so clusters and test runs share a Redis)
//   p lease:{node}      string: the node's lease, a random token, SET ... PX leaseMs. A node is
//                       live iff this key exists. One lease per node, not per table: renewal cost
//                       stays flat however many tables a node holds.
//   p nodes             hash node -> NodeInfo JSON (its public URL), written at join.
//   p owners            set of node ids that own (or owned) tables: where `orphans` looks.
//   p tables:{node}     set of the table ids a node owns (`tablesOf`, `orphans`).
//   p table:{id}        hash: node, epoch (the fence), code, meta (TableMeta JSON), n (the `n` of
//                       the last log entry written; 0: none).
//   p log:{id}          stream: one entry per log entry, stream id `${n}-0`, field `e` = the
//                       entry's JSON. XADD refuses an id not above the last: a sequence check the
//                       scripts do not even need to trust themselves for.
//   p closed:{id}       "1" for a day after the table closed (`remove`): a tombstone (see below).
//   p code:{CODE}       -> table id.
//   p player:{pid}      -> table id, expires a day after it was last set.
//   p listing           hash table id -> TableSummary JSON: the cluster's public listing.
//   p listing (channel) every ListingChange as JSON; p nodes (channel) {"left": node} on leave.
// Keys are not hash-tagged and scripts build some keys from data (an owner's lease): this is
// for one Redis (with replicas or Sentinel), not a Redis Cluster.
//
// ## Every write is one Lua script: one round trip, atomic
// Fenced writes (create, append, restart, rewrite) first check, in Redis, in this order:
//   1. `table:{id}` exists. If not and `closed:{id}` exists: FENCED (the table closed). If not
//      and there is no tombstone: LOST -> LogUnavailableError, not FencedError. A table hash
//      disappears only when its owner removes it (which leaves the tombstone) or when Redis lost
//      its data (restarted empty, this machine's Redis keeps nothing on disk). In the second case
//      the node still holds the table in memory and must not throw it away: the write is refused
//      as "unavailable" (nothing applied, the player may retry), the node's `renew` returns false
//      (its lease is gone too), it re-joins, `adopt`s each of its tables (a missing table hash is
//      adoptable) and `rewrite`s its log from memory. This also covers the window after the
//      re-join and before a table's re-claim, when the lease exists again but the table does not.
//   2. table node == fence.node and epoch == fence.epoch, else FENCED (another node adopted it).
//   3. `lease:{fence.node}` holds this process's token for that node (from join), else FENCED: a
//      node that paused past its lease writes nothing, even before anyone has adopted its tables
//      (and a second process that joined under the same node id replaced the token).
// Then:
//   append:  n <= last: the entry under n must be the same JSON (a retry after a lost reply: ok)
//            else CONFLICT; n != last+1: CONFLICT; else XADD `${n}-0` and set n.
//   restart: n <= last: ok if the stream's first entry is the same deal entry, else CONFLICT;
//            n != last+1: CONFLICT; else delete the stream, XADD the deal entry, set n (and meta).
//   create:  set meta.   rewrite: replace the stream and meta, set n; restore the invite code
//            (SET NX) if the store lost it.
// Directory scripts:
//   claim:   refuses an existing table id or a taken code; table hash at epoch 1, code, sets.
//   adopt:   succeeds iff the owner's lease key is missing (dead or departed), or the owner is
//            the caller (a node re-claiming after losing its lease), or the table hash is missing
//            and no tombstone says it closed (the store lost it). epoch + 1, the id moves between
//            the per-node sets. Concurrent adopters: the first script to run wins, the second
//            finds a live owner and gets null.
//   renew:   PEXPIRE only if the lease still holds this process's token.
//   leave:   delete the lease if it is ours; publish {"left"} on the nodes channel.
//   remove:  only for the current fence (else nothing): deletes the table, its log, its code,
//            leaves the tombstone.  drop: only for the current fence: deletes the log.
//            Neither checks the lease: no one else can hold that epoch, so closing stays safe.
//   orphans: for each owner without a lease, up to `limit` random ids from its set
//            (SRANDMEMBER: concurrent adopters mostly pick different tables); prunes owners
//            whose set is empty.
//
// ## Failures
// node-redis (`redis`) rejects commands in flight when the socket drops instead of resending them,
// and every command here has a timeout that also rejects a command already sent
// (`rejectInFlight`). Both map to LogUnavailableError: nothing applied, or unknown; appends are
// idempotent by n, so a retry of the same entry is safe. Redis error replies other than ours
// (OOM, LOADING, ...) map to LogUnavailableError too.
//
// ## Batching
// node-redis pipelines the commands issued in one tick into one write on the socket: appends of
// many tables handled in the same tick go out together as long as nobody awaits them one by one.

import { createHash, randomBytes } from "node:crypto";
import { createClient, ErrorReply, type RedisClientType } from "redis";
import type { TableSummary } from "../../protocol/index.ts";
import type { Directory, ListingChange, NodeInfo, Owner } from "../ports/directory.ts";
import {
  FencedError,
  LogConflictError,
  LogUnavailableError,
  type DealEntry,
  type Fence,
  type LogEntry,
  type TableLog,
  type TableMeta,
} from "../ports/table-log.ts";

// Any client `createClient` makes (with or without modules); this file calls only core commands.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = RedisClientType<any, any, any, 2 | 3, Record<never, never>>;

export interface RedisStoreOptions {
  /** Every key and channel starts with it, e.g. "bigtwo:" (a cluster) or a unique one per test run. */
  prefix: string;
  /** A command that has no reply by then is refused (LogUnavailableError); default 2000 ms. */
  timeoutMs?: number;
  /** How long the tombstone of a closed table lives; default a day. */
  closedTtlMs?: number;
  /** How long a player's table is remembered after it was last set; default a day. */
  playerTtlSeconds?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** A script run by its SHA (EVALSHA), loaded on first use and again after Redis forgot it. */
class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }
}

// The fence check every fenced write starts with. KEYS[1] table hash, KEYS[2] the fence node's
// lease, KEYS[3] the table's tombstone; ARGV[1] node, ARGV[2] epoch, ARGV[3] this process's token.
const FENCE = `
local t = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not t[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then return redis.error_reply('FENCED the table was closed') end
  return redis.error_reply('LOST the store has no record of the table')
end
if t[1] ~= ARGV[1] or t[2] ~= ARGV[2] then
  return redis.error_reply('FENCED the table is owned by ' .. t[1] .. ' epoch ' .. t[2])
end
if redis.call('GET', KEYS[2]) ~= ARGV[3] then
  return redis.error_reply('FENCED the lease of ' .. ARGV[1] .. ' is gone')
end
`;

const CREATE = new Script(`${FENCE}
redis.call('HSET', KEYS[1], 'meta', ARGV[4])
return 1`);

// KEYS[4] the stream; ARGV[4] n, ARGV[5] the entry's JSON.
const APPEND = new Script(`${FENCE}
local n = tonumber(ARGV[4])
local last = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n <= last then
  local had = redis.call('XRANGE', KEYS[4], ARGV[4] .. '-0', ARGV[4] .. '-0')
  if had[1] and had[1][2][2] == ARGV[5] then return 0 end
  return redis.error_reply('CONFLICT entry ' .. n .. ' differs from the one written')
end
if n ~= last + 1 then return redis.error_reply('CONFLICT entry ' .. n .. ' after ' .. last) end
redis.call('XADD', KEYS[4], ARGV[4] .. '-0', 'e', ARGV[5])
redis.call('HSET', KEYS[1], 'n', ARGV[4])
return 1`);

// KEYS[4] the stream; ARGV[4] n, ARGV[5] the deal entry's JSON, ARGV[6] new meta or ''.
const RESTART = new Script(`${FENCE}
local n = tonumber(ARGV[4])
local last = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n <= last then
  local first = redis.call('XRANGE', KEYS[4], '-', '+', 'COUNT', 1)
  if first[1] and first[1][2][2] == ARGV[5] then return 0 end
  return redis.error_reply('CONFLICT deal entry ' .. n .. ' after ' .. last)
end
if n ~= last + 1 then return redis.error_reply('CONFLICT deal entry ' .. n .. ' after ' .. last) end
redis.call('DEL', KEYS[4])
redis.call('XADD', KEYS[4], ARGV[4] .. '-0', 'e', ARGV[5])
redis.call('HSET', KEYS[1], 'n', ARGV[4])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'meta', ARGV[6]) end
return 1`);

// KEYS[4] the stream, KEYS[5] the code's key (or the table hash when there is no code);
// ARGV[4] meta, ARGV[5] code or '', ARGV[6] table id, then pairs n, entry JSON (n consecutive).
const REWRITE = new Script(`${FENCE}
redis.call('DEL', KEYS[4])
local last = '0'
for i = 7, #ARGV, 2 do
  redis.call('XADD', KEYS[4], ARGV[i] .. '-0', 'e', ARGV[i + 1])
  last = ARGV[i]
end
redis.call('HSET', KEYS[1], 'meta', ARGV[4], 'n', last)
if ARGV[5] ~= '' then
  local holder = redis.call('GET', KEYS[5])
  if not holder then redis.call('SET', KEYS[5], ARGV[6]); holder = ARGV[6] end
  if holder == ARGV[6] then redis.call('HSET', KEYS[1], 'code', ARGV[5]) end
end
return 1`);

// KEYS[1] table hash, KEYS[2] stream; ARGV[1] node, ARGV[2] epoch.
const DROP = new Script(`
local t = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if t[1] ~= ARGV[1] or t[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[2])
return 1`);

// KEYS[1] table hash, KEYS[2] stream, KEYS[3] tombstone; ARGV[1] node, ARGV[2] epoch,
// ARGV[3] prefix, ARGV[4] table id, ARGV[5] tombstone ttl ms.
const REMOVE = new Script(`
local t = redis.call('HMGET', KEYS[1], 'node', 'epoch', 'code')
if t[1] ~= ARGV[1] or t[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', ARGV[3] .. 'tables:' .. t[1], ARGV[4])
if t[3] and t[3] ~= '' then
  local codeKey = ARGV[3] .. 'code:' .. t[3]
  if redis.call('GET', codeKey) == ARGV[4] then redis.call('DEL', codeKey) end
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[5])
return 1`);

// KEYS[1] table hash, KEYS[2] the node's table set, KEYS[3] owners, KEYS[4] tombstone, KEYS[5]
// the code's key (or the table hash); ARGV[1] table id, ARGV[2] code or '', ARGV[3] node.
const CLAIM = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('EXISTS table ' .. ARGV[1] .. ' exists') end
if ARGV[2] ~= '' and redis.call('EXISTS', KEYS[5]) == 1 then return redis.error_reply('TAKEN code ' .. ARGV[2] .. ' is taken') end
redis.call('HSET', KEYS[1], 'node', ARGV[3], 'epoch', 1, 'code', ARGV[2], 'n', 0)
if ARGV[2] ~= '' then redis.call('SET', KEYS[5], ARGV[1]) end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[4])
return 1`);

// KEYS[1] table hash, KEYS[2] the adopter's table set, KEYS[3] owners, KEYS[4] tombstone;
// ARGV[1] table id, ARGV[2] the adopter, ARGV[3] prefix. Returns the new epoch, or nil.
const ADOPT = new Script(`
local owner = redis.call('HGET', KEYS[1], 'node')
if not owner then
  if redis.call('EXISTS', KEYS[4]) == 1 then return false end
  redis.call('HSET', KEYS[1], 'node', ARGV[2], 'epoch', 1, 'code', '', 'n', 0)
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[2])
  return 1
end
if owner ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. 'lease:' .. owner) == 1 then return false end
local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'node', ARGV[2])
if owner ~= ARGV[2] then redis.call('SREM', ARGV[3] .. 'tables:' .. owner, ARGV[1]) end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
return epoch`);

// KEYS[1] table hash, KEYS[2] nodes; ARGV[1] prefix. Returns {node, epoch, info JSON or nil}.
const OWNER = new Script(`
local t = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not t[1] then return false end
local info = false
if redis.call('EXISTS', ARGV[1] .. 'lease:' .. t[1]) == 1 then info = redis.call('HGET', KEYS[2], t[1]) end
return {t[1], t[2], info}`);

// KEYS[1] owners, KEYS[2] nodes; ARGV[1] prefix, ARGV[2] limit.
const ORPHANS = new Script(`
local out = {}
local limit = tonumber(ARGV[2])
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if #out >= limit then break end
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. node) == 0 then
    local ids = redis.call('SRANDMEMBER', ARGV[1] .. 'tables:' .. node, limit - #out)
    if #ids == 0 then
      redis.call('SREM', KEYS[1], node)
      redis.call('HDEL', KEYS[2], node)
    end
    for _, id in ipairs(ids) do out[#out + 1] = id end
  end
end
return out`);

// KEYS[1] nodes; ARGV[1] prefix. The NodeInfo JSON of every node with a lease.
const LIVE = new Script(`
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. all[i]) == 1 then out[#out + 1] = all[i + 1] end
end
return out`);

// KEYS[1] lease; ARGV[1] token, ARGV[2] lease ms.
const RENEW = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

// KEYS[1] lease, KEYS[2] nodes; ARGV[1] token, ARGV[2] node, ARGV[3] channel.
const LEAVE = new Script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[3], cjson.encode({left = ARGV[2]}))
return 1`);

// KEYS[1] table hash, KEYS[2] stream. {meta, entry JSON...} or nil.
const READ = new Script(`
local meta = redis.call('HGET', KEYS[1], 'meta')
if not meta then return false end
local out = {meta}
for _, e in ipairs(redis.call('XRANGE', KEYS[2], '-', '+')) do out[#out + 1] = e[2][2] end
return out`);

/** A Redis error reply or a failure to reach Redis, as the ports name it. */
function portError(err: unknown, what: string): Error {
  if (err instanceof ErrorReply) {
    const [kind] = err.message.split(" ", 1);
    const message = `${what}: ${err.message.slice(kind.length + 1)}`;
    if (kind === "FENCED") return new FencedError(message);
    if (kind === "CONFLICT") return new LogConflictError(message);
    if (kind === "LOST") return new LogUnavailableError(message);
    if (kind === "EXISTS" || kind === "TAKEN") return new Error(message);
  }
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new LogUnavailableError(`${what}: Redis did not answer (${reason})`, { cause: err });
}

function checkN(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`Expected a log entry's n to be an integer from 1 up, got ${n}`);
  return String(n);
}

export class RedisStore implements TableLog, Directory {
  readonly #client: Client;
  /** The client with this store's command options (timeout, rejecting in-flight commands). */
  readonly #c: Client;
  readonly #owned: boolean;
  readonly #p: string;
  readonly #closedTtlMs: number;
  readonly #playerTtl: number;
  /** This process's lease token of each node that joined through this store. */
  readonly #tokens = new Map<string, string>();
  readonly #listingListeners = new Set<(c: ListingChange) => void>();
  readonly #nodeListeners = new Set<(left: string) => void>();
  #subscriber: Promise<Client> | null = null;
  #closed = false;

  /**
   * `client`: a connected node-redis client (the caller closes it), or a URL (this store connects
   * and closes its own client; commands are refused, not queued, while it reconnects).
   */
  private constructor(client: Client, owned: boolean, options: RedisStoreOptions) {
    if (options.prefix.length === 0) throw new TypeError("Expected a non-empty key prefix for the Redis store");
    this.#client = client;
    this.#owned = owned;
    this.#p = options.prefix;
    this.#closedTtlMs = options.closedTtlMs ?? DAY_MS;
    this.#playerTtl = options.playerTtlSeconds ?? DAY_MS / 1000;
    this.#c = client.withCommandOptions({ timeout: options.timeoutMs ?? 2000, rejectInFlight: true }) as Client;
  }

  /** A store over a client the caller made, connected and closes. */
  static over(client: Client, options: RedisStoreOptions): RedisStore {
    return new RedisStore(client, false, options);
  }

  /** Connect to `url` (redis://...) and make a store that owns its client. */
  static async connect(url: string, options: RedisStoreOptions): Promise<RedisStore> {
    const client = createClient({ url, disableOfflineQueue: true }) as Client;
    // Without a listener an 'error' event would end the process; the store reports failures as
    // LogUnavailableError from each command instead, and the client keeps reconnecting.
    client.on("error", () => {});
    await client.connect();
    return new RedisStore(client, true, options);
  }

  async #run(script: Script, keys: string[], args: (string | number)[], what: string): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      try {
        return await this.#c.evalSha(script.sha, options);
      } catch (err) {
        if (!(err instanceof ErrorReply) || !err.message.startsWith("NOSCRIPT")) throw err;
        return await this.#c.eval(script.source, options);
      }
    } catch (err) {
      throw portError(err, what);
    }
  }

  async #call<T>(what: string, f: (c: Client) => Promise<T>): Promise<T> {
    try {
      return await f(this.#c);
    } catch (err) {
      throw portError(err, what);
    }
  }

  #fenced(tableId: string, fence: Fence): string[] {
    return [this.#p + "table:" + tableId, this.#p + "lease:" + fence.node, this.#p + "closed:" + tableId];
  }

  #fenceArgs(fence: Fence): string[] {
    return [fence.node, String(fence.epoch), this.#tokens.get(fence.node) ?? ""];
  }

  // ---------------------------------------------------------------- the log

  async create(meta: TableMeta, fence: Fence): Promise<void> {
    await this.#run(CREATE, this.#fenced(meta.tableId, fence), [...this.#fenceArgs(fence), JSON.stringify(meta)], `create table ${meta.tableId}`);
  }

  async append(tableId: string, entry: LogEntry, fence: Fence): Promise<void> {
    const n = checkN(entry.n);
    await this.#run(
      APPEND,
      [...this.#fenced(tableId, fence), this.#p + "log:" + tableId],
      [...this.#fenceArgs(fence), n, JSON.stringify(entry)],
      `append ${n} to table ${tableId}`,
    );
  }

  async restart(tableId: string, entry: DealEntry, fence: Fence, meta?: TableMeta): Promise<void> {
    const n = checkN(entry.n);
    await this.#run(
      RESTART,
      [...this.#fenced(tableId, fence), this.#p + "log:" + tableId],
      [...this.#fenceArgs(fence), n, JSON.stringify(entry), meta ? JSON.stringify(meta) : ""],
      `restart table ${tableId} at ${n}`,
    );
  }

  async rewrite(meta: TableMeta, entries: readonly LogEntry[], fence: Fence): Promise<void> {
    // A script stops at its first failing command but keeps what it wrote before: check here.
    entries.forEach((e, i) => {
      checkN(e.n);
      if (i > 0 && e.n !== entries[i - 1].n + 1) throw new TypeError(`Expected consecutive log entries, got ${entries[i - 1].n} then ${e.n}`);
    });
    const id = meta.tableId;
    await this.#run(
      REWRITE,
      [...this.#fenced(id, fence), this.#p + "log:" + id, meta.code ? this.#p + "code:" + meta.code : this.#p + "table:" + id],
      [...this.#fenceArgs(fence), JSON.stringify(meta), meta.code ?? "", id, ...entries.flatMap((e) => [String(e.n), JSON.stringify(e)])],
      `rewrite table ${id}`,
    );
  }

  async read(tableId: string): Promise<{ meta: TableMeta; entries: LogEntry[] } | null> {
    const reply = (await this.#run(READ, [this.#p + "table:" + tableId, this.#p + "log:" + tableId], [], `read table ${tableId}`)) as string[] | null;
    if (!reply) return null;
    const [meta, ...entries] = reply;
    return { meta: JSON.parse(meta) as TableMeta, entries: entries.map((e) => JSON.parse(e) as LogEntry) };
  }

  async drop(tableId: string, fence: Fence): Promise<void> {
    await this.#run(DROP, [this.#p + "table:" + tableId, this.#p + "log:" + tableId], [fence.node, fence.epoch], `drop table ${tableId}'s log`);
  }

  // ---------------------------------------------------------------- nodes

  async join(node: NodeInfo, leaseMs: number): Promise<void> {
    const token = randomBytes(16).toString("hex");
    await this.#call(`join as ${node.id}`, (c) =>
      c
        .multi()
        .set(this.#p + "lease:" + node.id, token, { expiration: { type: "PX", value: leaseMs } })
        .hSet(this.#p + "nodes", node.id, JSON.stringify(node))
        .exec(),
    );
    this.#tokens.set(node.id, token);
  }

  async renew(nodeId: string, leaseMs: number): Promise<boolean> {
    const token = this.#tokens.get(nodeId);
    if (token === undefined) return false;
    return (await this.#run(RENEW, [this.#p + "lease:" + nodeId], [token, leaseMs], `renew ${nodeId}'s lease`)) === 1;
  }

  async leave(nodeId: string): Promise<void> {
    const token = this.#tokens.get(nodeId);
    if (token === undefined) return;
    await this.#run(LEAVE, [this.#p + "lease:" + nodeId, this.#p + "nodes"], [token, nodeId, this.#p + "nodes"], `${nodeId} leaves`);
    this.#tokens.delete(nodeId);
  }

  async liveNodes(): Promise<NodeInfo[]> {
    const infos = (await this.#run(LIVE, [this.#p + "nodes"], [this.#p], "list the live nodes")) as string[];
    return infos.map((i) => JSON.parse(i) as NodeInfo);
  }

  /** A node left (`leave`): its tables can be adopted now. Not in the port yet; polling `orphans` finds them too. */
  async onNodeLeft(listener: (nodeId: string) => void): Promise<() => Promise<void>> {
    await this.#subscribe();
    this.#nodeListeners.add(listener);
    return async () => {
      this.#nodeListeners.delete(listener);
    };
  }

  // ---------------------------------------------------------------- tables

  async claim(tableId: string, code: string | null, nodeId: string): Promise<Fence> {
    await this.#run(
      CLAIM,
      [
        this.#p + "table:" + tableId,
        this.#p + "tables:" + nodeId,
        this.#p + "owners",
        this.#p + "closed:" + tableId,
        code !== null ? this.#p + "code:" + code : this.#p + "table:" + tableId,
      ],
      [tableId, code ?? "", nodeId],
      `claim table ${tableId}`,
    );
    return { node: nodeId, epoch: 1 };
  }

  async adopt(tableId: string, nodeId: string): Promise<Fence | null> {
    const epoch = (await this.#run(
      ADOPT,
      [this.#p + "table:" + tableId, this.#p + "tables:" + nodeId, this.#p + "owners", this.#p + "closed:" + tableId],
      [tableId, nodeId, this.#p],
      `adopt table ${tableId}`,
    )) as number | null;
    return epoch === null ? null : { node: nodeId, epoch };
  }

  async owner(tableId: string): Promise<Owner | null> {
    const reply = (await this.#run(OWNER, [this.#p + "table:" + tableId, this.#p + "nodes"], [this.#p], `find table ${tableId}'s owner`)) as
      | [string, string, string | null]
      | null;
    if (!reply) return null;
    const [node, epoch, info] = reply;
    return { node, epoch: Number(epoch), url: info ? (JSON.parse(info) as NodeInfo).url : null };
  }

  async orphans(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    return (await this.#run(ORPHANS, [this.#p + "owners", this.#p + "nodes"], [this.#p, limit], "find orphaned tables")) as string[];
  }

  async tablesOf(nodeId: string): Promise<string[]> {
    return this.#call(`list ${nodeId}'s tables`, (c) => c.sMembers(this.#p + "tables:" + nodeId));
  }

  async tableOfCode(code: string): Promise<string | null> {
    return this.#call(`look up code ${code}`, (c) => c.get(this.#p + "code:" + code));
  }

  async remove(tableId: string, fence: Fence): Promise<void> {
    await this.#run(
      REMOVE,
      [this.#p + "table:" + tableId, this.#p + "log:" + tableId, this.#p + "closed:" + tableId],
      [fence.node, fence.epoch, this.#p, tableId, this.#closedTtlMs],
      `remove table ${tableId}`,
    );
  }

  // ---------------------------------------------------------------- players and listing

  async setPlayer(playerId: string, tableId: string | null): Promise<void> {
    const key = this.#p + "player:" + playerId;
    await this.#call(`place player ${playerId}`, async (c) => {
      if (tableId === null) await c.del(key);
      else await c.set(key, tableId, { expiration: { type: "EX", value: this.#playerTtl } });
    });
  }

  async playerTable(playerId: string): Promise<string | null> {
    return this.#call(`find player ${playerId}`, (c) => c.get(this.#p + "player:" + playerId));
  }

  async publish(change: ListingChange): Promise<void> {
    const key = this.#p + "listing";
    await this.#call("publish a listing change", (c) => {
      const m = c.multi();
      if ("table" in change) m.hSet(key, change.table.tableId, JSON.stringify(change.table));
      else m.hDel(key, change.remove);
      return m.publish(this.#p + "listing", JSON.stringify(change)).exec();
    });
  }

  async listing(): Promise<TableSummary[]> {
    const all = await this.#call("read the listing", (c) => c.hVals(this.#p + "listing"));
    return all.map((s) => JSON.parse(s) as TableSummary);
  }

  async onListing(listener: (change: ListingChange) => void): Promise<() => Promise<void>> {
    await this.#subscribe();
    this.#listingListeners.add(listener);
    return async () => {
      this.#listingListeners.delete(listener);
    };
  }

  /** One subscriber connection per store (a connection in SUBSCRIBE mode runs no other command). */
  #subscribe(): Promise<Client> {
    this.#subscriber ??= (async () => {
      const sub = this.#client.duplicate() as Client;
      sub.on("error", () => {});
      try {
        await sub.connect();
        await sub.subscribe(this.#p + "listing", (message: string) => {
          const change = JSON.parse(message) as ListingChange;
          for (const l of this.#listingListeners) l(change);
        });
        await sub.subscribe(this.#p + "nodes", (message: string) => {
          const { left } = JSON.parse(message) as { left?: string };
          if (left !== undefined) for (const l of this.#nodeListeners) l(left);
        });
      } catch (err) {
        this.#subscriber = null;
        sub.destroy();
        throw portError(err, "subscribe to the cluster's channels");
      }
      return sub;
    })();
    return this.#subscriber;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listingListeners.clear();
    this.#nodeListeners.clear();
    const sub = this.#subscriber;
    this.#subscriber = null;
    if (sub) await sub.then((s) => s.close()).catch(() => {});
    if (this.#owned) await this.#client.close().catch(() => {});
  }
}
