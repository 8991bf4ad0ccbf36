// What the records pages and the account UI need beside the game's App: the router and the
// account store. Handed down once through a context, so the game's views (owned elsewhere) only
// add a component here and there, without new props to thread.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { AccountStore } from "../account.ts";
import type { App } from "../app.ts";
import type { Router } from "../router.ts";

export interface Services {
  app: App;
  router: Router;
  account: AccountStore;
  /** Which account dialog is open, if any. */
  dialog: "save" | "signin" | null;
  openDialog: (d: "save" | "signin" | null) => void;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error("useServices: no ServicesContext.Provider above this component");
  return s;
}
