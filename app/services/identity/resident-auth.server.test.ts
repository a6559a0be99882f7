import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freePort } from "../../../server/test-support/http-browser.ts";
import { seedDemo } from "../../../server/test-support/fixtures.ts";
import { startTestEid, type TestEid } from "../../../server/dev/test-eid.ts";
import { DEMO_RESIDENTS } from "../../../prisma/demo-data.ts";
import { db, disconnectDb } from "~/infra/db.server";
import { encryptPersonalData } from "~/infra/pii.server";
import {
  beginLogin,
  completeLogin,
  currentResident,
  logout,
  requireResident,
} from "./resident-auth.server";

// A resident's whole eID login against the local stand-in, and what the session row keeps of it:
// the ID token names the identity number, so the row holds it encrypted (decision 0117).

const PUBLIC_URL = "http://localhost:3000";
const REDIRECT_URI = `${PUBLIC_URL}/auth/callback`;
const LOGGED_OUT = `${PUBLIC_URL}/?loggedOut=1`;
const astrid = DEMO_RESIDENTS.find((r) => r.key === "astrid")!;
let eid: TestEid;

beforeAll(async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  // Before anything reads (and caches) the environment.
  Object.assign(process.env, {
    PUBLIC_URL,
    EID_ISSUER: issuer,
    EID_CLIENT_ID: "kravportal-resident-test",
    EID_CLIENT_SECRET: "resident-test-secret-0123456789abcdef",
  });
  eid = await startTestEid({
    port,
    issuer,
    clients: [
      {
        client_id: "kravportal-resident-test",
        client_secret: "resident-test-secret-0123456789abcdef",
        redirect_uris: [REDIRECT_URI],
        post_logout_redirect_uris: [LOGGED_OUT],
      },
    ],
    residents: [{ nationalId: astrid.nationalId, name: astrid.name }],
  });
  await seedDemo();
});

afterAll(async () => {
  await eid?.close();
  await disconnectDb();
});

const cookieOf = (res: Response) => res.headers.get("Set-Cookie")?.split(";")[0] ?? "";

/** Logs Astrid in through the eID stand-in; returns the portal session's cookie. */
async function logInAsAstrid(browserCookie = ""): Promise<string> {
  const start = await beginLogin(
    new Request(`${PUBLIC_URL}/login`, {
      method: "POST",
      headers: browserCookie ? { Cookie: browserCookie } : {},
    }),
    "/claims",
  );
  expect(start.status).toBe(302);
  const authUrl = start.headers.get("Location")!;
  const browser = new Browser();
  const page = await browser.follow(await browser.request(authUrl), authUrl, REDIRECT_URI);
  expect(page.res?.status).toBe(200);
  const posted = await browser.request(page.url, { form: { nationalId: astrid.nationalId } });
  const done = await browser.follow(posted, page.url, REDIRECT_URI);
  expect(done.res, `expected a redirect to ${REDIRECT_URI}, got ${done.url}`).toBeUndefined();
  const finished = await completeLogin(
    new Request(done.url, { headers: { Cookie: cookieOf(start) } }),
  );
  expect(finished.status).toBe(302);
  expect(finished.headers.get("Location")).toBe("/claims");
  return cookieOf(finished);
}

async function sessionRowOf(cookie: string) {
  const resident = await currentResident(
    new Request(`${PUBLIC_URL}/claims`, { headers: { Cookie: cookie } }),
  );
  expect(resident?.name).toBe(astrid.name);
  const rows = await db().session.findMany({
    where: { kind: "resident", data: { path: ["residentId"], equals: resident!.residentId! } },
    orderBy: { createdAt: "desc" },
    take: 1,
  });
  return rows[0]!;
}

/** The claims of a JWT's payload, unverified (the test eID signed it; we only read it here). */
const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;

describe("a resident's eID session", () => {
  it("keeps the ID token encrypted: the row names neither the token nor the identity number", async () => {
    const cookie = await logInAsAstrid();
    const row = await sessionRowOf(cookie);
    const stored = JSON.stringify(row.data);
    expect(stored).not.toContain(astrid.nationalId);
    // A JWT's header begins "eyJ" ('{"' in base64url): no token in the clear.
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect((row.data as Record<string, unknown>).idTokenCipher).toMatch(/^v1:/);
  });

  it("still logs out of the eID service too, with the token as its hint", async () => {
    const cookie = await logInAsAstrid();
    const res = await logout(
      new Request(`${PUBLIC_URL}/logout`, { method: "POST", headers: { Cookie: cookie } }),
    );
    expect(res.status).toBe(302);
    const target = new URL(res.headers.get("Location")!);
    expect(target.origin).toBe(new URL(process.env.EID_ISSUER!).origin);
    const hint = target.searchParams.get("id_token_hint")!;
    expect(payloadOf(hint).pid).toBe(astrid.nationalId);
    expect(target.searchParams.get("post_logout_redirect_uri")).toBe(LOGGED_OUT);
  });

  it("logs out of the portal alone when the key no longer opens the token", async () => {
    const cookie = await logInAsAstrid();
    const row = await sessionRowOf(cookie);
    const otherKey = Buffer.alloc(32, 7).toString("base64");
    await db().session.update({
      where: { id: row.id },
      data: {
        data: {
          ...(row.data as Record<string, unknown>),
          idTokenCipher: encryptPersonalData("a.b.c", otherKey),
        },
      },
    });
    const res = await logout(
      new Request(`${PUBLIC_URL}/logout`, { method: "POST", headers: { Cookie: cookie } }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/?loggedOut=1");
    expect(await db().session.findUnique({ where: { id: row.id } })).toBeNull();
  });
});

describe("a session that ended while the browser was away", () => {
  /** Where requireResident sends this request (it throws a redirect). */
  const sentTo = async (method: string, cookie: string) => {
    const request = new Request(`${PUBLIC_URL}/claims/x/dispute`, {
      method,
      headers: cookie ? { Cookie: cookie } : {},
    });
    const thrown = await requireResident(request).then(
      () => null,
      (r: unknown) => r,
    );
    expect(thrown).toBeInstanceOf(Response);
    return (thrown as Response).headers.get("Location");
  };
  const idleOut = (cookie: string) =>
    sessionRowOf(cookie).then((row) =>
      db().session.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1) } }),
    );

  it("says so on the start page, and that a form sent after it was not taken", async () => {
    const cookie = await logInAsAstrid();
    await idleOut(cookie);
    const back = `/?returnTo=${encodeURIComponent("/claims/x/dispute")}`;
    expect(await sentTo("GET", cookie)).toBe(`${back}&ended=1`);
    expect(await sentTo("POST", cookie)).toBe(`${back}&ended=unsent`);
    // A browser that never had a session is simply asked to log in.
    expect(await sentTo("POST", "")).toBe(back);
  });

  it("lets the resident log in again from that browser (the login used to fail as 'expired')", async () => {
    const cookie = await logInAsAstrid();
    await idleOut(cookie);
    const again = await logInAsAstrid(cookie);
    expect(again).not.toBe(cookie);
    const resident = await currentResident(
      new Request(`${PUBLIC_URL}/claims`, { headers: { Cookie: again } }),
    );
    expect(resident?.name).toBe(astrid.name);
  });
});
