import { URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../../server/test-support/fixtures.ts";
import { renderStaffSecurityMail } from "~/integrations/mail/render-staff-security.server";
import type { StaffSecurityMailContent } from "~/integrations/mail/render-staff-security.server";
import { db, disconnectDb } from "~/infra/db.server";
import { changeStaffPassword, createStaff, verifyStaffLogin } from "./staff-auth.server";

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

const T0 = new Date("2026-03-02T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const codeAt = (uri: string, when: Date) => URI.parse(uri).generate({ timestamp: when.getTime() });
/** A six-digit code that is none of the three the window around `when` accepts. */
function wrongCodeAt(uri: string, when: Date): string {
  const valid = [-30, 0, 30].map((s) => codeAt(uri, new Date(when.getTime() + s * 1000)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, "0");
    if (!valid.includes(code)) return code;
  }
}

const PASSWORD = "a-new-password-for-lockout-tests";

async function activeStaff(tag: string) {
  const email = `lockout-${tag}-${process.pid}@example.test`;
  const created = await createStaff({
    email,
    name: `Lockout ${tag}`,
    creditorSlugs: ["elvdal"],
    role: "AGENT",
  });
  await changeStaffPassword(created.staffId, created.oneTimePassword, PASSWORD);
  return { email, ...created };
}

describe("a lockout per staff account after failed sign-ins", () => {
  it("19 wrong codes, then the right one: refused, and the account holder is told by mail", async () => {
    const s = await activeStaff("nineteen");
    for (let i = 0; i < 19; i++) {
      const when = at(i * 31);
      expect(
        await verifyStaffLogin(s.email, PASSWORD, wrongCodeAt(s.otpauthUri, when), when),
      ).toEqual({ ok: false, error: "invalid" });
    }
    const now = at(19 * 31);
    // The right password and the right code, still inside the first lock's quarter of an hour.
    expect(await verifyStaffLogin(s.email, PASSWORD, codeAt(s.otpauthUri, now), now)).toEqual({
      ok: false,
      error: "invalid",
    });

    const row = await db().staff.findUniqueOrThrow({ where: { id: s.staffId } });
    expect(row.failedLogins).toBe(5);
    expect(row.lockedUntil!.getTime()).toBe(at(4 * 31).getTime() + 15 * 60_000);
    // The code typed while locked was not spent: it still works once the lock has passed.
    expect(row.totpLastCounter).toBeNull();

    const locks = await db().event.findMany({
      where: { type: "staff.locked_out", data: { path: ["staffId"], equals: s.staffId } },
    });
    expect(locks).toHaveLength(1);
    expect(locks[0]!.data).toMatchObject({ failedLogins: 5, minutes: 15 });

    const mails = await db().outbox.findMany({ where: { kind: "staff_security", to: s.email } });
    expect(mails).toHaveLength(1);
    const mail = renderStaffSecurityMail(mails[0]!.content as unknown as StaffSecurityMailContent);
    // Elvdal is Norwegian: the mail is in Norwegian bokmål, with the time in Oslo's zone.
    expect(mail.subject).toContain("låst");
    expect(mail.text).toContain("5 ganger");
    expect(mail.text).toContain("11:17");
    expect(mail.text).not.toContain("2026-03-02T");
  });

  it("after the lock the right code signs in and the count starts again; the next lock is longer", async () => {
    const s = await activeStaff("expiry");
    for (let i = 0; i < 5; i++) {
      const when = at(i * 31);
      await verifyStaffLogin(s.email, PASSWORD, wrongCodeAt(s.otpauthUri, when), when);
    }
    const later = at(4 * 31 + 15 * 60 + 1);
    const signedIn = await verifyStaffLogin(s.email, PASSWORD, codeAt(s.otpauthUri, later), later);
    expect(signedIn).toMatchObject({ ok: true, staffId: s.staffId });
    expect((await db().staff.findUniqueOrThrow({ where: { id: s.staffId } })).failedLogins).toBe(0);

    // Ten more failures: a first lock of 15 minutes, and after it a second of 30.
    let when = later;
    for (let i = 0; i < 10; i++) {
      when = new Date(later.getTime() + (i + 1) * 31_000 + (i >= 5 ? 15 * 60_000 : 0));
      await verifyStaffLogin(s.email, PASSWORD, wrongCodeAt(s.otpauthUri, when), when);
    }
    const row = await db().staff.findUniqueOrThrow({ where: { id: s.staffId } });
    expect(row.failedLogins).toBe(10);
    expect(row.lockedUntil!.getTime()).toBe(when.getTime() + 30 * 60_000);
  });

  it("a wrong password counts too; an unknown email locks nothing and queues nothing", async () => {
    const s = await activeStaff("password");
    for (let i = 0; i < 5; i++) {
      const when = at(i * 31);
      await verifyStaffLogin(s.email, "not the password", codeAt(s.otpauthUri, when), when);
    }
    expect(
      (await db().staff.findUniqueOrThrow({ where: { id: s.staffId } })).lockedUntil,
    ).not.toBeNull();
    const outboxBefore = await db().outbox.count();
    for (let i = 0; i < 6; i++)
      await verifyStaffLogin(`nobody-${i}@example.test`, PASSWORD, "123456", at(i));
    expect(await db().outbox.count()).toBe(outboxBefore);
  });
});
