// This node's place in the cluster: it holds a lease in the directory and renews it, keeps the
// list of live nodes for clients, and adopts the tables of nodes whose lease ran out. One lease
// per node (not per table) keeps the renewal cost flat however many tables a node holds.

import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Lobby } from "./lobby.ts";
import type { Directory, NodeInfo } from "./ports/directory.ts";

/** How many orphans one sweep looks at. */
const SWEEP_LIMIT = 500;

export class Membership {
  #timer: NodeJS.Timeout | null = null;
  #live: NodeInfo[] = [];
  /** Every node URL seen live since this node started: pages served by a node that died since still may connect here. */
  readonly #known = new Set<string>();
  #ticking = false;
  /** Orphans seen in earlier sweeps that another node was expected to take: after two sweeps, anyone may. */
  #seen = new Map<string, number>();

  constructor(
    private readonly directory: Directory,
    readonly node: NodeInfo,
    private readonly leaseMs: number,
    private readonly lobby: Lobby,
    private readonly log: Logger,
  ) {}

  /** Join the cluster, take back this node's own tables (a restart with the same id), then renew and sweep. */
  async start(): Promise<void> {
    await this.directory.join(this.node, this.leaseMs);
    this.#live = await this.directory.liveNodes();
    for (const n of this.#live) this.#known.add(n.url);
    const mine = await this.directory.tablesOf(this.node.id);
    if (mine.length > 0) this.log.info({ tables: mine.length }, "taking back this node's tables");
    await Promise.all(mine.map((id) => this.lobby.adopt(id).catch((err: unknown) => this.log.warn({ err, table: id }, "could not take a table back"))));
    // Renew well inside the lease: three tries before it runs out.
    this.#timer = setInterval(() => void this.#tick(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.#timer.unref();
  }

  /** The live nodes' public URLs (this one included), for clients. */
  urls(): string[] {
    return this.#live.map((n) => n.url);
  }

  /** Every node URL this node has seen live (allowed origins and the page's connect-src). */
  knownUrls(): string[] {
    return [...this.#known];
  }

  /**
   * The node that keeps the cluster's quick-match queue: the live node with the smallest id, so
   * every node agrees without a vote. Players who ask another node are sent there; if it dies, the
   * next smallest takes the role (the queue itself is short-lived: players in it simply ask again).
   */
  matchmaker(): NodeInfo {
    return this.#live.reduce((min, n) => (n.id < min.id ? n : min), this.node);
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      if (!(await this.directory.renew(this.node.id, this.leaseMs))) {
        // Paused past the lease, or the store forgot it (an empty Redis): join again, then claim each
        // table again; a table another node adopted meanwhile is dropped here (the lobby does both).
        this.log.warn("this node's lease was lost; joining again and re-claiming its tables");
        await this.directory.join(this.node, this.leaseMs);
        this.lobby.control({ type: "reclaim" });
      }
      const live = await this.directory.liveNodes();
      this.#live = live;
      for (const n of live) this.#known.add(n.url);
      await this.#sweep(live);
      await this.#reconcile();
    } catch (err) {
      this.log.warn({ err }, "cluster upkeep failed (the store may be unreachable); trying again");
    } finally {
      this.#ticking = false;
    }
  }

  /**
   * Adopt the tables of dead nodes. Each orphan has one preferred adopter among the live nodes
   * (rendezvous hashing), so the tables of a dead node spread over the others and two nodes seldom
   * race; the directory's adopt is atomic, so a race has one winner anyway.
   */
  async #sweep(live: NodeInfo[]): Promise<void> {
    const orphans = await this.directory.orphans(SWEEP_LIMIT);
    const seen = new Map<string, number>();
    const mine = orphans.filter((id) => {
      const times = (this.#seen.get(id) ?? 0) + 1;
      seen.set(id, times);
      return times > 2 || preferred(id, live) === this.node.id;
    });
    this.#seen = seen;
    if (mine.length === 0) return;
    const adopted = await Promise.all(mine.map((id) => this.lobby.adopt(id).catch(() => null)));
    const n = adopted.filter((t) => t !== null).length;
    if (n > 0) this.log.info({ tables: n }, "adopted tables of a node that is gone");
  }

  /**
   * Tables the directory says this node owns but it does not run: one that dropped itself when its
   * lease lapsed (nobody else adopted it, so it is no orphan), or an adoption that failed after the
   * claim. Adopting them again (the owner is this node) replays their logs here.
   */
  async #reconcile(): Promise<void> {
    const stranded = (await this.directory.tablesOf(this.node.id)).filter((id) => !this.lobby.holds(id));
    if (stranded.length === 0) return;
    const back = await Promise.all(stranded.map((id) => this.lobby.adopt(id).catch(() => null)));
    this.log.info({ tables: back.filter((t) => t !== null).length, of: stranded.length }, "took back tables this node owns but did not run");
  }

  /** Leave at once: the other nodes adopt this node's tables without waiting for the lease. */
  async leave(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.directory.leave(this.node.id);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

function preferred(tableId: string, live: NodeInfo[]): string | null {
  let best: string | null = null;
  let bestScore = "";
  for (const node of live) {
    const score = createHash("sha1").update(`${tableId}/${node.id}`).digest("hex");
    if (score > bestScore) [best, bestScore] = [node.id, score];
  }
  return best;
}
