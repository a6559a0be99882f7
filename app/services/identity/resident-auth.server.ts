import { recordEvent } from "../events/events.server";
import { redirect } from "@remix-run/node";
import { parseNationalId } from "~/domain/national-id";
import { todayIn } from "~/domain/calendar-date";
import { EidLoginError, getEidClient, type EidConfig } from "~/integrations/eid/oidc.server";
import { env } from "~/infra/env.server";
import { log } from "~/infra/log.server";
import { decryptPersonalData, encryptPersonalData } from "~/infra/pii.server";
import { sameOriginPath } from "~/infra/redirect.server";
import { getResidentSession, residentSessionStorage } from "~/infra/session.server";
import { findResidentByNationalId } from "./residents.server";

function eidConfig(): EidConfig {
  const e = env();
  return {
    issuer: e.EID_ISSUER,
    clientId: e.EID_CLIENT_ID,
    clientSecret: e.EID_CLIENT_SECRET,
    redirectUri: new URL("/auth/callback", e.PUBLIC_URL).toString(),
    postLogoutRedirectUri: new URL("/?loggedOut=1", e.PUBLIC_URL).toString(),
    nationalIdClaim: e.EID_NATIONAL_ID_CLAIM,
    requiredAcr: e.EID_ACR_VALUES.length > 0 ? e.EID_ACR_VALUES : undefined,
    scope: e.EID_SCOPE,
  };
}

export type CurrentResident = { residentId: string | null; name: string };

async function readCurrentResident(request: Request): Promise<CurrentResident | null> {
  const session = await getResidentSession(request);
  const name = session.get("name");
  if (!name) return null;
  return { residentId: session.get("residentId") ?? null, name };
}

// Per request: Remix runs the root loader and the page's loader side by side with the same load
// context (one object per request, server/web.ts), and each needs the resident. Keyed by the
// context and the cookie, so a lookup is shared only within one request of one browser.
const perRequest = new WeakMap<object, Map<string, Promise<CurrentResident | null>>>();

/**
 * The logged-in resident, from the session row in the database. Loaders pass their `context` so
 * that the root loader and the page's loader share one lookup; an action (which may change the
 * session) does not.
 */
export function currentResident(
  request: Request,
  context?: object,
): Promise<CurrentResident | null> {
  if (!context) return readCurrentResident(request);
  const cookie = request.headers.get("Cookie") ?? "";
  let seen = perRequest.get(context);
  if (!seen) perRequest.set(context, (seen = new Map()));
  let resident = seen.get(cookie);
  if (!resident) seen.set(cookie, (resident = readCurrentResident(request)));
  return resident;
}

/**
 * The logged-in resident, or a redirect to the start page that brings them back afterwards. When
 * the browser still carries a session that has ended (idle too long, or ended elsewhere), the
 * start page says so: `ended=1`, or `ended=unsent` when what the resident sent (a form) was not
 * taken, so they know to send it again rather than think it arrived.
 */
export async function requireResident(
  request: Request,
  context?: object,
): Promise<CurrentResident> {
  const resident = await currentResident(request, context);
  if (resident) return resident;
  const url = new URL(request.url);
  const back = `/?returnTo=${encodeURIComponent(url.pathname + url.search)}`;
  if (!(await sessionEnded(request))) throw redirect(back);
  const unsent = request.method !== "GET" && request.method !== "HEAD";
  throw redirect(`${back}&ended=${unsent ? "unsent" : "1"}`);
}

/** The request carries a signed session cookie whose session is gone (or never logged in). */
async function sessionEnded(request: Request): Promise<boolean> {
  const session = await getResidentSession(request);
  return session.id !== "" && Object.keys(session.data).length === 0;
}

// Only paths on this site: an open redirect after login would be a phishing tool.
const safeReturnTo = (value: unknown) => sameOriginPath(value, "/claims");

export async function beginLogin(request: Request, returnTo: unknown): Promise<Response> {
  let start;
  try {
    start = await (await getEidClient(eidConfig())).startLogin();
  } catch (error) {
    // The eID service is unreachable (its discovery document cannot be fetched): say so on the
    // start page, as a failed callback does, rather than answer with an error page.
    log.warn("eid login could not start", { error: String(error) });
    return redirect("/?loginError=provider_error");
  }
  // A new session for every login: the browser's old one may have ended (its row is gone, so
  // the pending login written to it would be lost and the callback would fail as "expired"), and
  // a session id must not outlive a login anyway (fixation).
  const session = await residentSessionStorage().getSession();
  session.set("pendingLogin", {
    state: start.state,
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    returnTo: safeReturnTo(returnTo),
  });
  return redirect(start.url, {
    headers: { "Set-Cookie": await residentSessionStorage().commitSession(session) },
  });
}

function countryOf(nationalId: string): "SE" | "NO" | null {
  if (env().EID_COUNTRY) return env().EID_COUNTRY ?? null;
  if (/^\d{12}$/.test(nationalId)) return "SE";
  if (/^\d{11}$/.test(nationalId)) return "NO";
  return null;
}

/**
 * Finishes an eID login: the pre-login session is destroyed and a new one created (no session
 * fixation), holding the resident's id and name and the eID's ID token encrypted (it names the
 * identity number; logging out of the eID service needs it back). Someone without claims may
 * log in too; no resident row is created for them.
 */
export async function completeLogin(request: Request): Promise<Response> {
  const storage = residentSessionStorage();
  const pending = await getResidentSession(request);
  const expected = pending.get("pendingLogin");
  const failed = async (code: string) =>
    redirect(`/?loginError=${code}`, {
      headers: { "Set-Cookie": await storage.destroySession(pending) },
    });
  if (!expected) return failed("expired");

  let result;
  try {
    const config = eidConfig();
    // The redirect URI sent to the token endpoint must be the registered one, not whatever
    // host and scheme this process saw: behind a load balancer (TLS ended there, several web
    // processes) request.url names the internal address.
    const callbackUrl = new URL(config.redirectUri);
    callbackUrl.search = new URL(request.url).search;
    const client = await getEidClient(config);
    result = await client.finishLogin(callbackUrl, expected);
  } catch (error) {
    const code = error instanceof EidLoginError ? error.code : "provider_error";
    log.warn("eid login failed", { code });
    return failed(code);
  }

  const country = countryOf(result.nationalId);
  const parsed = country
    ? parseNationalId(result.nationalId, country, todayIn("Europe/Stockholm", new Date()))
    : null;
  if (!country || !parsed?.ok) return failed("missing_national_id");
  const resident = await findResidentByNationalId(country, parsed.value.canonical);

  await storage.destroySession(pending);
  const session = await storage.getSession();
  session.set("residentId", resident?.id ?? null);
  session.set("name", resident?.name ?? result.name ?? "");
  session.set("idTokenCipher", encryptPersonalData(result.idToken, env().PII_ENCRYPTION_KEY));
  if (resident) {
    await recordEvent(undefined, {
      residentId: resident.id,
      type: "resident.logged_in",
      actor: `resident:${resident.id}`,
      on: todayIn("UTC", new Date()),
      data: { acr: result.acr ?? null },
    });
  }
  return redirect(expected.returnTo, {
    headers: { "Set-Cookie": await storage.commitSession(session) },
  });
}

/** The ID token from its cipher; none (a portal-only logout) if the key no longer opens it. */
function eidLogoutHint(cipher: string | undefined): string | null {
  if (!cipher) return null;
  try {
    return decryptPersonalData(cipher, env().PII_ENCRYPTION_KEY);
  } catch (error) {
    log.warn("eid id token could not be decrypted; logging out of the portal only", {
      error: String(error),
    });
    return null;
  }
}

/** Ends the portal session and then the eID session, which sends the browser back to us. */
export async function logout(request: Request): Promise<Response> {
  const storage = residentSessionStorage();
  const session = await getResidentSession(request);
  const idToken = eidLogoutHint(session.get("idTokenCipher"));
  const residentId = session.get("residentId");
  const cookie = await storage.destroySession(session);
  if (residentId) {
    await recordEvent(undefined, {
      residentId,
      type: "resident.logged_out",
      actor: `resident:${residentId}`,
      on: todayIn("UTC", new Date()),
      data: {},
    });
  }
  let target = "/?loggedOut=1";
  if (idToken) {
    try {
      target = (await getEidClient(eidConfig())).logoutUrl(idToken);
    } catch (error) {
      log.warn("eid logout url unavailable", { error: String(error) });
    }
  }
  return redirect(target, { headers: { "Set-Cookie": cookie } });
}
