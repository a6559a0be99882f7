import { recordEvent } from "../events/events.server";
import { redirect } from "@remix-run/node";
import { todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { log } from "~/infra/log.server";
import { getStaffSession, staffSessionStorage } from "~/infra/session.server";
import {
  getStaffIdpClient,
  StaffIdpError,
  type StaffIdpConfig,
} from "~/integrations/staff-idp/oidc.server";
import { safeStaffReturnTo, startStaffSession } from "./staff-session.server";

/** What the login page says after a refused sign-in; anything else in the URL is ignored. */
export const STAFF_OIDC_ERRORS = ["no_account", "failed"] as const;
export type StaffOidcError = (typeof STAFF_OIDC_ERRORS)[number];

/** The provider's settings, or null when staff sign in with password and TOTP only. */
export function staffOidcConfig(): StaffIdpConfig | null {
  const e = env();
  if (!e.STAFF_OIDC_ISSUER || !e.STAFF_OIDC_CLIENT_ID || !e.STAFF_OIDC_CLIENT_SECRET) return null;
  return {
    issuer: e.STAFF_OIDC_ISSUER,
    clientId: e.STAFF_OIDC_CLIENT_ID,
    clientSecret: e.STAFF_OIDC_CLIENT_SECRET,
    redirectUri: new URL("/staff/auth/callback", e.PUBLIC_URL).toString(),
    scope: e.STAFF_OIDC_SCOPE,
    emailClaim: e.STAFF_OIDC_EMAIL_CLAIM,
  };
}

/** For the login page: whether to offer the button, and the provider's name for it. */
export function staffOidcOffer(): { displayName: string | null } | null {
  return staffOidcConfig() ? { displayName: env().STAFF_OIDC_DISPLAY_NAME ?? null } : null;
}

function requireConfig(): StaffIdpConfig {
  const config = staffOidcConfig();
  if (!config) throw new Response("Not Found", { status: 404 });
  return config;
}

/** Sends the browser to the provider; what the callback must match waits in the staff session. */
export async function beginStaffOidcLogin(request: Request, returnTo: unknown): Promise<Response> {
  const config = requireConfig();
  let start;
  try {
    start = await (await getStaffIdpClient(config)).startLogin();
  } catch (error) {
    // The provider is unreachable: the login page says the sign-in failed, not an error page.
    log.warn("staff oidc login could not start", { error: String(error) });
    return redirect("/staff/login?oidcError=failed");
  }
  const session = await getStaffSession(request);
  session.set("pendingOidc", {
    state: start.state,
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    returnTo: safeStaffReturnTo(returnTo),
  });
  return redirect(start.url, {
    headers: { "Set-Cookie": await staffSessionStorage().commitSession(session) },
  });
}

async function audit(
  type: "staff.logged_in" | "staff.login_failed",
  staffId: string | null,
  data: Record<string, string>,
  now: Date,
) {
  // As for passwords: a refused attempt is not proven to be the account holder's, so its actor
  // is anonymous; the email the provider asserted is not kept when it matches no account.
  await recordEvent(undefined, {
    type,
    actor: type === "staff.logged_in" && staffId ? `staff:${staffId}` : "anonymous",
    on: todayIn("UTC", now),
    data: { method: "oidc", ...(staffId ? { staffId } : {}), ...data },
  });
}

/**
 * Finishes a sign-in through the municipality's provider: checks state, nonce and PKCE, then
 * starts a staff session for the active staff member with the asserted email. No TOTP is asked
 * (the provider does the MFA) and the one-time password rule does not apply. Every outcome is
 * in the audit log.
 */
export async function completeStaffOidcLogin(
  request: Request,
  now = new Date(),
): Promise<Response> {
  const config = requireConfig();
  const pending = await getStaffSession(request);
  const expected = pending.get("pendingOidc");
  const refuse = async (error: StaffOidcError) =>
    redirect(`/staff/login?oidcError=${error}`, {
      headers: { "Set-Cookie": await staffSessionStorage().destroySession(pending) },
    });
  if (!expected) {
    await audit("staff.login_failed", null, { reason: "expired" }, now);
    return refuse("failed");
  }

  // The registered redirect URI, not the Host the request came in on (a proxy may rewrite it).
  const callbackUrl = new URL(config.redirectUri);
  callbackUrl.search = new URL(request.url).search;
  let result;
  try {
    result = await (await getStaffIdpClient(config)).finishLogin(callbackUrl, expected);
  } catch (error) {
    const reason = error instanceof StaffIdpError ? error.code : "provider_error";
    log.warn("staff oidc login failed", { reason });
    await audit("staff.login_failed", null, { reason }, now);
    return refuse("failed");
  }

  const staff = await db().staff.findFirst({
    where: { email: { equals: result.email.trim(), mode: "insensitive" } },
    select: { id: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt) {
    await audit(
      "staff.login_failed",
      staff?.id ?? null,
      { reason: staff ? "disabled" : "unknown_identity" },
      now,
    );
    return refuse("no_account");
  }
  await audit("staff.logged_in", staff.id, {}, now);
  return startStaffSession(
    request,
    { staffId: staff.id, mustChangePassword: false, method: "oidc" },
    expected.returnTo,
  );
}
