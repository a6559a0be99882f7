import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freePort } from "../../../server/test-support/http-browser.ts";
import { seedDemo } from "../../../server/test-support/fixtures.ts";
import { startTestEid, type TestEid } from "../../../server/dev/test-eid.ts";
import { db, disconnectDb } from "~/infra/db.server";
import { createStaff, requireStaff } from "./staff-auth.server";
import {
  beginStaffOidcLogin,
  completeStaffOidcLogin,
  staffOidcConfig,
  staffOidcOffer,
} from "./staff-oidc.server";

// The whole sign-in against the local stand-in, as the municipality's provider would do it:
// start, the provider's login page, the callback with state, nonce and PKCE checked.

const PUBLIC_URL = "http://localhost:3000";
const REDIRECT_URI = `${PUBLIC_URL}/staff/auth/callback`;
const UNVERIFIED = `unverified-${process.pid}@example.test`;
let idp: TestEid;

beforeAll(async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  // Before anything reads (and caches) the environment.
  Object.assign(process.env, {
    PUBLIC_URL,
    STAFF_OIDC_ISSUER: issuer,
    STAFF_OIDC_CLIENT_ID: "kravportal-staff-test",
    STAFF_OIDC_CLIENT_SECRET: "staff-test-secret-0123456789abcdef",
    STAFF_OIDC_DISPLAY_NAME: "Elvdal kommune",
  });
  idp = await startTestEid({
    port,
    issuer,
    clients: [],
    residents: [],
    staff: {
      clients: [
        {
          client_id: "kravportal-staff-test",
          client_secret: "staff-test-secret-0123456789abcdef",
          redirect_uris: [REDIRECT_URI],
          post_logout_redirect_uris: [`${PUBLIC_URL}/staff/login?loggedOut=1`],
        },
      ],
      accounts: [
        { email: "agent@elvdal.example", name: "Anne Agent" },
        { email: UNVERIFIED, name: "Not Verified", emailVerified: false },
      ],
    },
  });
  await seedDemo();
});

afterAll(async () => {
  await idp?.close();
  await disconnectDb();
});

let n = 0;
async function newStaff(creditorSlugs: string[]) {
  n += 1;
  const email = `oidc-${process.pid}-${n}@example.test`;
  const created = await createStaff({ email, name: `OIDC ${n}`, creditorSlugs, role: "AGENT" });
  return { email, ...created };
}

const cookieOf = (res: Response) => res.headers.get("Set-Cookie")?.split(";")[0] ?? "";

/** Starts a sign-in and runs the provider's part; returns the pending cookie and the callback URL. */
async function signInAtProvider(email: string, returnTo: unknown = "/staff") {
  const start = await beginStaffOidcLogin(
    new Request(`${PUBLIC_URL}/staff/login/oidc`, { method: "POST" }),
    returnTo,
  );
  expect(start.status).toBe(302);
  const authUrl = new URL(start.headers.get("Location")!);
  expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authUrl.searchParams.get("nonce")).toBeTruthy();
  expect(authUrl.searchParams.get("scope")).toBe("openid email profile");

  const browser = new Browser();
  const page = await browser.follow(
    await browser.request(authUrl.href),
    authUrl.href,
    REDIRECT_URI,
  );
  expect(page.res?.status).toBe(200);
  expect(await page.res!.text()).toContain("Work email address");
  const posted = await browser.request(page.url, { form: { email } });
  const done = await browser.follow(posted, page.url, REDIRECT_URI);
  expect(done.res, `expected a redirect to ${REDIRECT_URI}, got ${done.url}`).toBeUndefined();
  return { cookie: cookieOf(start), callback: done.url };
}

const callback = (url: string, cookie: string) =>
  completeStaffOidcLogin(new Request(url, { headers: { Cookie: cookie } }));

async function lastOidcEvent() {
  return db().event.findFirstOrThrow({
    where: { data: { path: ["method"], equals: "oidc" } },
    orderBy: { id: "desc" },
  });
}

const staffRequest = (cookie: string) =>
  new Request(`${PUBLIC_URL}/staff`, { headers: { Cookie: cookie } });

describe("staff sign-in through the municipality's identity provider", () => {
  it("is offered with the provider's name when configured", () => {
    expect(staffOidcConfig()?.redirectUri).toBe(REDIRECT_URI);
    expect(staffOidcOffer()).toEqual({ displayName: "Elvdal kommune" });
  });

  it("signs in an active staff member by email, without TOTP or a password change", async () => {
    const s = await newStaff(["elvdal", "vastkust"]);
    // Providers may spell the address differently from how the account was created.
    const { cookie, callback: url } = await signInAtProvider(
      s.email.toUpperCase(),
      "/staff/export",
    );
    const res = await callback(url, cookie);
    expect(res.status).toBe(302);
    // The one-time password is still in force, but the provider did the authentication.
    expect(res.headers.get("Location")).toBe("/staff/export");
    const session = cookieOf(res);
    expect(session).not.toBe(cookie);

    const staff = await requireStaff(staffRequest(session));
    const creditors = await db().creditor.findMany({
      where: { slug: { in: ["elvdal", "vastkust"] } },
    });
    expect(staff.staffId).toBe(s.staffId);
    expect(staff.creditorIds.sort()).toEqual(creditors.map((c) => c.id).sort());

    const event = await lastOidcEvent();
    expect(event).toMatchObject({ type: "staff.logged_in", actor: `staff:${s.staffId}` });
    expect(event.data).toEqual({ method: "oidc", staffId: s.staffId });
    const row = await db().session.findFirstOrThrow({
      where: { kind: "staff", data: { path: ["staffId"], equals: s.staffId } },
    });
    expect(row.data).toMatchObject({ signInMethod: "oidc" });

    // The pending login is used up: the same callback again is refused.
    const replay = await callback(url, cookie);
    expect(replay.headers.get("Location")).toBe("/staff/login?oidcError=failed");
  });

  it("gives a demo agent exactly their creditor, and never redirects off the staff pages", async () => {
    const { cookie, callback: url } = await signInAtProvider(
      "agent@elvdal.example",
      "https://evil.example/staff",
    );
    const res = await callback(url, cookie);
    expect(res.headers.get("Location")).toBe("/staff");
    const staff = await requireStaff(staffRequest(cookieOf(res)));
    const elvdal = await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } });
    expect(staff.creditorIds).toEqual([elvdal.id]);
  });

  it("refuses an identity with no staff account, and keeps no session or email", async () => {
    const email = `nobody-${process.pid}@example.test`;
    const { cookie, callback: url } = await signInAtProvider(email);
    const res = await callback(url, cookie);
    expect(res.headers.get("Location")).toBe("/staff/login?oidcError=no_account");
    expect(res.headers.get("Set-Cookie")).toMatch(/Expires=Thu, 01 Jan 1970/i);
    const event = await lastOidcEvent();
    expect(event).toMatchObject({
      type: "staff.login_failed",
      actor: "anonymous",
      data: { method: "oidc", reason: "unknown_identity" },
    });
    expect(JSON.stringify(event.data)).not.toContain("nobody");
  });

  it("refuses a disabled staff member", async () => {
    const s = await newStaff(["elvdal"]);
    await db().staff.update({ where: { id: s.staffId }, data: { disabledAt: new Date() } });
    const { cookie, callback: url } = await signInAtProvider(s.email);
    const res = await callback(url, cookie);
    expect(res.headers.get("Location")).toBe("/staff/login?oidcError=no_account");
    await expect(requireStaff(staffRequest(cookieOf(res)))).rejects.toBeInstanceOf(Response);
    expect(await lastOidcEvent()).toMatchObject({
      type: "staff.login_failed",
      actor: "anonymous",
      data: { method: "oidc", reason: "disabled", staffId: s.staffId },
    });
  });

  it("refuses an email the provider says is not verified", async () => {
    await createStaff({ email: UNVERIFIED, creditorSlugs: ["elvdal"], role: "AGENT" });
    const { cookie, callback: url } = await signInAtProvider(UNVERIFIED);
    const res = await callback(url, cookie);
    expect(res.headers.get("Location")).toBe("/staff/login?oidcError=failed");
    expect(await lastOidcEvent()).toMatchObject({
      type: "staff.login_failed",
      data: { reason: "email_not_verified" },
    });
  });

  it("refuses a callback that belongs to another sign-in attempt (state mismatch)", async () => {
    const s = await newStaff(["elvdal"]);
    const mine = await signInAtProvider(s.email);
    const theirs = await signInAtProvider(s.email);
    const res = await callback(theirs.callback, mine.cookie);
    expect(res.headers.get("Location")).toBe("/staff/login?oidcError=failed");
    expect(await lastOidcEvent()).toMatchObject({
      type: "staff.login_failed",
      actor: "anonymous",
      data: { method: "oidc", reason: "state_mismatch" },
    });
    const sessions = await db().session.count({
      where: { kind: "staff", data: { path: ["staffId"], equals: s.staffId } },
    });
    expect(sessions).toBe(0);
  });

  it("refuses a callback without a sign-in under way", async () => {
    const { callback: url } = await signInAtProvider("agent@elvdal.example");
    const res = await callback(url, "");
    expect(res.headers.get("Location")).toBe("/staff/login?oidcError=failed");
    expect((await lastOidcEvent()).data).toMatchObject({ reason: "expired" });
  });
});
