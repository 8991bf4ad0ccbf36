// Which page the address names. The game (lobby and table) lives at `/`; the records pages have
// their own paths so they can be linked and shared: /replay/MATCH[/DEAL], /profile/PLAYER,
// /leaderboard (docs/api.md "Pages").
// The server answers these paths with index.html; the history API moves between them.

export type Route =
  | { page: "game" }
  | { page: "replay"; matchId: string; deal: number | null }
  | { page: "profile"; playerId: string }
  | { page: "leaderboard" };

function decode(part: string): string | null {
  try {
    const s = decodeURIComponent(part);
    return s.length > 0 && s.length <= 200 ? s : null;
  } catch {
    return null;
  }
}

/** The route of a path and query; anything unknown is the game (the server only sends index.html for known paths). */
export function parseRoute(pathname: string, search = ""): Route {
  const parts = pathname.split("/").filter((p) => p.length > 0);
  const q = new URLSearchParams(search);
  if (parts[0] === "replay" && (parts.length === 2 || parts.length === 3)) {
    const matchId = decode(parts[1]);
    const dealText = parts.length === 3 ? parts[2] : q.get("deal");
    const deal = dealText !== null && /^[1-9][0-9]{0,3}$/.test(dealText) ? Number(dealText) : null;
    if (matchId) return { page: "replay", matchId, deal };
  }
  if (parts[0] === "profile" && parts.length === 2) {
    const playerId = decode(parts[1]);
    if (playerId) return { page: "profile", playerId };
  }
  if (parts[0] === "leaderboard" && parts.length === 1) return { page: "leaderboard" };
  return { page: "game" };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case "game":
      return "/";
    case "replay":
      return `/replay/${encodeURIComponent(route.matchId)}${route.deal !== null ? `/${route.deal}` : ""}`;
    case "profile":
      return `/profile/${encodeURIComponent(route.playerId)}`;
    case "leaderboard":
      return "/leaderboard";
  }
}

export const replayPath = (matchId: string, deal: number | null = null): string => routePath({ page: "replay", matchId, deal });
export const profilePath = (playerId: string): string => routePath({ page: "profile", playerId });

/** The current route, kept in step with the address bar. */
export class Router {
  route: Route;
  private listeners: (() => void)[] = [];

  constructor() {
    this.route = parseRoute(location.pathname, location.search);
    window.addEventListener("popstate", () => this.sync());
  }

  subscribe(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Go to `path` (same origin), as a new history entry or in place of the current one. */
  go(path: string, opts: { replace?: boolean } = {}): void {
    if (path === location.pathname + location.search) return;
    if (opts.replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
    this.sync();
    if (!opts.replace) window.scrollTo(0, 0);
  }

  private sync(): void {
    this.route = parseRoute(location.pathname, location.search);
    for (const fn of this.listeners) fn();
  }
}

/**
 * A link's click handler that moves within the app instead of reloading the page, leaving
 * modified clicks (new tab, new window) to the browser.
 */
export function linkClick(router: Router, path: string): (e: MouseEvent) => void {
  return (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.go(path);
  };
}
