import { h, type ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { BotLevel, TableSettingsInput } from "../../protocol/messages.ts";
import type { Variant } from "../../rules/types.ts";
import type { App } from "../app.ts";
import { t } from "../i18n/index.ts";
import { DEFAULT_RULES } from "./format.ts";

interface Form {
  name: string;
  seats: number;
  private: boolean;
  bots: number;
  botLevel: BotLevel;
  fill: string;
  turnSeconds: number;
  deals: string;
  lossLimit: string;
  rules: Variant;
}

/** An option's label marked as the default. */
const D = (label: string) => t("create.default", { label });

export function CreateTableForm(props: { app: App; name: string }) {
  const { app } = props;
  const [f, setF] = useState<Form>({
    name: "",
    seats: 4,
    private: false,
    bots: 0,
    botLevel: "normal",
    fill: "60",
    turnSeconds: 30,
    deals: "4",
    lossLimit: "",
    rules: { ...DEFAULT_RULES },
  });
  const [showRules, setShowRules] = useState(false);
  const set = (patch: Partial<Form>) => setF({ ...f, ...patch });
  const setRule = (patch: Partial<Variant>) => setF({ ...f, rules: { ...f.rules, ...patch } });

  const submit = (e: Event) => {
    e.preventDefault();
    const variant: Partial<Variant> = {};
    for (const k of Object.keys(DEFAULT_RULES) as (keyof Variant)[]) {
      if (f.rules[k] !== DEFAULT_RULES[k]) (variant as Record<string, unknown>)[k] = f.rules[k];
    }
    const settings: TableSettingsInput = {
      name: (f.name.trim() || t("create.defaultName", { name: props.name })).slice(0, 40),
      seats: f.seats,
      private: f.private,
      bots: Math.min(f.bots, f.seats - 1),
      botLevel: f.botLevel,
      fillWithBotsAfter: f.fill === "never" ? null : Number(f.fill),
      turnSeconds: f.turnSeconds,
      deals: f.deals === "" ? null : Number(f.deals),
      lossLimit: f.lossLimit === "" ? null : Number(f.lossLimit),
      variant,
    };
    app.createTable(settings);
  };

  const endless = f.deals === "" && f.lossLimit === "";
  return h(
    "form",
    { class: "panel create", onSubmit: submit, "aria-labelledby": "create-title", "data-testid": "create-form" },
    h("h2", { id: "create-title" }, t("create.title")),
    h(
      "div",
      { class: "grid" },
      field(
        t("create.tableName"),
        h("input", {
          id: "ct-name",
          maxLength: 40,
          value: f.name,
          placeholder: t("create.defaultName", { name: props.name }),
          onInput: (e: Event) => set({ name: val(e) }),
        }),
        "ct-name",
      ),
      field(
        t("create.players"),
        h(
          "div",
          { class: "seg", role: "radiogroup", "aria-label": t("create.players") },
          [2, 3, 4].map((n) =>
            h(
              "label",
              { key: n, class: f.seats === n ? "on" : "" },
              h("input", { type: "radio", name: "seats", checked: f.seats === n, onChange: () => set({ seats: n, bots: Math.min(f.bots, n - 1) }) }),
              n === 4 ? D("4") : String(n),
            ),
          ),
        ),
      ),
      field(
        t("create.who"),
        h(
          "select",
          { id: "ct-private", value: f.private ? "private" : "public", onChange: (e: Event) => set({ private: val(e) === "private" }) },
          h("option", { value: "public" }, D(t("create.public"))),
          h("option", { value: "private" }, t("create.private")),
        ),
        "ct-private",
      ),
      field(
        t("create.clock"),
        h(
          "select",
          { id: "ct-clock", value: String(f.turnSeconds), onChange: (e: Event) => set({ turnSeconds: Number(val(e)) }) },
          [10, 15, 20, 30, 45, 60, 90, 0].map((s) =>
            h("option", { key: s, value: String(s) }, s === 0 ? t("create.noClock") : s === 30 ? D(t("create.secsPerTurn", { n: s })) : t("create.secsPerTurn", { n: s })),
          ),
        ),
        "ct-clock",
        t("create.clockHelp"),
      ),
      field(
        t("create.length"),
        h(
          "select",
          { id: "ct-deals", value: f.deals, onChange: (e: Event) => set({ deals: val(e) }) },
          ["1", "2", "4", "8", "12", "20", ""].map((d) =>
            h("option", { key: d, value: d }, d === "" ? t("create.unlimited") : d === "4" ? D(t("length.deals", { n: Number(d) })) : t("length.deals", { n: Number(d) })),
          ),
        ),
        "ct-deals",
      ),
      field(
        t("create.lossLimit"),
        h(
          "select",
          { id: "ct-loss", value: f.lossLimit, onChange: (e: Event) => set({ lossLimit: val(e) }) },
          ["", "25", "50", "100", "200"].map((d) =>
            h("option", { key: d, value: d }, d === "" ? D(t("create.noLoss")) : t("create.down", { n: Number(d) })),
          ),
        ),
        "ct-loss",
      ),
      field(
        t("create.botsNow"),
        h(
          "select",
          { id: "ct-bots", value: String(f.bots), onChange: (e: Event) => set({ bots: Number(val(e)) }) },
          Array.from({ length: f.seats }, (_, n) => h("option", { key: n, value: String(n) }, n === 0 ? D(t("create.noBots")) : t("create.bots", { n }))),
        ),
        "ct-bots",
      ),
      field(
        t("create.fill"),
        h(
          "select",
          { id: "ct-fill", value: f.fill, onChange: (e: Event) => set({ fill: val(e) }) },
          h("option", { value: "never" }, t("create.fillNever")),
          h("option", { value: "30" }, t("create.fill30")),
          h("option", { value: "60" }, D(t("create.fill60"))),
          h("option", { value: "180" }, t("create.fill180")),
        ),
        "ct-fill",
      ),
      field(
        t("create.level"),
        h(
          "select",
          { id: "ct-level", value: f.botLevel, onChange: (e: Event) => set({ botLevel: val(e) as BotLevel }) },
          h("option", { value: "easy" }, t("level.easy")),
          h("option", { value: "normal" }, D(t("level.normal"))),
          h("option", { value: "hard" }, t("level.hard")),
          h("option", { value: "random" }, t("level.random")),
        ),
        "ct-level",
      ),
    ),
    h(
      "button",
      { type: "button", class: "btn ghost small", "aria-expanded": showRules ? "true" : "false", onClick: () => setShowRules(!showRules) },
      showRules ? t("create.rulesOpen") : t("create.rulesClosed"),
    ),
    showRules
      ? h(
          "div",
          { class: "grid rules" },
          field(
            t("rule.suitOrder"),
            h(
              "select",
              { id: "r-suit", value: f.rules.suitOrder, onChange: (e: Event) => setRule({ suitOrder: val(e) as Variant["suitOrder"] }) },
              h("option", { value: "DCHS" }, D(t("rule.suitHK"))),
              h("option", { value: "CDHS" }, t("rule.suitTW")),
            ),
            "r-suit",
          ),
          field(
            t("rule.straights"),
            h(
              "select",
              { id: "r-straights", value: f.rules.straights, onChange: (e: Event) => setRule({ straights: val(e) as Variant["straights"] }) },
              h("option", { value: "classic" }, D(t("rule.classic"))),
              h("option", { value: "poker" }, t("rule.poker")),
              h("option", { value: "taiwan" }, t("rule.taiwan")),
            ),
            "r-straights",
          ),
          field(
            t("rule.flush"),
            h(
              "select",
              { id: "r-flush", value: f.rules.flushOrder, onChange: (e: Event) => setRule({ flushOrder: val(e) as Variant["flushOrder"] }) },
              h("option", { value: "rank" }, D(t("rule.flushRank"))),
              h("option", { value: "suit" }, t("rule.flushSuit")),
            ),
            "r-flush",
          ),
          field(
            t("rule.double"),
            h(
              "select",
              { id: "r-double", value: String(f.rules.doubleAt), onChange: (e: Event) => setRule({ doubleAt: Number(val(e)) }) },
              [7, 8, 9, 10, 11, 12, 13, 14].map((n) =>
                h("option", { key: n, value: String(n) }, n === 14 ? t("rule.neverDouble") : n === 10 ? D(t("rule.doubleN", { n })) : t("rule.doubleN", { n })),
              ),
            ),
            "r-double",
          ),
          check(t("rule.firstPlay", { card: f.rules.suitOrder === "CDHS" ? "3♣" : "3♦" }), t("rule.onByDefault"), f.rules.firstPlayMustContainStart, (v) =>
            setRule({ firstPlayMustContainStart: v }),
          ),
          check(t("rule.passLocks"), t("rule.offByDefault"), f.rules.passLocksTrick, (v) => setRule({ passLocksTrick: v })),
          check(t("rule.winnerLeads"), t("rule.offByDefault"), f.rules.winnerLeadsNextDeal, (v) =>
            setRule({ winnerLeadsNextDeal: v }),
          ),
          check(t("rule.triple"), t("rule.onByDefault"), f.rules.tripleIfUnplayed, (v) =>
            setRule({ tripleIfUnplayed: v }),
          ),
          check(t("rule.twos"), t("rule.offByDefault"), f.rules.twosDouble, (v) => setRule({ twosDouble: v })),
        )
      : null,
    h(
      "div",
      { class: "row end" },
      h("button", { type: "button", class: "btn", onClick: () => app.openCreate(false) }, t("btn.cancel")),
      endless ? h("span", { class: "bad-note", role: "alert" }, t("create.endless")) : null,
      h("button", { type: "submit", class: "btn primary", disabled: endless, "data-testid": "create-submit" }, t("lobby.create")),
    ),
  );
}

function val(e: Event): string {
  return (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
}

function field(label: string, control: ComponentChildren, id?: string, help?: string) {
  return h(
    "div",
    { class: "field" },
    id ? h("label", { for: id }, label) : h("span", { class: "label" }, label),
    control,
    help ? h("small", { class: "muted" }, help) : null,
  );
}

function check(label: string, note: string, checked: boolean, onChange: (v: boolean) => void) {
  return h(
    "label",
    { class: "check" },
    h("input", { type: "checkbox", checked, onChange: (e: Event) => onChange((e.currentTarget as HTMLInputElement).checked) }),
    h("span", null, label, " ", h("small", { class: "muted" }, note)),
  );
}
