import { h } from "preact";
import { useState } from "preact/hooks";
import { MAX_NAME, type App, type AppState } from "../app.ts";
import { SignInOffer } from "./account.ts";

export function NameScreen(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const [value, setValue] = useState(state.name ?? "");
  const invited = state.intent?.kind === "join";
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
      h("h1", { class: "logo" }, "Big Two", h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦")),
      invited ? h("p", { class: "lead" }, "You're invited to a table. Choose a name to join it.") : null,
      !invited && !editing ? h("p", { class: "lead" }, "The climbing card game, online. Play friends or bots.") : null,
      h("label", { for: "name-input" }, editing ? "Your name" : "Choose a display name"),
      h("input", {
        id: "name-input",
        name: "name",
        autoFocus: true,
        autoComplete: "nickname",
        maxLength: MAX_NAME,
        value,
        placeholder: "e.g. Mei",
        onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value),
      }),
      h("p", { class: "hint" }, "Others at the table see this name. It is remembered on this device."),
      h(
        "div",
        { class: "row" },
        h("button", { type: "submit", class: "btn primary", disabled: !ok }, invited ? "Join the table" : editing ? "Save" : "Continue"),
        editing ? h("button", { type: "button", class: "btn", onClick: () => app.cancelEditName() }, "Cancel") : null,
      ),
      editing ? null : h(SignInOffer, null),
    ),
  );
}
