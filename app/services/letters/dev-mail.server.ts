import { z } from "zod/v4";
import { env } from "~/infra/env.server";

// The local mail catcher (server/dev/mail-catcher.ts) is read over its JSON API rather than
// imported: app/ must run unchanged when the catcher does not exist, as in production.

const Summary = z.object({
  id: z.string(),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  date: z.string(),
  text: z.string(),
});
const Message = Summary.extend({ html: z.string().nullable() });

export type CaughtMailSummary = z.infer<typeof Summary>;
export type CaughtMail = z.infer<typeof Message> & { rawHtmlUrl: string | null };

export type DevMailResult<T> =
  { status: "ok"; catcherUrl: string; data: T } | { status: "unreachable"; catcherUrl: string };

/** The catcher's address, or null when this is not a development set-up with a catcher. */
export function devMailCatcherUrl(): string | null {
  return env().DEV_MAIL_CATCHER_URL ?? null;
}

async function fetchJson(url: string): Promise<unknown | "unreachable" | "not-found"> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    if (res.status === 404) return "not-found";
    if (!res.ok) return "unreachable";
    return await res.json();
  } catch {
    return "unreachable";
  }
}

export async function listCaughtMail(
  catcherUrl: string,
): Promise<DevMailResult<CaughtMailSummary[]>> {
  const body = await fetchJson(new URL("/messages", catcherUrl).href);
  const parsed = z.array(Summary).safeParse(body);
  return parsed.success
    ? { status: "ok", catcherUrl, data: parsed.data }
    : { status: "unreachable", catcherUrl };
}

/** null: the catcher answered but holds no such message (cleared, or pushed out of its 500). */
export async function getCaughtMail(
  catcherUrl: string,
  id: string,
): Promise<DevMailResult<CaughtMail> | null> {
  // The id goes into a URL path: anything but the catcher's own id alphabet is simply unknown.
  if (!/^[\w-]{1,100}$/.test(id)) return null;
  const url = new URL(`/messages/${id}`, catcherUrl).href;
  const body = await fetchJson(url);
  if (body === "not-found") return null;
  const parsed = Message.safeParse(body);
  if (!parsed.success) return { status: "unreachable", catcherUrl };
  const rawHtmlUrl = parsed.data.html === null ? null : `${url}/html`;
  return { status: "ok", catcherUrl, data: { ...parsed.data, rawHtmlUrl } };
}
