// The latency-against-tables chart of docs/benchmarks.md, drawn as plain SVG from a result's
// capacity windows: no charting dependency.
import type { CapacityResult } from "./scenarios/capacity.ts";

interface Series {
  label: string;
  color: string;
  dash?: string;
  points: { x: number; y: number }[];
}

const W = 800;
const H = 440;
const M = { left: 64, right: 230, top: 48, bottom: 56 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function latencyChart(cap: CapacityResult, title: string, p99TargetMs: number, stopMs: number): string {
  // One point per table count: the last window there (a confirmation replaces the window it checked).
  const steps = cap.steps.filter((w, i) => cap.steps[i + 1]?.tables !== w.tables);
  const checked = cap.steps.filter((w, i) => cap.steps[i + 1]?.tables === w.tables);
  const pos = (v: number) => (Number.isFinite(v) && v > 0 ? v : NaN);
  const series: Series[] = [
    { label: "client p99", color: "#d62728", points: steps.map((w) => ({ x: w.tables, y: pos(w.p99ms) })) },
    { label: "client p50", color: "#1f77b4", points: steps.map((w) => ({ x: w.tables, y: pos(w.p50ms) })) },
    { label: "server p99 (histogram)", color: "#ff7f0e", dash: "6 4", points: steps.map((w) => ({ x: w.tables, y: pos(w.serverP99ms) })) },
    { label: "server event-loop p99", color: "#2ca02c", dash: "2 3", points: steps.map((w) => ({ x: w.tables, y: pos(w.serverEldP99ms) })) },
  ];
  const holdDots = [...(cap.hold?.windows ?? []), ...checked].map((w) => ({ x: w.tables, y: pos(w.p99ms) }));

  const maxX = Math.max(1000, ...steps.map((w) => w.tables));
  const xMax = Math.ceil(maxX / 1000) * 1000;
  const ys = [...series.flatMap((s) => s.points.map((p) => p.y)), ...holdDots.map((p) => p.y)].filter(Number.isFinite);
  // Log scale: the interesting values span sub-millisecond medians up to the 100 ms stop line.
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(0.1, ...ys))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(stopMs * 2, ...ys)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + (x / xMax) * pw;
  const sy = (y: number) => M.top + ph - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ph;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${M.left}" y="24" font-size="15" font-weight="600">${esc(title)}</text>`);
  // Grid and axes.
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    const y = sy(10 ** e);
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${y + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)}</text>`);
  }
  const xStep = [100, 200, 250, 500, 1000, 2000, 5000, 10000].find((st) => xMax / st <= 8) ?? xMax / 5;
  for (let x = 0; x <= xMax; x += xStep) {
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${sx(x)}" y="${M.top + ph + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">tables (4 players each) at human pace</text>`);
  out.push(`<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">action latency, ms (log scale)</text>`);
  // Thresholds.
  for (const [ms, label] of [
    [p99TargetMs, `target p99 ${p99TargetMs} ms`],
    [stopMs, `ramp stops ${stopMs} ms`],
  ] as const) {
    const y = sy(ms);
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#888" stroke-dasharray="8 4"/>`);
    out.push(`<text x="${M.left + 6}" y="${y - 5}" fill="#555">${esc(label)}</text>`);
  }
  // Series.
  for (const s of series) {
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    for (const p of pts) out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  for (const p of holdDots.filter((q) => Number.isFinite(q.y))) {
    out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="none" stroke="#d62728"/>`);
  }
  // Legend.
  const lx = M.left + pw + 16;
  series.forEach((s, i) => {
    const y = M.top + 10 + i * 22;
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    out.push(`<text x="${lx + 30}" y="${y + 4}">${esc(s.label)}</text>`);
  });
  const hold = cap.hold;
  if (hold && Number.isFinite(hold.latency.p99) && hold.latency.p99 > 0) {
    const x = sx(hold.tables);
    const y = sy(hold.latency.p99);
    out.push(`<path d="M${x - 6},${y} L${x},${y - 6} L${x + 6},${y} L${x},${y + 6} Z" fill="#7f0000"/>`);
  }
  let ly = M.top + 10 + series.length * 22;
  if (holdDots.length > 0) {
    out.push(`<circle cx="${lx + 12}" cy="${ly}" r="3.5" fill="none" stroke="#d62728"/>`);
    for (const [i, t] of ["p99 of each 10 s hold window", "(and of a window that a", "confirmation rechecked)"].entries()) {
      out.push(`<text x="${lx + 30}" y="${ly + 4 + 14 * i}">${esc(t)}</text>`);
    }
    ly += 52;
  }
  if (hold) {
    out.push(`<path d="M${lx + 6},${ly} L${lx + 12},${ly - 6} L${lx + 18},${ly} L${lx + 12},${ly + 6} Z" fill="#7f0000"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">client p99 of the whole hold</text>`);
    out.push(`<text x="${lx + 30}" y="${ly + 18}">(${hold.seconds} s, ${hold.latency.count} actions)</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
