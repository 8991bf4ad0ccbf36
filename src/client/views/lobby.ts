import { h } from "preact";
import { useState } from "preact/hooks";
import type { TableSummary } from "../../protocol/messages.ts";
import type { App, AppState } from "../app.ts";
import { AccountChip } from "./account.ts";
import { CreateTableForm } from "./create-table.ts";
import { clockSummary, lengthSummary, rulesSummary } from "./format.ts";
import { inSecs, t, t as tr } from "../i18n/index.ts";
import { seconds, useNow } from "./hooks.ts";
import { LangSwitch, MuteButton } from "./root.ts";
import { PracticePanel } from "./practice.ts";

export function LobbyScreen(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const offline = state.conn.phase !== "open";
  return h(
    "main",
    { class: "lobby" },
    h(
      "header",
      { class: "lobby-head" },
      h("h1", { class: "logo" }, t("app.name"), h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦")),
      h(
        "div",
        { class: "head-tools" },
        h(
          "div",
          { class: "me-chip" },
          h("span", { class: "muted" }, t("lobby.you")),
          h("strong", { "data-testid": "my-name" }, state.name ?? ""),
          h("button", { type: "button", class: "btn small ghost", onClick: () => app.editName() }, t("btn.edit")),
        ),
        h(LangSwitch, { app, state }),
        h(MuteButton, { app, state }),
      ),
      h(AccountChip, { board: true }),
    ),
    h(
      "section",
      { class: "actions", "aria-label": t("lobby.start") },
      h(
        "button",
        {
          type: "button",
          class: "btn primary big",
          disabled: offline || state.busy !== null,
          onClick: () => app.playBots(),
          "data-testid": "play-bots",
        },
        h("span", { class: "btn-title" }, t("lobby.playBots")),
        h("span", { class: "btn-sub" }, t("lobby.playBotsSub")),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn big",
          disabled: offline || state.quick !== null || state.busy !== null,
          onClick: () => app.quickJoin(),
          "data-testid": "quick-match",
        },
        h("span", { class: "btn-title" }, t("lobby.quick")),
        h("span", { class: "btn-sub" }, t("lobby.quickSub")),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn big",
          disabled: offline,
          onClick: () => app.openCreate(!state.ui.createOpen),
          "aria-expanded": state.ui.createOpen ? "true" : "false",
          "data-testid": "create-open",
        },
        h("span", { class: "btn-title" }, t("lobby.create")),
        h("span", { class: "btn-sub" }, t("lobby.createSub")),
      ),
    ),
    h(PracticePanel, { app, state }),
    state.quick ? h(QuickPanel, { app, quick: state.quick }) : null,
    state.ui.createOpen ? h(CreateTableForm, { app, name: state.name ?? "Player" }) : null,
    h(JoinByCode, { app, disabled: offline }),
    h(TableList, { app, tables: state.lobby.tables, loaded: state.lobby.loaded, offline }),
  );
}

function QuickPanel(props: { app: App; quick: NonNullable<AppState["quick"]> }) {
  const { app, quick } = props;
  const now = useNow(500);
  const since = now - quick.at;
  const waited = quick.waitedMs + since;
  const botsIn = Math.max(0, quick.botsInMs - since);
  return h(
    "section",
    { class: "panel quick", role: "status", "aria-live": "polite", "data-testid": "quick-panel" },
    h("div", { class: "spinner", "aria-hidden": "true" }),
    h(
      "div",
      { class: "quick-text" },
      h("strong", null, t("quick.finding")),
      h(
        "span",
        null,
        [
          t("quick.waited", { time: seconds(waited) }),
          t("quick.inQueue", { n: quick.waiting }),
          quick.botsInMs > 0 ? (botsIn > 0 ? t("quick.botsIn", { in: inSecs(botsIn) }) : t("quick.botsNow")) : null,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
    ),
    h("button", { type: "button", class: "btn", onClick: () => app.quickLeave() }, t("btn.cancel")),
  );
}

function JoinByCode(props: { app: App; disabled: boolean }) {
  const [code, setCode] = useState("");
  return h(
    "form",
    {
      class: "join-code",
      onSubmit: (e: Event) => {
        e.preventDefault();
        // Accept a pasted invite link as well as the bare code.
        const ref = extractRef(code);
        if (ref) props.app.joinByRef(ref);
      },
    },
    h("label", { for: "join-code" }, t("join.label")),
    h("input", {
      id: "join-code",
      value: code,
      placeholder: t("join.placeholder"),
      autoComplete: "off",
      autoCapitalize: "characters",
      spellcheck: false,
      onInput: (e: Event) => setCode((e.currentTarget as HTMLInputElement).value),
    }),
    h("button", { type: "submit", class: "btn", disabled: props.disabled || !code.trim() }, t("btn.join")),
  );
}

function extractRef(text: string): string {
  const t = text.trim();
  try {
    const url = new URL(t);
    return url.searchParams.get("join") ?? url.searchParams.get("watch") ?? t;
  } catch {
    return t;
  }
}

function TableList(props: { app: App; tables: TableSummary[]; loaded: boolean; offline: boolean }) {
  const { app } = props;
  // Finished tables go last: the ones you can join or watch live come first.
  const tables = props.tables.filter((x) => x.status !== "over").concat(props.tables.filter((x) => x.status === "over"));
  return h(
    "section",
    { class: "tables", "aria-labelledby": "open-tables" },
    h("h2", { id: "open-tables" }, t("tables.title")),
    !props.loaded
      ? h("p", { class: "muted" }, props.offline ? t("conn.connecting") : t("tables.loading"))
      : tables.length === 0
        ? h("p", { class: "muted empty" }, t("tables.empty"))
        : h(
            "ul",
            { class: "table-list" },
            tables.map((t) =>
              h(
                "li",
                { key: t.tableId, class: `table-row${t.status === "over" ? " over" : ""}`, "data-table": t.tableId, "data-status": t.status },
                h(
                  "div",
                  { class: "t-main" },
                  h("span", { class: "t-name" }, t.name),
                  t.status === "over"
                    ? null
                    : h("span", { class: `t-seats${t.taken >= t.seats ? " full" : ""}`, title: tr("tables.seats", { taken: t.taken, seats: t.seats }) }, `${t.taken}/${t.seats}`),
                  t.status === "playing" ? h("span", { class: "badge live" }, tr("tables.playing")) : null,
                  t.status === "over" ? h("span", { class: "badge over", "data-testid": "table-over" }, tr("tables.over")) : null,
                ),
                h(
                  "div",
                  { class: "t-sub muted" },
                  [rulesSummary(t.variant), clockSummary(t.turnSeconds), lengthSummary(t.deals, t.lossLimit)].join(" · "),
                ),
                h(
                  "div",
                  { class: "t-actions" },
                  t.taken < t.seats && t.status === "waiting"
                    ? h(
                        "button",
                        { type: "button", class: "btn small primary", disabled: props.offline, onClick: () => app.joinTable(t.tableId) },
                        tr("btn.join"),
                      )
                    : null,
                  t.status === "over"
                    ? null
                    : h("button", { type: "button", class: "btn small", disabled: props.offline, onClick: () => app.watch(t.tableId) }, tr("btn.watch")),
                ),
              ),
            ),
          ),
  );
}
