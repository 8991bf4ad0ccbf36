import { h } from "preact";
import { useState } from "preact/hooks";
import { MAX_NAME, type App, type AppState } from "../app.ts";
import { t } from "../i18n/index.ts";
import { LangSwitch } from "./root.ts";
import { SignInOffer } from "./account.ts";

export function NameScreen(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const [value, setValue] = useState(state.name ?? "");
  const invited = state.intent?.kind === "join";
  const watching = state.intent?.kind === "watch";
  const editing = state.name !== null;
  const ok = value.trim().length > 0;
  return h(
    "main",
    { class: "name-screen" },
    h(
      "form",
      {
        class: "panel name-form",
        onSubmit: (e: Event) => {
          e.preventDefault();
          app.setName(value);
        },
      },
      h("div", { class: "name-top" }, h("h1", { class: "logo" }, t("app.name"), h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦")), h(LangSwitch, { app, state })),
      invited ? h("p", { class: "lead", "data-testid": "intent" }, t("name.invited")) : null,
      watching ? h("p", { class: "lead", "data-testid": "intent" }, t("name.watchInvite")) : null,
      !invited && !watching && !editing ? h("p", { class: "lead" }, t("app.tagline")) : null,
      h("label", { for: "name-input" }, editing ? t("name.yours") : t("name.choose")),
      h("input", {
        id: "name-input",
        name: "name",
        autoFocus: true,
        autoComplete: "nickname",
        maxLength: MAX_NAME,
        value,
        placeholder: t("name.placeholder"),
        onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value),
      }),
      h("p", { class: "hint" }, t("name.help")),
      h(
        "div",
        { class: "row" },
        h(
          "button",
          { type: "submit", class: "btn primary", disabled: !ok },
          invited ? t("name.joinTable") : watching ? t("name.watchTable") : editing ? t("btn.save") : t("btn.continue"),
        ),
        editing ? h("button", { type: "button", class: "btn", onClick: () => app.cancelEditName() }, t("btn.cancel")) : null,
      ),
      editing ? null : h(SignInOffer, null),
    ),
  );
}
