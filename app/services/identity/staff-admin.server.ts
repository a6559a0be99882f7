import type { StaffRole } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { db, type Tx } from "~/infra/db.server";
import { recordEvents } from "../events/events.server";
import { env } from "~/infra/env.server";
import {
  createStaff,
  StaffEmailTakenError,
  StaffInputError,
  type StaffUser,
} from "./staff-auth.server";
import {
  encryptTotpSecret,
  generateOneTimePassword,
  generateTotp,
  hashPassword,
} from "./staff-credentials.server";

/**
 * Who manages staff: an administrator, who reaches only staff sharing at least one creditor with
 * them and grants only their own creditors; or the operator at the command line, who reaches all.
 */
export type StaffManager = StaffUser | "operator";
/** A staff member by id (the admin page) or by email (the command line). */
export type StaffRef = { staffId: string } | { email: string };

export type AdminError =
  | "forbidden"
  | "not_found"
  | "self"
  | "other_creditor"
  | "invalid_email"
  | "email_taken"
  | "no_creditor"
  | "creditor_not_allowed";
export type AdminResult<T = object> = ({ ok: true } & T) | { ok: false; error: AdminError };

export type ManagedStaff = {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  creditors: { id: string; name: string }[];
  status: "active" | "disabled" | "must_change_password";
  createdAt: Date;
  isSelf: boolean;
};

type Scope = { actor: string; creditorIds: string[] | null; selfId: string | null };

function scopeOf(who: StaffManager): Scope | null {
  if (who === "operator") return { actor: "cli", creditorIds: null, selfId: null };
  if (who.role !== "ADMIN") return null;
  return { actor: `staff:${who.staffId}`, creditorIds: who.creditorIds, selfId: who.staffId };
}

const sharesCreditor = (scope: Scope) =>
  scope.creditorIds ? { creditors: { some: { creditorId: { in: scope.creditorIds } } } } : {};

type Target = { id: string; email: string; role: StaffRole; creditorIds: string[] };

/** The staff member, if this manager may reach them; another creditor's staff are not there at all. */
async function findTarget(scope: Scope, ref: StaffRef): Promise<Target | null> {
  if ("staffId" in ref && !isUuid(ref.staffId)) return null;
  const where = "staffId" in ref ? { id: ref.staffId } : { email: ref.email.trim().toLowerCase() };
  const row = await db().staff.findFirst({
    where: { ...where, ...sharesCreditor(scope) },
    include: { creditors: { select: { creditorId: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    creditorIds: row.creditors.map((c) => c.creditorId),
  };
}

/**
 * One audit event per creditor the action was taken under (those the target shares with the
 * administrator, or all of theirs for the operator), as `staff.created` does: each creditor's
 * trail shows who changed access to its data.
 */
async function audit(
  tx: Tx,
  scope: Scope,
  target: Target,
  type:
    | "staff.disabled"
    | "staff.enabled"
    | "staff.password_reset"
    | "staff.totp_reset"
    | "staff.role_changed",
  now: Date,
  data: Record<string, unknown> = {},
) {
  const creditorIds = scope.creditorIds
    ? target.creditorIds.filter((id) => scope.creditorIds!.includes(id))
    : target.creditorIds;
  const rows = (creditorIds.length > 0 ? creditorIds : [null]).map((creditorId) => ({
    creditorId,
    type,
    actor: scope.actor,
    on: todayIn("UTC", now),
    data: { staffId: target.id, email: target.email, ...data },
  }));
  await recordEvents(tx, rows);
}

/** Deletes the session rows, so every browser signed in as this staff member is out at once. */
function endSessions(tx: Tx, staffId: string) {
  return tx.session.deleteMany({
    where: { kind: "staff", data: { path: ["staffId"], equals: staffId } },
  });
}

/** Looks up scope and target and refuses what no manager may do, before anything is written. */
async function prepare(
  who: StaffManager,
  ref: StaffRef,
  /** Whether the act gives the actor power over the target's access (credentials, role). */
  grantsAccess = true,
): Promise<{ ok: true; scope: Scope; target: Target } | { ok: false; error: AdminError }> {
  const scope = scopeOf(who);
  if (!scope) return { ok: false, error: "forbidden" };
  const target = await findTarget(scope, ref);
  if (!target) return { ok: false, error: "not_found" };
  // Their own account is changed at /staff/password; here an admin could lock themself out.
  if (target.id === scope.selfId) return { ok: false, error: "self" };
  // Someone who also works for another creditor sees that creditor's residents: resetting their
  // credentials or raising their role would hand that access to this administrator. Only an
  // administrator of all their creditors, or the operator at the command line, may do it.
  // Disabling (and enabling again) gives the actor nothing, so any of their administrators may.
  if (
    grantsAccess &&
    scope.creditorIds &&
    target.creditorIds.some((id) => !scope.creditorIds!.includes(id))
  )
    return { ok: false, error: "other_creditor" };
  return { ok: true, scope, target };
}

export async function listManagedStaff(admin: StaffUser): Promise<ManagedStaff[] | null> {
  const scope = scopeOf(admin);
  if (!scope?.creditorIds) return null;
  const rows = await db().staff.findMany({
    where: sharesCreditor(scope),
    include: { creditors: { select: { creditorId: true } } },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
  const creditors = await db().creditor.findMany({
    where: { id: { in: scope.creditorIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => {
    const theirs = new Set(row.creditors.map((c) => c.creditorId));
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role,
      // Only the creditors the administrator shares: the rest are another office's business.
      creditors: creditors.filter((c) => theirs.has(c.id)),
      status: row.disabledAt
        ? "disabled"
        : row.mustChangePassword
          ? "must_change_password"
          : "active",
      createdAt: row.createdAt,
      isSelf: row.id === admin.staffId,
    };
  });
}

/** A new account for the administrator's own creditors; its credentials are returned once. */
export async function adminCreateStaff(
  admin: StaffUser,
  input: { email: string; name: string; role: StaffRole; creditorIds: string[] },
  now: Date,
): Promise<AdminResult<{ staffId: string; oneTimePassword: string; otpauthUri: string }>> {
  const scope = scopeOf(admin);
  if (!scope?.creditorIds) return { ok: false, error: "forbidden" };
  const wanted = [...new Set(input.creditorIds)];
  if (wanted.length === 0) return { ok: false, error: "no_creditor" };
  if (wanted.some((id) => !scope.creditorIds!.includes(id)))
    return { ok: false, error: "creditor_not_allowed" };
  const creditors = await db().creditor.findMany({
    where: { id: { in: wanted } },
    select: { slug: true },
  });
  try {
    const created = await createStaff({
      email: input.email,
      name: input.name,
      role: input.role,
      creditorSlugs: creditors.map((c) => c.slug),
      actor: scope.actor,
      now,
    });
    return { ok: true, ...created };
  } catch (error) {
    if (error instanceof StaffInputError) return { ok: false, error: "invalid_email" };
    if (error instanceof StaffEmailTakenError) return { ok: false, error: "email_taken" };
    throw error;
  }
}

/** Disabling ends every session at once; the account keeps its history and can be enabled again. */
export async function setStaffDisabled(
  who: StaffManager,
  ref: StaffRef,
  disabled: boolean,
  now: Date,
): Promise<AdminResult> {
  const p = await prepare(who, ref, false);
  if (!p.ok) return p;
  await db().$transaction(async (tx) => {
    const changed = await tx.staff.updateMany({
      where: { id: p.target.id, disabledAt: disabled ? null : { not: null } },
      data: { disabledAt: disabled ? now : null },
    });
    if (disabled) await endSessions(tx, p.target.id);
    if (changed.count > 0)
      await audit(tx, p.scope, p.target, disabled ? "staff.disabled" : "staff.enabled", now);
  });
  return { ok: true };
}

/** A new one-time password, to be changed at the next sign-in; every session ends. */
export async function resetStaffPassword(
  who: StaffManager,
  ref: StaffRef,
  now: Date,
): Promise<AdminResult<{ oneTimePassword: string }>> {
  const p = await prepare(who, ref);
  if (!p.ok) return p;
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await db().$transaction(async (tx) => {
    await tx.staff.update({
      where: { id: p.target.id },
      data: { passwordHash, mustChangePassword: true },
    });
    await endSessions(tx, p.target.id);
    await audit(tx, p.scope, p.target, "staff.password_reset", now);
  });
  return { ok: true, oneTimePassword };
}

/**
 * A new TOTP secret (a lost or compromised authenticator): the old codes stop working, the replay
 * guard starts afresh with the new secret, and every session ends.
 */
export async function resetStaffTotp(
  who: StaffManager,
  ref: StaffRef,
  now: Date,
): Promise<AdminResult<{ otpauthUri: string }>> {
  const p = await prepare(who, ref);
  if (!p.ok) return p;
  const totp = generateTotp(p.target.email);
  await db().$transaction(async (tx) => {
    await tx.staff.update({
      where: { id: p.target.id },
      data: {
        totpSecretCipher: encryptTotpSecret(totp.secretBase32, env().PII_ENCRYPTION_KEY),
        totpLastCounter: null,
      },
    });
    await endSessions(tx, p.target.id);
    await audit(tx, p.scope, p.target, "staff.totp_reset", now);
  });
  return { ok: true, otpauthUri: totp.uri };
}

/** Roles are read on every request, so the change applies from the target's next page view. */
export async function changeStaffRole(
  who: StaffManager,
  ref: StaffRef,
  role: StaffRole,
  now: Date,
): Promise<AdminResult> {
  const p = await prepare(who, ref);
  if (!p.ok) return p;
  if (p.target.role === role) return { ok: true };
  await db().$transaction(async (tx) => {
    await tx.staff.update({ where: { id: p.target.id }, data: { role } });
    await audit(tx, p.scope, p.target, "staff.role_changed", now, {
      from: p.target.role,
      to: role,
    });
  });
  return { ok: true };
}
