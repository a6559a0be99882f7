import { recordEvent } from "../events/events.server";
import { redirect } from "@remix-run/node";
import { todayIn } from "~/domain/calendar-date";
import { sameOriginPath } from "~/infra/redirect.server";
import {
  getStaffSession,
  staffSessionStorage,
  type StaffSignInMethod,
} from "~/infra/session.server";

export function safeStaffReturnTo(value: unknown): string {
  // Only staff pages on this site: an open redirect after login would be a phishing tool.
  const path = sameOriginPath(value, "/staff");
  return /^\/staff(\/|\?|$)/.test(path) ? path : "/staff";
}

/**
 * Starts a staff session after a successful `verifyStaffLogin` (or a sign-in through the
 * municipality's identity provider). Any session the browser had is deleted and a new id issued,
 * so an id planted before login is worthless after it.
 */
export async function startStaffSession(
  request: Request,
  login: { staffId: string; mustChangePassword: boolean; method?: StaffSignInMethod },
  returnTo: unknown,
): Promise<Response> {
  const storage = staffSessionStorage();
  await storage.destroySession(await getStaffSession(request));
  const session = await storage.getSession();
  session.set("staffId", login.staffId);
  session.set("signInMethod", login.method ?? "password");
  const target = login.mustChangePassword ? "/staff/password" : safeStaffReturnTo(returnTo);
  return redirect(target, {
    headers: { "Set-Cookie": await storage.commitSession(session) },
  });
}

/** Deletes the session row (not just the cookie), so a copied cookie stops working too. */
export async function endStaffSession(request: Request, now = new Date()): Promise<Response> {
  const storage = staffSessionStorage();
  const session = await getStaffSession(request);
  const staffId = session.get("staffId");
  const cookie = await storage.destroySession(session);
  if (staffId) {
    await recordEvent(undefined, {
      type: "staff.logged_out",
      actor: `staff:${staffId}`,
      on: todayIn("UTC", now),
      data: { staffId },
    });
  }
  return redirect("/staff/login?loggedOut=1", { headers: { "Set-Cookie": cookie } });
}
