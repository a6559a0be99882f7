import { URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "~/generated/prisma/client.ts";
import { seedDemo } from "../../../server/test-support/fixtures.ts";
import { db, disconnectDb } from "~/infra/db.server";
import {
  adminCreateStaff,
  changeStaffRole,
  listManagedStaff,
  resetStaffPassword,
  resetStaffTotp,
  setStaffDisabled,
} from "./staff-admin.server";
import { createStaff, requireStaff, type StaffUser, verifyStaffLogin } from "./staff-auth.server";
import { startStaffSession } from "./staff-session.server";

const T0 = new Date("2026-03-04T08:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const codeAt = (uri: string, when: Date) => URI.parse(uri).generate({ timestamp: when.getTime() });

let elvdal: string;
let vastkust: string;
beforeAll(async () => {
  await seedDemo();
  elvdal = (await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } })).id;
  vastkust = (await db().creditor.findUniqueOrThrow({ where: { slug: "vastkust" } })).id;
});
afterAll(() => disconnectDb());

let n = 0;
async function newStaff(creditorSlugs: string[], role: StaffRole = "AGENT") {
  n += 1;
  const email = `admin-test-${process.pid}-${n}@example.test`;
  const created = await createStaff({ email, name: `Person ${n}`, creditorSlugs, role });
  const row = await db().staff.findUniqueOrThrow({
    where: { id: created.staffId },
    include: { creditors: true },
  });
  const user: StaffUser = {
    staffId: row.id,
    email,
    name: row.name,
    role,
    creditorIds: row.creditors.map((c) => c.creditorId),
  };
  return { ...created, email, user };
}

async function signedIn(staffId: string) {
  await db().staff.update({ where: { id: staffId }, data: { mustChangePassword: false } });
  const res = await startStaffSession(
    new Request("http://localhost/staff/login"),
    { staffId, mustChangePassword: false },
    "/staff",
  );
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

const sessionsOf = (staffId: string) =>
  db().session.count({ where: { kind: "staff", data: { path: ["staffId"], equals: staffId } } });

/** requireStaff's answer for this cookie: the staff member, or where it redirects. */
async function who(cookie: string) {
  try {
    return (
      await requireStaff(new Request("http://localhost/staff", { headers: { Cookie: cookie } }))
    ).staffId;
  } catch (error) {
    if (error instanceof Response) return error.headers.get("Location");
    throw error;
  }
}

const eventsFor = (staffId: string, type: string) =>
  db().event.findMany({ where: { type, data: { path: ["staffId"], equals: staffId } } });

describe("scoping", () => {
  it("shows an admin only staff who share a creditor, with only the shared creditors", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const both = await newStaff(["elvdal", "vastkust"]);
    const other = await newStaff(["vastkust"]);
    const list = (await listManagedStaff(admin.user))!;
    const ids = list.map((s) => s.id);
    expect(ids).toContain(both.staffId);
    expect(ids).toContain(admin.staffId);
    expect(ids).not.toContain(other.staffId);
    expect(list.find((s) => s.id === both.staffId)).toMatchObject({
      creditors: [{ id: elvdal, name: "Elvdal kommune" }],
      status: "must_change_password",
      role: "AGENT",
    });
    expect(list.find((s) => s.id === admin.staffId)?.isSelf).toBe(true);
  });

  it("cannot touch staff of another creditor: for the admin they do not exist", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const other = await newStaff(["vastkust"]);
    const ref = { staffId: other.staffId };
    const before = await db().staff.findUniqueOrThrow({ where: { id: other.staffId } });
    const notFound = { ok: false, error: "not_found" };
    expect(await setStaffDisabled(admin.user, ref, true, T0)).toEqual(notFound);
    expect(await resetStaffPassword(admin.user, ref, T0)).toEqual(notFound);
    expect(await resetStaffTotp(admin.user, ref, T0)).toEqual(notFound);
    expect(await changeStaffRole(admin.user, ref, "SUPERVISOR", T0)).toEqual(notFound);
    expect(await setStaffDisabled(admin.user, { staffId: "not-a-uuid" }, true, T0)).toEqual(
      notFound,
    );
    expect(await db().staff.findUniqueOrThrow({ where: { id: other.staffId } })).toEqual(before);
    expect(await db().event.count({ where: { actor: `staff:${admin.staffId}` } })).toBe(0);
  });

  it("cannot take over someone who also works for another creditor (but may disable them)", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const both = await newStaff(["elvdal", "vastkust"]);
    const ref = { staffId: both.staffId };
    const before = await db().staff.findUniqueOrThrow({ where: { id: both.staffId } });
    const refused = { ok: false, error: "other_creditor" };
    expect(await resetStaffPassword(admin.user, ref, T0)).toEqual(refused);
    expect(await resetStaffTotp(admin.user, ref, T0)).toEqual(refused);
    expect(await changeStaffRole(admin.user, ref, "ADMIN", T0)).toEqual(refused);
    expect(await db().staff.findUniqueOrThrow({ where: { id: both.staffId } })).toEqual(before);
    expect(await db().event.count({ where: { actor: `staff:${admin.staffId}` } })).toBe(0);
    // An administrator of both creditors may.
    const both2 = await newStaff(["elvdal", "vastkust"], "ADMIN");
    expect(await resetStaffPassword(both2.user, ref, T0)).toMatchObject({ ok: true });
  });

  it("grants only the admin's own creditors, creating nothing otherwise", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const before = await db().staff.count();
    const input = { email: `new-${process.pid}-b@example.test`, name: "B", role: "AGENT" as const };
    expect(
      await adminCreateStaff(admin.user, { ...input, creditorIds: [elvdal, vastkust] }, T0),
    ).toEqual({ ok: false, error: "creditor_not_allowed" });
    expect(await adminCreateStaff(admin.user, { ...input, creditorIds: [] }, T0)).toEqual({
      ok: false,
      error: "no_creditor",
    });
    expect(
      await adminCreateStaff(admin.user, { ...input, email: "nope", creditorIds: [elvdal] }, T0),
    ).toEqual({ ok: false, error: "invalid_email" });
    expect(
      await adminCreateStaff(
        admin.user,
        { ...input, email: admin.email, creditorIds: [elvdal] },
        T0,
      ),
    ).toEqual({ ok: false, error: "email_taken" });
    expect(await db().staff.count()).toBe(before);
  });

  it("refuses everything to a staff member who is not an admin", async () => {
    const supervisor = await newStaff(["elvdal"], "SUPERVISOR");
    const agent = await newStaff(["elvdal"]);
    const forbidden = { ok: false, error: "forbidden" };
    const ref = { staffId: agent.staffId };
    expect(await listManagedStaff(supervisor.user)).toBeNull();
    expect(await setStaffDisabled(supervisor.user, ref, true, T0)).toEqual(forbidden);
    expect(await resetStaffPassword(supervisor.user, ref, T0)).toEqual(forbidden);
    expect(await resetStaffTotp(supervisor.user, ref, T0)).toEqual(forbidden);
    expect(await changeStaffRole(supervisor.user, ref, "ADMIN", T0)).toEqual(forbidden);
    expect(
      await adminCreateStaff(
        supervisor.user,
        { email: `x-${process.pid}@example.test`, name: "", role: "ADMIN", creditorIds: [elvdal] },
        T0,
      ),
    ).toEqual(forbidden);
    expect(await db().staff.findUniqueOrThrow({ where: { id: agent.staffId } })).toMatchObject({
      disabledAt: null,
      role: "AGENT",
    });
  });
});

describe("managing an account", () => {
  it("creates an account whose one-time credentials work once, recorded as the admin's act", async () => {
    const admin = await newStaff(["elvdal", "vastkust"], "ADMIN");
    const email = `created-${process.pid}@example.test`;
    const r = await adminCreateStaff(
      admin.user,
      { email, name: "Nils Ny", role: "SUPERVISOR", creditorIds: [vastkust] },
      T0,
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(await verifyStaffLogin(email, r.oneTimePassword, codeAt(r.otpauthUri, T0), T0)).toEqual({
      ok: true,
      staffId: r.staffId,
      mustChangePassword: true,
    });
    const events = await eventsFor(r.staffId, "staff.created");
    expect(events.map((e) => [e.actor, e.creditorId])).toEqual([
      [`staff:${admin.staffId}`, vastkust],
    ]);
  });

  it("disables: sessions end at once, sign-in is refused; enabling lets them back in", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const agent = await newStaff(["elvdal", "vastkust"]);
    const cookie = await signedIn(agent.staffId);
    expect(await who(cookie)).toBe(agent.staffId);

    expect(await setStaffDisabled(admin.user, { staffId: agent.staffId }, true, T0)).toEqual({
      ok: true,
    });
    expect(await sessionsOf(agent.staffId)).toBe(0);
    expect(await who(cookie)).toMatch(/^\/staff\/login/);
    const code = codeAt(agent.otpauthUri, T0);
    expect(await verifyStaffLogin(agent.email, agent.oneTimePassword, code, T0)).toEqual({
      ok: false,
      error: "invalid",
    });
    expect((await listManagedStaff(admin.user))!.find((s) => s.id === agent.staffId)?.status).toBe(
      "disabled",
    );
    // The event is written under the creditor they share, not under Västkust.
    const disabled = await eventsFor(agent.staffId, "staff.disabled");
    expect(disabled.map((e) => [e.actor, e.creditorId])).toEqual([
      [`staff:${admin.staffId}`, elvdal],
    ]);
    // Disabling twice changes nothing and records nothing more.
    await setStaffDisabled(admin.user, { staffId: agent.staffId }, true, T0);
    expect(await eventsFor(agent.staffId, "staff.disabled")).toHaveLength(1);

    expect(await setStaffDisabled(admin.user, { staffId: agent.staffId }, false, at(60))).toEqual({
      ok: true,
    });
    expect(await eventsFor(agent.staffId, "staff.enabled")).toHaveLength(1);
    expect(
      await verifyStaffLogin(
        agent.email,
        agent.oneTimePassword,
        codeAt(agent.otpauthUri, at(60)),
        at(60),
      ),
    ).toMatchObject({ ok: true });
  });

  it("refuses a session of a disabled member even if its row survived", async () => {
    const agent = await newStaff(["elvdal"]);
    const cookie = await signedIn(agent.staffId);
    await db().staff.update({ where: { id: agent.staffId }, data: { disabledAt: T0 } });
    expect(await sessionsOf(agent.staffId)).toBe(1);
    expect(await who(cookie)).toMatch(/^\/staff\/login/);
  });

  it("will not let an admin disable, demote or reset themself", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const self = { staffId: admin.staffId };
    const refused = { ok: false, error: "self" };
    expect(await setStaffDisabled(admin.user, self, true, T0)).toEqual(refused);
    expect(await changeStaffRole(admin.user, self, "AGENT", T0)).toEqual(refused);
    expect(await resetStaffPassword(admin.user, self, T0)).toEqual(refused);
    expect(await resetStaffTotp(admin.user, self, T0)).toEqual(refused);
    expect(await db().staff.findUniqueOrThrow({ where: { id: admin.staffId } })).toMatchObject({
      disabledAt: null,
      role: "ADMIN",
    });
  });

  it("resets a password: a new one-time password that must be changed, sessions ended", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const agent = await newStaff(["elvdal"]);
    const cookie = await signedIn(agent.staffId);
    const r = await resetStaffPassword(admin.user, { staffId: agent.staffId }, T0);
    if (!r.ok) throw new Error(r.error);
    expect(r.oneTimePassword).not.toBe(agent.oneTimePassword);
    expect(await who(cookie)).toMatch(/^\/staff\/login/);
    const row = await db().staff.findUniqueOrThrow({ where: { id: agent.staffId } });
    expect(row.mustChangePassword).toBe(true);
    expect(JSON.stringify(row)).not.toContain(r.oneTimePassword);
    const code = codeAt(agent.otpauthUri, T0);
    expect(await verifyStaffLogin(agent.email, agent.oneTimePassword, code, T0)).toMatchObject({
      ok: false,
    });
    expect(await verifyStaffLogin(agent.email, r.oneTimePassword, code, T0)).toEqual({
      ok: true,
      staffId: agent.staffId,
      mustChangePassword: true,
    });
    const [event] = await eventsFor(agent.staffId, "staff.password_reset");
    expect(event).toMatchObject({ actor: `staff:${admin.staffId}`, creditorId: elvdal });
    expect(JSON.stringify(event!.data)).not.toContain(r.oneTimePassword);
  });

  it("resets TOTP: old codes stop working, the new secret works, the guard starts afresh", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const agent = await newStaff(["elvdal"]);
    expect(
      await verifyStaffLogin(
        agent.email,
        agent.oneTimePassword,
        codeAt(agent.otpauthUri, at(600)),
        at(600),
      ),
    ).toMatchObject({ ok: true });
    const cookie = await signedIn(agent.staffId);
    const r = await resetStaffTotp(admin.user, { staffId: agent.staffId }, T0);
    if (!r.ok) throw new Error(r.error);
    expect(await who(cookie)).toMatch(/^\/staff\/login/);
    const row = await db().staff.findUniqueOrThrow({ where: { id: agent.staffId } });
    expect(row.totpLastCounter).toBeNull();
    expect(JSON.stringify(row)).not.toContain(URI.parse(r.otpauthUri).secret.base32);
    const password = agent.oneTimePassword;
    expect(
      await verifyStaffLogin(agent.email, password, codeAt(agent.otpauthUri, T0), T0),
    ).toMatchObject({ ok: false });
    // A time before the last code used under the old secret: the counter was reset with it.
    expect(
      await verifyStaffLogin(agent.email, password, codeAt(r.otpauthUri, T0), T0),
    ).toMatchObject({ ok: true });
    expect(await eventsFor(agent.staffId, "staff.totp_reset")).toHaveLength(1);
  });

  it("changes a role, recording from and to", async () => {
    const admin = await newStaff(["elvdal"], "ADMIN");
    const agent = await newStaff(["elvdal"]);
    expect(await changeStaffRole(admin.user, { staffId: agent.staffId }, "SUPERVISOR", T0)).toEqual(
      { ok: true },
    );
    const cookie = await signedIn(agent.staffId);
    const user = await requireStaff(
      new Request("http://localhost/staff", { headers: { Cookie: cookie } }),
    );
    expect(user.role).toBe("SUPERVISOR");
    const [event] = await eventsFor(agent.staffId, "staff.role_changed");
    expect(event).toMatchObject({
      actor: `staff:${admin.staffId}`,
      data: expect.objectContaining({ from: "AGENT", to: "SUPERVISOR" }),
    });
  });
});

describe("the operator at the command line", () => {
  it("reaches any staff member by email, and records the act as the CLI's", async () => {
    const agent = await newStaff(["vastkust"]);
    expect(
      await setStaffDisabled("operator", { email: agent.email.toUpperCase() }, true, T0),
    ).toEqual({ ok: true });
    const [event] = await eventsFor(agent.staffId, "staff.disabled");
    expect(event).toMatchObject({ actor: "cli", creditorId: vastkust });
    expect(await setStaffDisabled("operator", { email: "nobody@example.test" }, true, T0)).toEqual({
      ok: false,
      error: "not_found",
    });
  });
});
