import { h } from "preact";
import { useState } from "preact/hooks";
import type { TableSummary } from "../../protocol/messages.ts";
import type { App, AppState } from "../app.ts";
import { AccountChip } from "./account.ts";
import { CreateTableForm } from "./create-table.ts";
import { clockSummary, lengthSummary, rulesSummary } from "./format.ts";
import { seconds, useNow } from "./hooks.ts";

export function LobbyScreen(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const offline = state.conn.phase !== "open";
  return h(
    "main",
    { class: "lobby" },
    h(
      "header",
      { class: "lobby-head" },
      h("h1", { class: "logo" }, "Big Two", h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦")),
      h(
        "div",
        { class: "me-chip" },
        h("span", { class: "muted" }, "name:"),
        h("strong", { "data-testid": "my-name" }, state.name ?? ""),
        h("button", { type: "button", class: "btn small ghost", onClick: () => app.editName() }, "Edit"),
      ),
      h(AccountChip, { board: true }),
    ),
    h(
      "section",
      { class: "actions", "aria-label": "Start playing" },
      h(
        "button",
        {
          type: "button",
          class: "btn primary big",
          disabled: offline || state.busy !== null,
          onClick: () => app.playBots(),
          "data-testid": "play-bots",
        },
        h("span", { class: "btn-title" }, "Play vs bots now"),
        h("span", { class: "btn-sub" }, "a private table with 3 bots"),
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
        h("span", { class: "btn-title" }, "Quick match"),
        h("span", { class: "btn-sub" }, "meet other players; bots fill in"),
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
        h("span", { class: "btn-title" }, "Create table"),
        h("span", { class: "btn-sub" }, "your rules; invite friends"),
      ),
    ),
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
      h("strong", null, "Finding players…"),
      h(
        "span",
        null,
        `waiting ${seconds(waited)} · ${quick.waiting} in the queue · `,
        quick.botsInMs > 0 ? (botsIn > 0 ? `bots fill the empty seats in ${seconds(botsIn)}` : "bots are joining now") : "",
      ),
    ),
    h("button", { type: "button", class: "btn", onClick: () => app.quickLeave() }, "Cancel"),
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
    h("label", { for: "join-code" }, "Join by code or link"),
    h("input", {
      id: "join-code",
      value: code,
      placeholder: "code or invite link",
      autoComplete: "off",
      autoCapitalize: "characters",
      spellcheck: false,
      onInput: (e: Event) => setCode((e.currentTarget as HTMLInputElement).value),
    }),
    h("button", { type: "submit", class: "btn", disabled: props.disabled || !code.trim() }, "Join"),
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
  const { app, tables } = props;
  return h(
    "section",
    { class: "tables", "aria-labelledby": "open-tables" },
    h("h2", { id: "open-tables" }, "Open tables"),
    !props.loaded
      ? h("p", { class: "muted" }, props.offline ? "Connecting…" : "Loading…")
      : tables.length === 0
        ? h("p", { class: "muted empty" }, "No public tables right now. Create one, or try a quick match.")
        : h(
            "ul",
            { class: "table-list" },
            tables.map((t) =>
              h(
                "li",
                { key: t.tableId, class: "table-row", "data-table": t.tableId },
                h(
                  "div",
                  { class: "t-main" },
                  h("span", { class: "t-name" }, t.name),
                  h("span", { class: `t-seats${t.taken >= t.seats ? " full" : ""}` }, `${t.taken}/${t.seats}`),
                  t.status === "playing" ? h("span", { class: "badge live" }, "playing") : null,
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
                        "Join",
                      )
                    : null,
                  h("button", { type: "button", class: "btn small", disabled: props.offline, onClick: () => app.watch(t.tableId) }, "Watch"),
                ),
              ),
            ),
          ),
  );
}
