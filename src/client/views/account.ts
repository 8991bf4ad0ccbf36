// "Save my progress" (an account for the guest this browser is, with a passkey or a password),
// "Sign in" (on another browser) and "Sign out". The account chip sits in the lobby and on the
// records pages; the dialog is one component for both tasks.
import { h } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_NAME } from "../app.ts";
import { t } from "../i18n/index.ts";
import { profilePath } from "../router.ts";
import { useServices } from "./services.ts";

/** A small control: who you are, and the way to save or sign in (with `board`, the leaderboard too). */
export function AccountChip(props: { board?: boolean }) {
  const { account, app, router, openDialog } = useServices();
  const st = account.state;
  const playerId = app.state.playerId;
  const me = st.account;
  return h(
    "div",
    { class: "account-chip", "data-testid": "account-chip" },
    props.board ? h("a", { class: "btn small ghost", href: "/leaderboard", onClick: link(router, "/leaderboard"), "data-testid": "nav-leaderboard" }, t("board.title")) : null,
    me
      ? [
          h("a", { key: "p", class: "btn small ghost", href: profilePath(me.playerId), onClick: link(router, profilePath(me.playerId)), "data-testid": "my-profile" }, t("acct.myProfile")),
          h(
            "button",
            { key: "o", type: "button", class: "btn small ghost", disabled: st.busy !== null, onClick: () => void account.signOut().then((ok) => ok && app.toast(account.state.notice ?? t("acct.signedOut"), "info")), "data-testid": "sign-out" },
            st.busy === "signout" ? t("acct.signingOut") : t("acct.signOut"),
          ),
        ]
      : [
          playerId
            ? h("a", { key: "p", class: "btn small ghost", href: profilePath(playerId), onClick: link(router, profilePath(playerId)), "data-testid": "my-profile" }, t("acct.myProfile"))
            : null,
          h("button", { key: "s", type: "button", class: "btn small primary", onClick: () => openDialog("save"), "data-testid": "save-progress" }, t("acct.save")),
          h("button", { key: "i", type: "button", class: "btn small ghost", onClick: () => openDialog("signin"), "data-testid": "sign-in" }, t("acct.signIn")),
        ],
  );
}

function link(router: ReturnType<typeof useServices>["router"], path: string) {
  return (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.go(path);
  };
}

/** For the first screen of a new browser: a returning player signs in instead of choosing a name. */
export function SignInOffer() {
  const { openDialog } = useServices();
  return h(
    "p",
    { class: "signin-offer muted" },
    `${t("acct.playedBefore")} `,
    h("button", { type: "button", class: "linklike", onClick: () => openDialog("signin"), "data-testid": "sign-in" }, t("acct.signIn")),
  );
}

export function AccountDialog() {
  const s = useServices();
  const { account, dialog, openDialog } = s;
  const st = account.state;
  const [name, setName] = useState(s.app.state.name ?? "");
  const [password, setPassword] = useState("");
  const [usePassword, setUsePassword] = useState(!st.passkeys);
  const first = useRef<HTMLInputElement | HTMLButtonElement | null>(null);
  useEffect(() => {
    account.clearMessages();
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") openDialog(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [dialog]);
  if (!dialog) return null;
  const saving = dialog === "save";
  const busy = st.busy !== null;
  const done = async (ok: Promise<boolean>) => {
    if (!(await ok)) return;
    openDialog(null);
    if (account.state.notice) s.app.toast(account.state.notice, "info");
  };
  const nameOk = name.trim().length > 0;
  const title = saving ? t("acct.save") : t("acct.signIn");
  return h(
    "div",
    { class: "overlay account-overlay", onClick: (e: MouseEvent) => e.target === e.currentTarget && openDialog(null) },
    h(
      "div",
      { class: "panel account-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "account-title", "data-testid": "account-dialog" },
      h("h2", { id: "account-title" }, title),
      saving
        ? h("p", { class: "muted" }, t("acct.saveAbout"))
        : h("p", { class: "muted" }, t("acct.signInAbout")),
      st.error ? h("p", { class: "form-error", role: "alert", "data-testid": "account-error" }, st.error) : null,
      saving
        ? h(
            "div",
            { class: "field" },
            h("label", { for: "account-name" }, t("acct.name")),
            h("input", {
              id: "account-name",
              ref: first,
              value: name,
              maxLength: MAX_NAME,
              autoComplete: "username",
              onInput: (e: Event) => setName((e.currentTarget as HTMLInputElement).value),
              "data-testid": "account-name",
            }),
            h("span", { class: "hint muted" }, t("acct.nameHint")),
          )
        : null,
      st.passkeys && !usePassword
        ? h(
            "div",
            { class: "account-way" },
            h(
              "button",
              {
                type: "button",
                class: "btn primary wide",
                ref: saving ? undefined : first,
                disabled: busy || (saving && !nameOk),
                onClick: () => void done(saving ? account.savePasskey(name) : account.signInPasskey()),
                "data-testid": saving ? "save-passkey" : "signin-passkey",
              },
              st.busy === "passkey-save" || st.busy === "passkey-signin" ? t("acct.waitingPasskey") : saving ? t("acct.savePasskey") : t("acct.signInPasskey"),
            ),
            h("p", { class: "hint muted" }, saving ? t("acct.passkeySaveHint") : t("acct.passkeySignInHint")),
            h("button", { type: "button", class: "linklike", onClick: () => setUsePassword(true), "data-testid": "use-password" }, t("acct.usePassword")),
          )
        : h(
            "form",
            {
              class: "account-way",
              onSubmit: (e: Event) => {
                e.preventDefault();
                void done(saving ? account.savePassword(name, password) : account.signInPassword(name, password));
              },
            },
            saving
              ? null
              : h(
                  "div",
                  { class: "field" },
                  h("label", { for: "signin-name" }, t("acct.name")),
                  h("input", {
                    id: "signin-name",
                    ref: first,
                    value: name,
                    autoComplete: "username",
                    onInput: (e: Event) => setName((e.currentTarget as HTMLInputElement).value),
                    "data-testid": "signin-name",
                  }),
                ),
            h(
              "div",
              { class: "field" },
              h("label", { for: "account-password" }, t("acct.password")),
              h("input", {
                id: "account-password",
                type: "password",
                value: password,
                minLength: saving ? 8 : undefined,
                maxLength: 200,
                autoComplete: saving ? "new-password" : "current-password",
                onInput: (e: Event) => setPassword((e.currentTarget as HTMLInputElement).value),
                "data-testid": "account-password",
              }),
              saving ? h("span", { class: "hint muted" }, t("acct.passwordHint")) : null,
            ),
            h(
              "button",
              { type: "submit", class: "btn primary wide", disabled: busy || !nameOk || password.length === 0, "data-testid": saving ? "save-password" : "signin-password" },
              st.busy === "password-save" ? t("acct.saving") : st.busy === "password-signin" ? t("acct.signingIn") : saving ? t("acct.savePassword") : t("acct.signIn"),
            ),
            st.passkeys
              ? h("button", { type: "button", class: "linklike", onClick: () => setUsePassword(false) }, saving ? t("acct.usePasskey") : t("acct.signInPasskeyInstead"))
              : null,
          ),
      h(
        "div",
        { class: "row end" },
        saving
          ? h("button", { type: "button", class: "linklike", onClick: () => openDialog("signin") }, t("acct.haveAccount"))
          : h("button", { type: "button", class: "linklike", onClick: () => openDialog("save") }, t("acct.newHere")),
        h("button", { type: "button", class: "btn ghost", onClick: () => openDialog(null) }, t("btn.close")),
      ),
    ),
  );
}
