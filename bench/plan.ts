// How big each scenario is, for the quick check and for the full run.

export interface Plan {
  name: "quick" | "full";
  /**
   * `rounds`: counted rounds of windows, `windowS` long each (the game server, the relay held to its
   * rate, the relay running free), after one calibration round; see scenarios/throughput.ts.
   */
  throughput: { tables: number; warmupS: number; windowS: number; rounds: number; pacedTables: number };
  memory: { tables: [number, number] };
  capacity: {
    step: number;
    stepWindowS: number;
    holdAt: number;
    holdS: number;
    holdWindowS: number;
    /** Stop here even if nothing else stops the ramp (the quick run stays short). */
    maxTables: number;
    concurrency: number;
    /**
     * After the hold: this many tables of one load player and three of the server's hard bots
     * join the held tables for `hardS` seconds, then leave (issue 19: hard bots' search, on a
     * worker thread within the node's BOT_SEARCH_MS_PER_SECOND, must not slow the others).
     */
    hardTables: number;
    hardS: number;
  };
  storm: { tables: number; playS: number };
}

export const QUICK: Plan = {
  name: "quick",
  // Enough rounds for a median to act on (see docs/benchmarks.md, "Quick and full runs").
  throughput: { tables: 500, warmupS: 3, windowS: 3, rounds: 8, pacedTables: 200 },
  memory: { tables: [100, 400] },
  capacity: { step: 100, stepWindowS: 3, holdAt: 400, holdS: 10, holdWindowS: 5, maxTables: 500, concurrency: 50, hardTables: 20, hardS: 10 },
  storm: { tables: 100, playS: 4 },
};

export const FULL: Plan = {
  name: "full",
  throughput: { tables: 500, warmupS: 5, windowS: 5, rounds: 16, pacedTables: 1000 },
  memory: { tables: [500, 2500] },
  capacity: { step: 250, stepWindowS: 6, holdAt: 4000, holdS: 300, holdWindowS: 10, maxTables: 100_000, concurrency: 50, hardTables: 300, hardS: 60 },
  storm: { tables: 1000, playS: 10 },
};

/** Table settings of the load: four humans, a match that does not end during the run, the default clock. */
export const LOAD_SETTINGS = { seats: 4, deals: null, lossLimit: 10000, turnSeconds: 30 } as const;

export const TARGETS = {
  cpuRatio: 1.25,
  memoryRatio: 1.5,
  tables: 4000,
  holdSeconds: 300,
  p99ms: 50,
  stormTables: 1000,
  reconnectSeconds: 10,
  /** The capacity ramp stops when a window's p99 passes this. */
  rampStopP99ms: 100,
};
