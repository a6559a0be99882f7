import { URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../../server/test-support/fixtures.ts";
import { db, disconnectDb } from "~/infra/db.server";
import { createStaff, verifyStaffLogin } from "./staff-auth.server";

// Every "restarted" module graph has its own database pool; all are closed at the end.
const pools: (() => Promise<void>)[] = [disconnectDb];
beforeAll(() => seedDemo());
afterAll(async () => {
  for (const close of pools) await close();
});

const T0 = new Date("2026-03-03T09:00:00Z");

let n = 0;
async function newStaff() {
  n += 1;
  const email = `totp-${process.pid}-${n}@example.test`;
  const created = await createStaff({ email, creditorSlugs: ["elvdal"], role: "AGENT" });
  const uri = URI.parse(created.otpauthUri);
  return {
    email,
    ...created,
    secret: uri.secret.base32,
    code: uri.generate({ timestamp: T0.getTime() }),
  };
}

/** The module as a freshly started process would load it: no state survives from before. */
async function freshModule() {
  vi.resetModules();
  pools.push((await import("~/infra/db.server")).disconnectDb);
  return import("./staff-credentials.server");
}

describe("the TOTP replay guard", () => {
  it("refuses a used code after a restart: nothing is kept in the process", async () => {
    const s = await newStaff();
    const first = await freshModule();
    expect(await first.consumeTotpCode(s.staffId, s.secret, s.code, T0, true)).toBe(true);
    const row = await db().staff.findUniqueOrThrow({ where: { id: s.staffId } });
    expect(row.totpLastCounter).toBe(Math.floor(T0.getTime() / 30_000));

    const restarted = await freshModule();
    expect(await restarted.consumeTotpCode(s.staffId, s.secret, s.code, T0, true)).toBe(false);
    // And through the login itself, on yet another "process".
    await freshModule();
    expect(await verifyStaffLogin(s.email, s.oneTimePassword, s.code, T0)).toEqual({
      ok: false,
      error: "invalid",
    });
  });

  it("lets exactly one of two simultaneous logins with one code through", async () => {
    const s = await newStaff();
    const results = await Promise.all([
      verifyStaffLogin(s.email, s.oneTimePassword, s.code, T0),
      verifyStaffLogin(s.email, s.oneTimePassword, s.code, T0),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);

    // The same at the guard itself, many at once.
    const t = await newStaff();
    const { consumeTotpCode } = await import("./staff-credentials.server");
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => consumeTotpCode(t.staffId, t.secret, t.code, T0, true)),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
  });

  it("checks without consuming when asked to, so a failed password does not burn the code", async () => {
    const s = await newStaff();
    const { consumeTotpCode } = await import("./staff-credentials.server");
    expect(await consumeTotpCode(s.staffId, s.secret, s.code, T0, false)).toBe(true);
    expect(await consumeTotpCode(s.staffId, s.secret, "000000x", T0, false)).toBe(false);
    const row = await db().staff.findUniqueOrThrow({ where: { id: s.staffId } });
    expect(row.totpLastCounter).toBeNull();
    expect(await consumeTotpCode(s.staffId, s.secret, s.code, T0, true)).toBe(true);
  });
});
