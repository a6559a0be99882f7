import { URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures.ts";
import { db, disconnectDb } from "~/infra/db.server";
import {
  changeStaffPassword,
  createStaff,
  requireStaff,
  staffCanSeeCreditor,
  StaffEmailTakenError,
  staffTimeZone,
  verifyStaffLogin,
} from "./staff-auth.server";
import { UnknownCreditorError } from "./api-keys.server";
import { endStaffSession, startStaffSession } from "./staff-session.server";

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

const T0 = new Date("2026-03-02T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const codeAt = (uri: string, when: Date) => URI.parse(uri).generate({ timestamp: when.getTime() });

let n = 0;
async function newStaff(creditorSlugs = ["elvdal"], role: "AGENT" | "ADMIN" = "AGENT") {
  n += 1;
  const email = `staff-${process.pid}-${n}@example.test`;
  const created = await createStaff({ email, name: `Test ${n}`, creditorSlugs, role });
  return { email, ...created };
}

async function cookieFor(staffId: string, mustChangePassword: boolean) {
  const res = await startStaffSession(
    new Request("http://localhost/staff/login"),
    { staffId, mustChangePassword },
    "/staff",
  );
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

const staffRequest = (cookie?: string, path = "/staff") =>
  new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown response");
}

describe("createStaff", () => {
  it("stores an argon2id hash and an encrypted TOTP secret, and records who was given access", async () => {
    const s = await newStaff(["elvdal", "vastkust"]);
    expect(s.otpauthUri).toMatch(/^otpauth:\/\/totp\/Kravportal:/);
    const totp = URI.parse(s.otpauthUri);
    expect(totp).toMatchObject({ issuer: "Kravportal", algorithm: "SHA1", digits: 6 });
    expect(totp.label).toBe(s.email);
    const secret = totp.secret.base32;
    expect(totp.secret.bytes.length).toBe(20);

    const row = await db().staff.findUniqueOrThrow({ where: { id: s.staffId } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.mustChangePassword).toBe(true);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(totp.secret.bytes).toString("hex"));
    expect(stored).not.toContain(s.oneTimePassword);

    const events = await db().event.findMany({
      where: { type: "staff.created", data: { path: ["staffId"], equals: s.staffId } },
    });
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.actor === "cli" && e.creditorId)).toBe(true);
  });

  it("refuses an unknown creditor and a taken email, creating nothing", async () => {
    const before = await db().staff.count();
    await expect(
      createStaff({ email: "x@example.test", creditorSlugs: ["nowhere"], role: "AGENT" }),
    ).rejects.toBeInstanceOf(UnknownCreditorError);
    const s = await newStaff();
    await expect(
      createStaff({ email: s.email.toUpperCase(), creditorSlugs: ["elvdal"], role: "AGENT" }),
    ).rejects.toBeInstanceOf(StaffEmailTakenError);
    expect(await db().staff.count()).toBe(before + 1);
  });
});

describe("verifyStaffLogin", () => {
  it("accepts the one-time password with a current code and asks for a new password", async () => {
    const s = await newStaff();
    const result = await verifyStaffLogin(s.email, s.oneTimePassword, codeAt(s.otpauthUri, T0), T0);
    expect(result).toEqual({ ok: true, staffId: s.staffId, mustChangePassword: true });
    const event = await db().event.findFirstOrThrow({
      where: { type: "staff.logged_in", actor: `staff:${s.staffId}` },
    });
    expect(JSON.stringify(event.data)).not.toContain(s.oneTimePassword);
  });

  it("answers the same 'invalid' to every kind of failure and logs each without secrets", async () => {
    const s = await newStaff();
    const code = codeAt(s.otpauthUri, T0);
    const wrongCode = codeAt(s.otpauthUri, at(600));
    const invalid = { ok: false, error: "invalid" };
    const failedBefore = await db().event.count({ where: { type: "staff.login_failed" } });
    expect(await verifyStaffLogin(s.email, "wrong password", code, T0)).toEqual(invalid);
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, wrongCode, T0)).toEqual(invalid);
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, "12345", T0)).toEqual(invalid);
    expect(await verifyStaffLogin("nobody@example.test", "whatever", code, T0)).toEqual(invalid);
    const failed = await db().event.findMany({
      where: { type: "staff.login_failed" },
      orderBy: { id: "desc" },
      take: 4,
    });
    expect(await db().event.count({ where: { type: "staff.login_failed" } })).toBe(
      failedBefore + 4,
    );
    expect(failed.every((e) => e.actor === "anonymous")).toBe(true);
    const text = JSON.stringify(failed.map((e) => e.data));
    for (const secret of [s.oneTimePassword, "wrong password", code, "nobody@"])
      expect(text).not.toContain(secret);
  });

  it("accepts a code one step off for clock drift, but not two", async () => {
    const s = await newStaff();
    expect(
      await verifyStaffLogin(s.email, s.oneTimePassword, codeAt(s.otpauthUri, at(-90)), T0),
    ).toMatchObject({ ok: false });
    expect(
      await verifyStaffLogin(s.email, s.oneTimePassword, codeAt(s.otpauthUri, at(-30)), T0),
    ).toMatchObject({ ok: true });
  });

  it("refuses a code that was already used, but a failed password does not burn it", async () => {
    const s = await newStaff();
    const code = codeAt(s.otpauthUri, T0);
    expect(await verifyStaffLogin(s.email, "not it", code, T0)).toMatchObject({ ok: false });
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, code, T0)).toMatchObject({
      ok: true,
    });
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, code, at(5))).toMatchObject({
      ok: false,
    });
    // An older code, shown before the one just used, is refused too.
    const earlier = codeAt(s.otpauthUri, at(-30));
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, earlier, at(5))).toMatchObject({
      ok: false,
    });
    const next = codeAt(s.otpauthUri, at(30));
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, next, at(30))).toMatchObject({
      ok: true,
    });
  });

  it("refuses a disabled account even with the right password and code", async () => {
    const s = await newStaff();
    await db().staff.update({ where: { id: s.staffId }, data: { disabledAt: T0 } });
    const result = await verifyStaffLogin(s.email, s.oneTimePassword, codeAt(s.otpauthUri, T0), T0);
    expect(result).toEqual({ ok: false, error: "invalid" });
  });
});

describe("changeStaffPassword", () => {
  it("needs the current password, 12 characters, and something other than the one-time password", async () => {
    const s = await newStaff();
    const good = "correct horse battery staple";
    expect(await changeStaffPassword(s.staffId, s.oneTimePassword, "short")).toEqual({
      ok: false,
      error: "too_short",
    });
    expect(await changeStaffPassword(s.staffId, "not the password", good)).toEqual({
      ok: false,
      error: "invalid_current",
    });
    expect(await changeStaffPassword(s.staffId, s.oneTimePassword, s.oneTimePassword)).toEqual({
      ok: false,
      error: "same_as_current",
    });
    const other = await cookieFor(s.staffId, true);
    expect(await changeStaffPassword(s.staffId, s.oneTimePassword, good)).toEqual({ ok: true });

    // Sessions opened with the old password are over.
    expect((await thrown(requireStaff(staffRequest(other)))).headers.get("Location")).toMatch(
      /^\/staff\/login/,
    );
    const code = codeAt(s.otpauthUri, at(60));
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, code, at(60))).toMatchObject({
      ok: false,
    });
    expect(await verifyStaffLogin(s.email, good, code, at(60))).toEqual({
      ok: true,
      staffId: s.staffId,
      mustChangePassword: false,
    });
  });
});

describe("requireStaff and staff sessions", () => {
  it("sends a visitor without a staff session to the login page, and back afterwards", async () => {
    const res = await thrown(requireStaff(staffRequest(undefined, "/staff/queue?x=1")));
    expect(res.headers.get("Location")).toBe("/staff/login?returnTo=%2Fstaff%2Fqueue%3Fx%3D1");
  });

  it("holds a staff member at the password page until the one-time password is replaced", async () => {
    const s = await newStaff();
    const cookie = await cookieFor(s.staffId, true);
    expect(cookie.startsWith("kp_staff=")).toBe(true);
    const res = await thrown(requireStaff(staffRequest(cookie)));
    expect(res.headers.get("Location")).toBe("/staff/password");
    const user = await requireStaff(staffRequest(cookie), { allowPasswordChange: true });
    expect(user.staffId).toBe(s.staffId);
  });

  it("lists only the staff member's own creditors, checks roles, and ends at logout", async () => {
    const s = await newStaff(["elvdal"]);
    await db().staff.update({ where: { id: s.staffId }, data: { mustChangePassword: false } });
    const cookie = await cookieFor(s.staffId, false);
    const user = await requireStaff(staffRequest(cookie));
    const elvdal = await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } });
    const vastkust = await db().creditor.findUniqueOrThrow({ where: { slug: "vastkust" } });
    expect(user).toEqual({
      staffId: s.staffId,
      email: s.email,
      name: expect.any(String),
      role: "AGENT",
      creditorIds: [elvdal.id],
    });
    expect(staffCanSeeCreditor(user, elvdal.id)).toBe(true);
    expect(staffCanSeeCreditor(user, vastkust.id)).toBe(false);
    expect((await thrown(requireStaff(staffRequest(cookie), { roles: ["ADMIN"] }))).status).toBe(
      403,
    );

    // A resident's cookie is no staff session, whatever it holds.
    const residentCookie = cookie.replace(/^kp_staff=/, "kp_session=");
    await thrown(requireStaff(staffRequest(residentCookie)));

    const out = await endStaffSession(staffRequest(cookie));
    expect(out.headers.get("Location")).toBe("/staff/login?loggedOut=1");
    await thrown(requireStaff(staffRequest(cookie)));
  });

  it("rotates the session id at login", async () => {
    const s = await newStaff();
    const first = await cookieFor(s.staffId, true);
    const res = await startStaffSession(
      staffRequest(first),
      { staffId: s.staffId, mustChangePassword: true },
      "/staff",
    );
    const second = res.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(second).not.toBe(first);
    await thrown(requireStaff(staffRequest(first), { allowPasswordChange: true }));
  });
});

describe("staffTimeZone", () => {
  it("is the clock most of the staff member's creditors keep, not Stockholm's", async () => {
    const tag = `${process.pid}-${Date.now()}`;
    const make = async (slug: string, timeZone: string) => {
      const { creditor } = await createTestCreditor(`${slug}-${tag}`);
      await db().creditor.update({ where: { id: creditor.id }, data: { timeZone } });
      return creditor.id;
    };
    const london = [await make("tz-a", "Europe/London"), await make("tz-b", "Europe/London")];
    // West of Oslo, so the daily-sweeps test (06:00 local, run at 05:30 UTC) finds them not due.
    const reykjavik = await make("tz-c", "Atlantic/Reykjavik");
    expect(await staffTimeZone({ creditorIds: [reykjavik] })).toBe("Atlantic/Reykjavik");
    expect(await staffTimeZone({ creditorIds: [...london, reykjavik] })).toBe("Europe/London");
    expect(await staffTimeZone({ creditorIds: [] })).toBe("UTC");
  });
});
