// Who this browser is to the records: a guest (the game token alone) or signed in to an account
// (a session cookie, docs/api.md). Signing in hands back a game token naming the account's
// player; `onToken` stores it and says hello again with it, so the game follows the account.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { api, apiErrorText, type Account, type ApiResult, type SignedIn } from "./api.ts";
import { t } from "./i18n/index.ts";
import { load, save } from "./storage.ts";

export type AccountPhase = "unknown" | "guest" | "signed-in";
export type AccountTask = "passkey-save" | "password-save" | "passkey-signin" | "password-signin" | "signout";

export interface AccountState {
  phase: AccountPhase;
  account: Account | null;
  /** What is on its way, to disable its button and say so. */
  busy: AccountTask | null;
  /** The last failure, in words for people; cleared by the next attempt. */
  error: string | null;
  /** A short confirmation after a success ("Progress saved"). */
  notice: string | null;
  /** Whether this browser can use passkeys at all. */
  passkeys: boolean;
}

export interface AccountOptions {
  /** The game token to use from now on (null: forget it and be a fresh guest). */
  onToken: (token: string | null, account: Account | null) => void;
  /** The guest's current game token, which proves the playerId an account is created for. */
  guestToken: () => string | null;
}

/** localStorage key: this browser signed in (the session cookie itself is HttpOnly). */
const SIGNED_IN = "account";
/** The guest token this browser had before signing in to an account, given back at sign-out. */
const GUEST_BEFORE = "guestBefore";

export class AccountStore {
  state: AccountState;
  private listeners: (() => void)[] = [];

  constructor(private readonly opts: AccountOptions) {
    this.state = { phase: "unknown", account: null, busy: null, error: null, notice: null, passkeys: supportsPasskeys() };
  }

  subscribe(fn: () => void): void {
    this.listeners.push(fn);
  }

  private set(patch: Partial<AccountState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  clearMessages(): void {
    if (this.state.error !== null || this.state.notice !== null) this.set({ error: null, notice: null });
  }

  /**
   * On page load, in a browser that signed in before: is the session still on (signing out
   * elsewhere ends it)? Only asked when this browser remembers signing in: a guest's page load
   * would get a 401, which Chromium logs as a console error on every visit.
   */
  async refresh(): Promise<void> {
    if (load(SIGNED_IN) === null) {
      this.set({ phase: "guest", account: null });
      return;
    }
    const r = await api.me();
    if (r.ok) {
      this.set({ phase: "signed-in", account: r.data.account });
      this.opts.onToken(r.data.token, r.data.account);
    } else if (r.code === "auth/signed-out") {
      save(SIGNED_IN, null);
      this.set({ phase: "guest", account: null });
      // The account's game token would still say hello as the account: be a guest again.
      this.backToGuest();
    } else {
      // Records unavailable: keep playing as whoever the stored token says; ask again next load.
      this.set({ phase: "guest", account: null });
    }
  }

  /** "Save my progress" with a passkey: an account for this guest's playerId, named `name`. */
  async savePasskey(name: string): Promise<boolean> {
    const token = this.opts.guestToken();
    if (!token) return this.fail(t("acct.connectFirst"));
    return this.run("passkey-save", async () => {
      const opts = await api.passkeyRegisterOptions({ name: name.trim(), token });
      if (!opts.ok) return opts;
      const response = await startRegistration({ optionsJSON: opts.data.options as PublicKeyCredentialCreationOptionsJSON });
      return api.passkeyRegisterVerify(opts.data.challengeId, response);
    }, t("acct.savedPasskey"));
  }

  async savePassword(name: string, password: string): Promise<boolean> {
    const token = this.opts.guestToken();
    if (!token) return this.fail(t("acct.connectFirst"));
    return this.run("password-save", () => api.register(name.trim(), password, token), t("acct.savedPassword"));
  }

  async signInPasskey(): Promise<boolean> {
    return this.run("passkey-signin", async () => {
      const opts = await api.passkeyLoginOptions();
      if (!opts.ok) return opts;
      const response = await startAuthentication({ optionsJSON: opts.data.options as PublicKeyCredentialRequestOptionsJSON });
      return api.passkeyLoginVerify(opts.data.challengeId, response);
    }, t("acct.signedIn"));
  }

  async signInPassword(name: string, password: string): Promise<boolean> {
    return this.run("password-signin", () => api.login(name.trim(), password), t("acct.signedIn"));
  }

  async signOut(everywhere = false): Promise<boolean> {
    if (this.state.busy) return false;
    this.set({ busy: "signout", error: null, notice: null });
    const r = await api.logout(everywhere);
    if (!r.ok) {
      this.set({ busy: null, error: apiErrorText(r) });
      return false;
    }
    save(SIGNED_IN, null);
    this.set({ busy: null, phase: "guest", account: null, notice: everywhere ? t("acct.signedOutEverywhere") : t("acct.signedOut") });
    this.backToGuest();
    return true;
  }

  /** Back to the guest this browser was before signing in, if it was one; else a fresh guest. */
  private backToGuest(): void {
    const before = load(GUEST_BEFORE);
    save(GUEST_BEFORE, null);
    this.opts.onToken(before, null);
  }

  private fail(error: string): false {
    this.set({ error, notice: null });
    return false;
  }

  private async run(task: AccountTask, attempt: () => Promise<ApiResult<SignedIn>>, notice: string): Promise<boolean> {
    if (this.state.busy) return false;
    this.set({ busy: task, error: null, notice: null });
    let r: ApiResult<SignedIn>;
    try {
      r = await attempt();
    } catch (err) {
      this.set({ busy: null, error: passkeyErrorText(err) });
      return false;
    }
    if (!r.ok) {
      this.set({ busy: null, error: apiErrorText(r) });
      return false;
    }
    if ((task === "passkey-signin" || task === "password-signin") && load(SIGNED_IN) === null) save(GUEST_BEFORE, this.opts.guestToken());
    save(SIGNED_IN, r.data.account.playerId);
    this.set({ busy: null, phase: "signed-in", account: r.data.account, notice });
    this.opts.onToken(r.data.token, r.data.account);
    return true;
  }
}

function supportsPasskeys(): boolean {
  try {
    return browserSupportsWebAuthn();
  } catch {
    return false;
  }
}

/** The browser's WebAuthn failures (WebAuthnError / DOMException names), in words. */
export function passkeyErrorText(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return t("passkey.exists");
  switch (name) {
    case "NotAllowedError":
      return t("passkey.notAllowed");
    case "InvalidStateError":
      return t("passkey.exists");
    case "SecurityError":
      return t("passkey.insecure");
    case "NotSupportedError":
      return t("passkey.unsupported");
    case "AbortError":
      return t("passkey.aborted");
    default:
      // The browser's own message is in the browser's language, which is the best we have.
      return err instanceof Error && err.message ? t("passkey.failedWhy", { why: err.message }) : t("passkey.failed");
  }
}
