import { env } from "./env.server";

/**
 * A path on this site to send the browser to after a form (login, language), or `fallback`.
 * The value is resolved with `URL` against PUBLIC_URL, as a browser resolves a Location header,
 * so every trick that leaves the site is caught by one comparison of origins: `//evil.example`,
 * `/\evil.example` (a browser reads `\` as `/`), tabs and newlines (dropped by the parser) and
 * `/.//evil.example` (which normalises to a protocol-relative `//evil.example`).
 */
export function sameOriginPath(
  value: unknown,
  fallback: string,
  base: string = env().PUBLIC_URL,
): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(base).origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  // What we answer is a Location header: it must not read as another host once sent.
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
