/**
 * A route whose `handle` says `hydrate: false` is sent as HTML and CSS only: it does all it does
 * without JavaScript, and a phone on a slow network is spared the download. A page hydrates unless
 * one of its matched routes says so. Used by the layout (root.tsx, which then leaves out the
 * scripts) and by entry.server.tsx (which then renders the page in one synchronous pass).
 */
export function pageHydrates(handles: readonly unknown[]): boolean {
  return !handles.some((h) => (h as { hydrate?: boolean } | undefined)?.hydrate === false);
}
