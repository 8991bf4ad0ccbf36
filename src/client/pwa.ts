/// <reference types="vite/client" />
// Installable app: the service worker (sw.ts) caches the build so the page opens, and practice
// plays, without a network. Vite's dev server has no sw.js; only a build registers it.
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  // After the page has loaded: the precache does not compete with the first screen.
  const register = () => {
    navigator.serviceWorker.register("./sw.js").catch(() => {
      // No offline copy (private mode, a browser without workers): the game itself is unaffected.
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
