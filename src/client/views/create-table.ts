import { h, type ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { BotLevel, TableSettingsInput } from "../../protocol/messages.ts";
import type { Variant } from "../../rules/types.ts";
import type { App } from "../app.ts";
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

const D = "(default)";

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
      name: f.name.trim() || `${props.name}'s table`,
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
    { class: "panel create", onSubmit: submit, "aria-label": "Create a table", "data-testid": "create-form" },
    h("h2", null, "Create a table"),
    h(
      "div",
      { class: "grid" },
      field(
        "Table name",
        h("input", {
          id: "ct-name",
          maxLength: 40,
          value: f.name,
          placeholder: `${props.name}'s table`,
          onInput: (e: Event) => set({ name: val(e) }),
        }),
        "ct-name",
      ),
      field(
        "Players",
        h(
          "div",
          { class: "seg", role: "radiogroup", "aria-label": "Players" },
          [2, 3, 4].map((n) =>
            h(
              "label",
              { key: n, class: f.seats === n ? "on" : "" },
              h("input", { type: "radio", name: "seats", checked: f.seats === n, onChange: () => set({ seats: n, bots: Math.min(f.bots, n - 1) }) }),
              n === 4 ? `4 ${D}` : String(n),
            ),
          ),
        ),
      ),
      field(
        "Who can join",
        h(
          "select",
          { id: "ct-private", value: f.private ? "private" : "public", onChange: (e: Event) => set({ private: val(e) === "private" }) },
          h("option", { value: "public" }, `Anyone: listed in the lobby ${D}`),
          h("option", { value: "private" }, "Private: only people with the invite link"),
        ),
        "ct-private",
      ),
      field(
        "Turn clock",
        h(
          "select",
          { id: "ct-clock", value: String(f.turnSeconds), onChange: (e: Event) => set({ turnSeconds: Number(val(e)) }) },
          [10, 15, 20, 30, 45, 60, 90, 0].map((s) =>
            h("option", { key: s, value: String(s) }, s === 0 ? "No clock" : `${s} seconds per turn${s === 30 ? ` ${D}` : ""}`),
          ),
        ),
        "ct-clock",
        "When time runs out you pass, or the lowest card is played for you.",
      ),
      field(
        "Match length",
        h(
          "select",
          { id: "ct-deals", value: f.deals, onChange: (e: Event) => set({ deals: val(e) }) },
          ["1", "2", "4", "8", "12", "20", ""].map((d) =>
            h("option", { key: d, value: d }, d === "" ? "Unlimited deals" : `${d} deal${d === "1" ? "" : "s"}${d === "4" ? ` ${D}` : ""}`),
          ),
        ),
        "ct-deals",
      ),
      field(
        "Or end when someone is down",
        h(
          "select",
          { id: "ct-loss", value: f.lossLimit, onChange: (e: Event) => set({ lossLimit: val(e) }) },
          ["", "25", "50", "100", "200"].map((d) =>
            h("option", { key: d, value: d }, d === "" ? `No loss limit ${D}` : `Down ${d} points`),
          ),
        ),
        "ct-loss",
      ),
      field(
        "Bots at the table now",
        h(
          "select",
          { id: "ct-bots", value: String(f.bots), onChange: (e: Event) => set({ bots: Number(val(e)) }) },
          Array.from({ length: f.seats }, (_, n) => h("option", { key: n, value: String(n) }, n === 0 ? `None ${D}` : `${n} bot${n > 1 ? "s" : ""}`)),
        ),
        "ct-bots",
      ),
      field(
        "Fill empty seats with bots",
        h(
          "select",
          { id: "ct-fill", value: f.fill, onChange: (e: Event) => set({ fill: val(e) }) },
          h("option", { value: "never" }, "Never: wait for people"),
          h("option", { value: "30" }, "After 30 seconds"),
          h("option", { value: "60" }, `After 1 minute ${D}`),
          h("option", { value: "180" }, "After 3 minutes"),
        ),
        "ct-fill",
      ),
      field(
        "Bot strength",
        h(
          "select",
          { id: "ct-level", value: f.botLevel, onChange: (e: Event) => set({ botLevel: val(e) as BotLevel }) },
          h("option", { value: "easy" }, "Easy"),
          h("option", { value: "normal" }, `Normal ${D}`),
          h("option", { value: "hard" }, "Hard"),
          h("option", { value: "random" }, "Random moves (practice)"),
        ),
        "ct-level",
      ),
    ),
    h(
      "button",
      { type: "button", class: "btn ghost small", "aria-expanded": showRules ? "true" : "false", onClick: () => setShowRules(!showRules) },
      showRules ? "▾ House rules" : "▸ House rules (standard Hong Kong rules unless you change them)",
    ),
    showRules
      ? h(
          "div",
          { class: "grid rules" },
          field(
            "Suit order, low to high",
            h(
              "select",
              { id: "r-suit", value: f.rules.suitOrder, onChange: (e: Event) => setRule({ suitOrder: val(e) as Variant["suitOrder"] }) },
              h("option", { value: "DCHS" }, `♦ ♣ ♥ ♠ (Hong Kong) ${D}`),
              h("option", { value: "CDHS" }, "♣ ♦ ♥ ♠ (Taiwan)"),
            ),
            "r-suit",
          ),
          field(
            "Straights",
            h(
              "select",
              { id: "r-straights", value: f.rules.straights, onChange: (e: Event) => setRule({ straights: val(e) as Variant["straights"] }) },
              h("option", { value: "classic" }, `3-4-5-6-7 lowest, J-Q-K-A-2 highest ${D}`),
              h("option", { value: "poker" }, "Poker: A-2-3-4-5 lowest, 10-J-Q-K-A highest"),
              h("option", { value: "taiwan" }, "Taiwan: 2-3-4-5-6 and A-2-3-4-5 on top"),
            ),
            "r-straights",
          ),
          field(
            "Two flushes compare",
            h(
              "select",
              { id: "r-flush", value: f.rules.flushOrder, onChange: (e: Event) => setRule({ flushOrder: val(e) as Variant["flushOrder"] }) },
              h("option", { value: "rank" }, `By highest card ${D}`),
              h("option", { value: "suit" }, "By suit first"),
            ),
            "r-flush",
          ),
          field(
            "Penalty doubles with",
            h(
              "select",
              { id: "r-double", value: String(f.rules.doubleAt), onChange: (e: Event) => setRule({ doubleAt: Number(val(e)) }) },
              [7, 8, 9, 10, 11, 12, 13, 14].map((n) =>
                h("option", { key: n, value: String(n) }, n === 14 ? "Never double" : `${n} or more cards left${n === 10 ? ` ${D}` : ""}`),
              ),
            ),
            "r-double",
          ),
          check(`The first play must include the lowest card (${f.rules.suitOrder === "CDHS" ? "3♣" : "3♦"})`, "on by default", f.rules.firstPlayMustContainStart, (v) =>
            setRule({ firstPlayMustContainStart: v }),
          ),
          check("Passing keeps you out until the trick ends", "off by default", f.rules.passLocksTrick, (v) => setRule({ passLocksTrick: v })),
          check("The winner of a deal leads the next one", "off by default", f.rules.winnerLeadsNextDeal, (v) =>
            setRule({ winnerLeadsNextDeal: v }),
          ),
          check("Triple penalty if you never played a card", "on by default", f.rules.tripleIfUnplayed, (v) =>
            setRule({ tripleIfUnplayed: v }),
          ),
          check("Each 2 left in your hand doubles the penalty", "off by default", f.rules.twosDouble, (v) => setRule({ twosDouble: v })),
        )
      : null,
    h(
      "div",
      { class: "row end" },
      h("button", { type: "button", class: "btn", onClick: () => app.openCreate(false) }, "Cancel"),
      endless ? h("span", { class: "bad-note", role: "alert" }, "Choose a number of deals or a loss limit, so the match can end.") : null,
      h("button", { type: "submit", class: "btn primary", disabled: endless, "data-testid": "create-submit" }, "Create table"),
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
    h("span", null, label, " ", h("small", { class: "muted" }, `(${note})`)),
  );
}
