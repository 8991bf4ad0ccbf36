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

export async function scrape(url: string): Promise<Samples> {
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
