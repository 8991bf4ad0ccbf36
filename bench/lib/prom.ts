// Reading the server's /metrics (Prometheus text format) without a client library.

export type Samples = Map<string, number>;

/** Parse the text format into `name{labels}` → value (labels as written by prom-client). */
export function parseProm(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const sp = line.lastIndexOf(" ");
    out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

/** A game server's metrics address (its own port) by its game URL; startGameServer fills it. */
export const metricsUrlOf = new Map<string, string>();

export async function scrape(serverUrl: string): Promise<Samples> {
  const url = metricsUrlOf.get(serverUrl) ?? serverUrl;
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET ${url}/metrics: ${res.status}`);
  return parseProm(await res.text());
}

/** The value of a metric (summing every label set when `labels` is omitted). */
export function value(s: Samples, name: string, labels?: string): number {
  if (labels !== undefined) return s.get(`${name}{${labels}}`) ?? 0;
  let sum = 0;
  let seen = false;
  for (const [k, v] of s) {
    if (k === name || k.startsWith(`${name}{`)) {
      sum += v;
      seen = true;
    }
  }
  return seen ? sum : 0;
}

/**
 * The q-quantile of a histogram over the interval between two scrapes, by linear interpolation
 * inside the bucket that holds it (what PromQL's histogram_quantile does). NaN with no samples.
 */
export function histogramQuantile(before: Samples, after: Samples, name: string, q: number): number {
  const buckets: { le: number; count: number }[] = [];
  for (const [k, v] of after) {
    const m = k.startsWith(`${name}_bucket{`) ? /le="([^"]+)"/.exec(k) : null;
    if (!m) continue;
    const le = m[1] === "+Inf" ? Infinity : Number(m[1]);
    buckets.push({ le, count: v - (before.get(k) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket <= 0 ? b.le : prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** Per label set of a histogram, between two scrapes: how many observations, their sum, and how many above `over`. */
export function histogramDelta(
  before: Samples,
  after: Samples,
  name: string,
  over: number,
): Record<string, { count: number; sum: number; over: number }> {
  const out: Record<string, { count: number; sum: number; over: number }> = {};
  const d = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  // The bucket at `over` per label set (labels without `le`, in the order written).
  const atOver = new Map<string, string>();
  for (const k of after.keys()) {
    if (!k.startsWith(`${name}_bucket{`)) continue;
    const labels = k.slice(name.length + 8, -1).split(",");
    const le = labels.find((l) => l.startsWith("le="));
    if (le === undefined || le === 'le="+Inf"' || Number(le.slice(4, -1)) !== over) continue;
    atOver.set(labels.filter((l) => l !== le).join(","), k);
  }
  for (const k of after.keys()) {
    if (!k.startsWith(`${name}_count{`)) continue;
    const labels = k.slice(name.length + 7, -1);
    const count = d(k);
    const bucket = atOver.get(labels);
    out[labels] = { count, sum: d(`${name}_sum{${labels}}`), over: bucket ? count - d(bucket) : NaN };
  }
  return out;
}
