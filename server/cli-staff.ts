import { parseArgs } from "node:util";
import type { StaffRole } from "../app/generated/prisma/client.ts";
import { UnknownCreditorError } from "../app/services/identity/api-keys.server.ts";
import {
  resetStaffPassword,
  resetStaffTotp,
  setStaffDisabled,
} from "../app/services/identity/staff-admin.server.ts";
import {
  createStaff,
  StaffEmailTakenError,
  StaffInputError,
} from "../app/services/identity/staff-auth.server.ts";

type Out = { log(line: string): void; error(line: string): void };

const ROLES: Record<string, StaffRole> = {
  agent: "AGENT",
  supervisor: "SUPERVISOR",
  admin: "ADMIN",
};

/**
 * `staff create`: exit 2 for a malformed command (nothing was looked up), 1 when the database
 * refuses it (unknown creditor, email taken), 0 with the credentials printed once.
 */
export async function staffCreate(args: string[], out: Out, usage: string): Promise<number> {
  let v: { email?: string; creditor?: string[]; role?: string; name?: string };
  try {
    v = parseArgs({
      args,
      options: {
        email: { type: "string" },
        creditor: { type: "string", multiple: true },
        role: { type: "string" },
        name: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const missing = [
    !v.email && "--email",
    !v.creditor?.length && "--creditor",
    !v.role && "--role",
  ].filter(Boolean);
  if (missing.length > 0) {
    out.error(`staff create needs ${missing.join(", ")}.`);
    return 2;
  }
  const role = ROLES[v.role!.toLowerCase()];
  if (!role) {
    out.error(`Unknown role "${v.role}": use agent, supervisor or admin.`);
    return 2;
  }
  try {
    const created = await createStaff({
      email: v.email!,
      name: v.name,
      creditorSlugs: v.creditor!,
      role,
    });
    out.log(
      `Staff member ${created.staffId} created (${v.email}, ${v.role!.toLowerCase()}; creditors: ${v.creditor!.join(", ")}).`,
    );
    out.log("Hand both lines over in person; neither can be shown again.");
    out.log(`One-time password: ${created.oneTimePassword}`);
    out.log(`Authenticator (TOTP) URI: ${created.otpauthUri}`);
    return 0;
  } catch (error) {
    if (error instanceof StaffInputError) {
      out.error(error.message);
      return 2;
    }
    if (error instanceof UnknownCreditorError || error instanceof StaffEmailTakenError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

export const STAFF_ACCOUNT_COMMANDS = [
  "disable",
  "enable",
  "reset-password",
  "reset-totp",
] as const;
type AccountCommand = (typeof STAFF_ACCOUNT_COMMANDS)[number];

/**
 * `staff disable|enable|reset-password|reset-totp --email E`: the operator's way in when no
 * administrator can sign in. Exit 2 for a malformed command, 1 for an unknown email, 0 when done
 * (with the new credential printed once for the resets). Every change is an event by "cli".
 */
export async function staffAccount(
  sub: AccountCommand,
  args: string[],
  out: Out,
  usage: string,
): Promise<number> {
  let email: string | undefined;
  try {
    email = parseArgs({ args, options: { email: { type: "string" } }, strict: true }).values.email;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (!email) {
    out.error(`staff ${sub} needs --email.`);
    return 2;
  }
  const ref = { email };
  const now = new Date();
  const result =
    sub === "disable" || sub === "enable"
      ? await setStaffDisabled("operator", ref, sub === "disable", now)
      : sub === "reset-password"
        ? await resetStaffPassword("operator", ref, now)
        : await resetStaffTotp("operator", ref, now);
  if (!result.ok) {
    out.error(`No staff member with email "${email}".`);
    return 1;
  }
  if ("oneTimePassword" in result) {
    out.log(`New one-time password for ${email}; every session of theirs has ended.`);
    out.log("Hand it over in person; it cannot be shown again. It must be changed at sign-in.");
    out.log(`One-time password: ${result.oneTimePassword}`);
  } else if ("otpauthUri" in result) {
    out.log(`New authenticator secret for ${email}; the old codes and sessions no longer work.`);
    out.log("Hand it over in person; it cannot be shown again.");
    out.log(`Authenticator (TOTP) URI: ${result.otpauthUri}`);
  } else if (sub === "disable") {
    out.log(`Staff member ${email} is disabled; every session of theirs has ended.`);
  } else {
    out.log(`Staff member ${email} is enabled and may sign in again.`);
  }
  return 0;
}
