import { parseArgs } from "node:util";
import type { StaffRole } from "../app/generated/prisma/client.ts";
import { UnknownCreditorError } from "../app/services/api-keys.server.ts";
import {
  createStaff,
  StaffEmailTakenError,
  StaffInputError,
} from "../app/services/staff-auth.server.ts";

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
    if (error instanceof Error && error.message.startsWith("Invalid environment")) {
      out.error(error.message);
      return 2;
    }
    throw error;
  }
}
