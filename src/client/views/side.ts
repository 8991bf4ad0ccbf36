import { h } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { App, AppState } from "../app.ts";
import { comboText } from "../i18n/game.ts";
import { t as tr } from "../i18n/index.ts";
import { seatName, tricksOf, type TableModel } from "../table-model.ts";

export function SidePanel(props: { app: App; state: AppState; t: TableModel }) {
  const { app, state, t } = props;
  const panel = state.ui.panel;
  return h(
    "aside",
    { class: "side", "aria-label": panel === "chat" ? tr("btn.chat") : tr("side.log") },
    h(
      "div",
      { class: "side-head" },
      h(
        "div",
        { class: "seg", role: "tablist" },
        h("button", { type: "button", role: "tab", class: panel === "chat" ? "on" : "", "aria-selected": panel === "chat" ? "true" : "false", onClick: () => app.setPanel("chat") }, tr("btn.chat")),
        h("button", { type: "button", role: "tab", class: panel === "log" ? "on" : "", "aria-selected": panel === "log" ? "true" : "false", onClick: () => app.setPanel("log") }, tr("btn.log")),
      ),
      h("button", { type: "button", class: "btn small ghost icon", "aria-label": tr("btn.close"), onClick: () => app.setPanel(null) }, "✕"),
    ),
    panel === "chat" ? h(Chat, { app, t }) : h(Log, { t }),
  );
}

function Chat(props: { app: App; t: TableModel }) {
  const { app, t } = props;
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [t.chat.length]);
  return h(
    "div",
    { class: "chat" },
    h(
      "ol",
      { class: "chat-list", ref: list, "aria-live": "polite", "data-testid": "chat-list" },
      t.chat.length === 0 ? h("li", { class: "muted" }, tr("chat.empty")) : null,
      t.chat.map((c, i) =>
        h(
          "li",
          { key: i, class: c.system ? "sys" : c.seat === t.seat && t.seat !== null ? "mine" : "" },
          c.system ? tr(c.system, { name: c.name }) : [h("strong", null, c.name), ": ", c.text],
        ),
      ),
    ),
    h(
      "form",
      {
        class: "chat-form",
        onSubmit: (e: Event) => {
          e.preventDefault();
          if (app.chat(text)) setText("");
        },
      },
      h("input", {
        value: text,
        maxLength: 200,
        placeholder: tr("chat.placeholder"),
        "aria-label": tr("chat.label"),
        "data-testid": "chat-input",
        onInput: (e: Event) => setText((e.currentTarget as HTMLInputElement).value),
      }),
      h("button", { type: "submit", class: "btn small primary", disabled: !text.trim() }, tr("btn.send")),
    ),
  );
}

function Log(props: { t: TableModel }) {
  const { t } = props;
  const deal = t.deal;
  if (!deal) return h("p", { class: "muted pad" }, tr("log.none"));
  const tricks = tricksOf(deal).filter((tr) => tr.length > 0);
  return h(
    "ol",
    { class: "log", reversed: true },
    tricks
      .map((trick, i) =>
        h(
          "li",
          { key: i },
          h("div", { class: "trick-no muted" }, tr("log.trick", { n: i + 1 })),
          h(
            "ul",
            null,
            trick.map((e, j) =>
              h(
                "li",
                { key: j, class: e.type },
                e.type === "pass"
                  ? tr(e.auto ? "say.passedTime" : "say.passed", { name: seatName(t, e.seat) })
                  : [h("strong", null, seatName(t, e.seat)), ` ${comboText(e.combo)}${e.auto ? ` ${tr("log.timeOut")}` : ""}`],
              ),
            ),
          ),
        ),
      )
      .reverse(),
  );
}
