// The lobby's way into a practice match: a few settings and one button. It works with the server
// down (the page itself may come from the service worker's cache).
import { h } from "preact";
import { useState } from "preact/hooks";
import type { App, AppState } from "../app.ts";
import { practiceSocket } from "../practice/socket.ts";
import { t } from "../i18n/index.ts";
import { PRACTICE_DEALS, PRACTICE_LEVELS, type PracticeSettings } from "../practice/table.ts";
import { load, save } from "../storage.ts";
import "../practice/practice.css";

type Choice = Omit<PracticeSettings, "title">;

/** The bots' mean think time before the page's pace factor (the server's bots think 900 ms). */
const THINK_MS = 900;

function remembered(): Choice {
  const fallback: Choice = { deals: 4, botLevel: "normal" };
  try {
    const v = JSON.parse(load("practice") ?? "null") as Partial<Choice> | null;
    return {
      deals: PRACTICE_DEALS.includes(v?.deals as number) ? (v!.deals as number) : fallback.deals,
      botLevel: PRACTICE_LEVELS.includes(v?.botLevel as Choice["botLevel"]) ? v!.botLevel! : fallback.botLevel,
    };
  } catch {
    return fallback;
  }
}

/** Start a practice match: the connection plays against the worker until the player leaves it. */
export function startPractice(app: App, choice: Choice): void {
  save("practice", JSON.stringify(choice));
  // Tests (and impatient players) shorten the pauses with localStorage bigtwo.pace, as main.ts reads it.
  const pace = Number(load("pace") ?? "1");
  const thinkMs = THINK_MS * (Number.isFinite(pace) && pace >= 0 ? pace : 1);
  app.conn.useLocal(() => practiceSocket({ settings: { ...choice, title: t("practice.tableName") }, thinkMs }, () => app.toast(t("practice.failed"))));
}

export function PracticePanel(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const [choice, setChoice] = useState<Choice>(remembered);
  const set = (patch: Partial<Choice>) => setChoice({ ...choice, ...patch });
  return h(
    "section",
    { class: "panel practice", "aria-labelledby": "practice-title", "data-testid": "practice-panel" },
    h("div", { class: "practice-text" }, h("h2", { id: "practice-title" }, t("practice.title")), h("p", { class: "muted" }, t("practice.about"))),
    h(
      "div",
      { class: "practice-form" },
      h(
        "label",
        { class: "practice-field" },
        h("span", null, t("practice.deals")),
        h(
          "select",
          {
            value: String(choice.deals),
            "data-testid": "practice-deals",
            onChange: (e: Event) => set({ deals: Number((e.currentTarget as HTMLSelectElement).value) }),
          },
          PRACTICE_DEALS.map((n) => h("option", { key: n, value: String(n) }, String(n))),
        ),
      ),
      h(
        "label",
        { class: "practice-field" },
        h("span", null, t("create.level")),
        h(
          "select",
          {
            value: choice.botLevel,
            "data-testid": "practice-level",
            onChange: (e: Event) => set({ botLevel: (e.currentTarget as HTMLSelectElement).value as Choice["botLevel"] }),
          },
          PRACTICE_LEVELS.map((l) => h("option", { key: l, value: l }, t(`level.${l}`))),
        ),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn primary",
          // A quick-match search lives on the server's socket, which practice closes.
          disabled: state.busy !== null || state.quick !== null || app.conn.isLocal,
          onClick: () => startPractice(app, choice),
          "data-testid": "practice",
        },
        t("practice.start"),
      ),
    ),
  );
}
