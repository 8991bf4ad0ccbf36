// A rating history as a small inline SVG line: a few dozen points need no chart library.
import { h } from "preact";
import { num, t } from "../i18n/index.ts";

export interface ChartGeometry {
  /** SVG polyline points, "x,y x,y …", in a width × height box (y grows downwards). */
  points: string;
  min: number;
  max: number;
}

/**
 * Scale `values` into a `width` × `height` box with `pad` units free above and below; a flat
 * history is drawn across the middle. Pure, for the tests.
 */
export function chartGeometry(values: readonly number[], width: number, height: number, pad = 4): ChartGeometry {
  if (values.length === 0) return { points: "", min: 0, max: 0 };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const inner = height - 2 * pad;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const pts = values.map((v, i) => {
    const x = values.length > 1 ? i * step : width / 2;
    const y = span === 0 ? height / 2 : pad + inner * (1 - (v - min) / span);
    return `${round(x)},${round(y)}`;
  });
  return { points: pts.join(" "), min, max };
}

const round = (n: number) => Math.round(n * 10) / 10;

export function RatingChart(props: { ratings: number[]; label: string }) {
  const { ratings } = props;
  const W = 300;
  const H = 64;
  const g = chartGeometry(ratings, W, H);
  const last = g.points.split(" ").pop() ?? "";
  const [lx, ly] = last.split(",");
  return h(
    "figure",
    { class: "rating-chart", "data-testid": "rating-chart" },
    h(
      "svg",
      { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": props.label },
      h("line", { x1: 0, x2: W, y1: H - 1, y2: H - 1, class: "axis" }),
      ratings.length > 1 ? h("polyline", { points: g.points, class: "line" }) : null,
      lx ? h("circle", { cx: lx, cy: ly, r: 3.5, class: "dot" }) : null,
    ),
    h(
      "figcaption",
      { class: "muted" },
      ratings.length > 1 ? t("profile.chartRange", { label: props.label, low: num(g.min), high: num(g.max) }) : props.label,
    ),
  );
}
