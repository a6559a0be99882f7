import { recordEvent, recordEvents } from "../events/events.server";
import { redirect } from "@remix-run/node";
import { Prisma, type StaffRole } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { getStaffSession } from "~/infra/session.server";
import { UnknownCreditorError } from "./api-keys.server";
import { recordFailedLogin } from "./staff-lockout.server";
import {
  consumeTotpCode,
  decryptTotpSecret,
  encryptTotpSecret,
  generateOneTimePassword,
  generateTotp,
  hashPassword,
  verifyPassword,
} from "./staff-credentials.server";

export class StaffEmailTakenError extends Error {
  constructor(email: string) {
    super(`A staff member with email "${email}" already exists`);
  }
}

export class StaffInputError extends Error {}

export type StaffUser = {
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
  creditorIds: string[];
};

const normaliseEmail = (email: string) => email.trim().toLowerCase();
const occurredOn = (now: Date) => todayIn("UTC", now);

export const PASSWORD_MIN_LENGTH = 12;
// argon2 takes any length, but a megabyte "password" is a cheap way to make us work.
export const PASSWORD_MAX_LENGTH = 256;

/**
 * A staff account is made by an operator, never by sign-up: it starts with a one-time password
 * and a TOTP secret that are shown once and must be handed over in person.
 */
export async function createStaff(input: {
  email: string;
  name?: string;
  creditorSlugs: string[];
  role: StaffRole;
  now?: Date;
  /** Who creates the account, for the audit trail: "cli" (default) or "staff:<id>". */
  actor?: string;
}): Promise<{ staffId: string; oneTimePassword: string; otpauthUri: string }> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new StaffInputError(`Not an email address: "${input.email}"`);
  const slugs = [...new Set(input.creditorSlugs)];
  if (slugs.length === 0) throw new StaffInputError("A staff member needs at least one creditor");
  // A merged creditor (decision 0107) takes no new staff: they belong to the one it merged into.
  const creditors = await db().creditor.findMany({
    where: { slug: { in: slugs }, mergedAt: null },
  });
  const missing = slugs.find((s) => !creditors.some((c) => c.slug === s));
  if (missing) throw new UnknownCreditorError(missing);

  const oneTimePassword = generateOneTimePassword();
  const totp = generateTotp(email);
  const passwordHash = await hashPassword(oneTimePassword);
  const now = input.now ?? new Date();
  try {
    const staff = await db().$transaction(async (tx) => {
      const row = await tx.staff.create({
        data: {
          email,
          name: input.name?.trim() || email,
          role: input.role,
          passwordHash,
          mustChangePassword: true,
          totpSecretCipher: encryptTotpSecret(totp.secretBase32, env().PII_ENCRYPTION_KEY),
          creditors: { create: creditors.map((c) => ({ creditorId: c.id })) },
        },
      });
      // One row per creditor, so each creditor's audit trail shows who was given access.
      await recordEvents(
        tx,
        creditors.map((c) => ({
          creditorId: c.id,
          type: "staff.created" as const,
          actor: input.actor ?? "cli",
          on: occurredOn(now),
          data: { staffId: row.id, email, role: input.role },
        })),
      );
      return row;
    });
    return { staffId: staff.id, oneTimePassword, otpauthUri: totp.uri };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new StaffEmailTakenError(email);
    throw error;
  }
}

export type StaffLoginResult =
  { ok: true; staffId: string; mustChangePassword: boolean } | { ok: false; error: "invalid" };

/**
 * One answer for every failure (unknown email, wrong password, wrong or reused code, disabled
 * account), and the password hash is always checked, so neither the message nor the time taken
 * tells an attacker which part was wrong or whether the account exists.
 */
export async function verifyStaffLogin(
  email: string,
  password: string,
  totpCode: string,
  now: Date,
): Promise<StaffLoginResult> {
  const staff = await db().staff.findUnique({ where: { email: normaliseEmail(email) } });
  const passwordOk = await verifyPassword(staff?.passwordHash ?? null, password);
  const active = staff !== null && staff.disabledAt === null;
  // A locked account refuses even the right password and code, and a code typed meanwhile is not
  // spent. The answer is the same "invalid" as for any failure: saying "locked" would tell a
  // stranger that the email belongs to an account. The account holder is told by mail.
  const locked = staff?.lockedUntil != null && staff.lockedUntil > now;
  const codeOk =
    staff !== null &&
    !locked &&
    (await consumeTotpCode(
      staff.id,
      decryptTotpSecret(staff.totpSecretCipher, env().PII_ENCRYPTION_KEY),
      totpCode,
      now,
      passwordOk && active,
    ));
  const ok = staff !== null && passwordOk && active && codeOk;
  // A failed attempt is not proven to be the account holder's, so its actor is anonymous; the
  // targeted account is in the data. Nothing typed (password, code, unknown email) is kept.
  await recordEvent(undefined, {
    type: ok ? "staff.logged_in" : "staff.login_failed",
    actor: ok ? `staff:${staff.id}` : "anonymous",
    on: occurredOn(now),
    data: staff
      ? { staffId: staff.id, method: "password", ...(locked ? { locked: true } : {}) }
      : { method: "password" },
  });
  if (staff && !ok && !locked) await recordFailedLogin(staff.id, now);
  if (!ok) return { ok: false, error: "invalid" };
  if (staff.failedLogins > 0) {
    await db().staff.update({ where: { id: staff.id }, data: { failedLogins: 0 } });
  }
  return { ok: true, staffId: staff.id, mustChangePassword: staff.mustChangePassword };
}

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: "too_short" | "too_long" | "invalid_current" | "same_as_current" };

/**
 * Sets a new password. While the one-time password is still in force it is the current one, so
 * refusing the current password as the new one also refuses the one-time password. Every other
 * session of the staff member ends: whoever else knew the old password is signed out.
 */
export async function changeStaffPassword(
  staffId: string,
  current: string,
  next: string,
  opts: { keepSessionId?: string; now?: Date } = {},
): Promise<ChangePasswordResult> {
  if (next.length < PASSWORD_MIN_LENGTH) return { ok: false, error: "too_short" };
  if (next.length > PASSWORD_MAX_LENGTH) return { ok: false, error: "too_long" };
  const staff = await db().staff.findUnique({ where: { id: staffId } });
  const currentOk = await verifyPassword(staff?.passwordHash ?? null, current);
  if (!staff || staff.disabledAt || !currentOk) return { ok: false, error: "invalid_current" };
  if (next === current) return { ok: false, error: "same_as_current" };
  const passwordHash = await hashPassword(next);
  await db().$transaction(async (tx) => {
    await tx.staff.update({
      where: { id: staffId },
      data: { passwordHash, mustChangePassword: false },
    });
    await tx.session.deleteMany({
      where: {
        kind: "staff",
        data: { path: ["staffId"], equals: staffId },
        ...(opts.keepSessionId ? { NOT: { id: opts.keepSessionId } } : {}),
      },
    });
    await recordEvent(tx, {
      type: "staff.password_changed",
      actor: `staff:${staffId}`,
      on: occurredOn(opts.now ?? new Date()),
      data: { staffId },
    });
  });
  return { ok: true };
}

type LoadedStaff = StaffUser & { mustChangePassword: boolean };

// Read on every request rather than cached in the session: disabling an account, changing a
// role or removing a creditor takes effect on the next page view.
async function loadStaff(staffId: string | undefined): Promise<LoadedStaff | null> {
  if (!staffId) return null;
  const row = await db().staff.findUnique({
    where: { id: staffId },
    include: { creditors: { select: { creditorId: true } } },
  });
  if (!row || row.disabledAt) return null;
  return {
    staffId: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    creditorIds: row.creditors.map((c) => c.creditorId),
    mustChangePassword: row.mustChangePassword,
  };
}

/**
 * The signed-in staff member, for headers and the login page; no redirects. Signed in through the
 * municipality's identity provider, the one-time password is not theirs to change: no password
 * was used.
 */
export async function currentStaff(request: Request): Promise<LoadedStaff | null> {
  const session = await getStaffSession(request);
  const staff = await loadStaff(session.get("staffId"));
  if (staff && session.get("signInMethod") === "oidc") staff.mustChangePassword = false;
  return staff;
}

/**
 * The signed-in staff member, or a thrown redirect: to the login page when there is none, to
 * the password page while the one-time password is in force (`allowPasswordChange` is for that
 * page alone). A role outside `roles` is a 403.
 */
export async function requireStaff(
  request: Request,
  opts: { roles?: StaffRole[]; allowPasswordChange?: boolean } = {},
): Promise<StaffUser> {
  const staff = await currentStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/staff/login?returnTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (staff.mustChangePassword && !opts.allowPasswordChange) throw redirect("/staff/password");
  if (opts.roles && !opts.roles.includes(staff.role))
    throw new Response("Forbidden", { status: 403 });
  const { mustChangePassword: _, ...user } = staff;
  return user;
}

/** Staff see only the creditors they belong to; an admin is no exception. */
export function staffCanSeeCreditor(staff: StaffUser, creditorId: string): boolean {
  return staff.creditorIds.includes(creditorId);
}

export async function listStaffCreditors(staff: StaffUser) {
  return db().creditor.findMany({
    where: { id: { in: staff.creditorIds } },
    select: { id: true, slug: true, name: true },
    orderBy: { name: "asc" },
  });
}

/**
 * The clock the office works by: the time zone of the staff member's creditors (the one most of
 * them share; of equals, the first by name). Staff pages show every date and time on it, and the
 * day of an audit event that has no claim is its day.
 */
export async function staffTimeZone(staff: Pick<StaffUser, "creditorIds">): Promise<string> {
  const rows = await db().creditor.findMany({
    where: { id: { in: staff.creditorIds } },
    select: { timeZone: true },
    orderBy: { name: "asc" },
  });
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.timeZone, (counts.get(r.timeZone) ?? 0) + 1);
  let best = "UTC";
  let most = 0;
  for (const [zone, n] of counts) if (n > most) [best, most] = [zone, n];
  return best;
}
