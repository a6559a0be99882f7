import type { Prisma } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { lockMinutesAfter } from "~/domain/login-lockout";
import type { StaffSecurityMailContent } from "~/integrations/mail/render-staff-security.server";
import { db } from "~/infra/db.server";
import { recordEvents } from "../events/events.server";
import { env } from "~/infra/env.server";

/**
 * Counts a failed password sign-in against an existing account. The count is raised in one
 * UPDATE (simultaneous guesses all count); the failure that earns a lock sets it, writes a
 * `staff.locked_out` event for each of the staff member's creditors and queues a mail to the
 * staff member, in the same transaction.
 */
export async function recordFailedLogin(staffId: string, now: Date): Promise<void> {
  await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ failedLogins: number; email: string; name: string }[]>`
      UPDATE "Staff" SET "failedLogins" = "failedLogins" + 1
      WHERE "id" = ${staffId}::uuid
      RETURNING "failedLogins", "email", "name"`;
    const minutes = row ? lockMinutesAfter(row.failedLogins) : null;
    if (!row || minutes === null) return;
    const lockedUntil = new Date(now.getTime() + minutes * 60_000);
    await tx.staff.update({ where: { id: staffId }, data: { lockedUntil } });
    const creditors = await tx.creditor.findMany({
      where: {
        id: {
          in: (await tx.staffCreditor.findMany({ where: { staffId } })).map((c) => c.creditorId),
        },
      },
      orderBy: { slug: "asc" },
    });
    await recordEvents(
      tx,
      creditors.map((c) => ({
        creditorId: c.id,
        type: "staff.locked_out" as const,
        actor: "system",
        on: todayIn("UTC", now),
        data: {
          staffId,
          failedLogins: row.failedLogins,
          minutes,
          until: lockedUntil.toISOString(),
        },
      })),
    );
    const first = creditors[0];
    const content: StaffSecurityMailContent = {
      kind: "locked",
      language: first?.country === "NO" ? "nb" : first?.country === "SE" ? "sv" : "en",
      name: row.name,
      failedLogins: row.failedLogins,
      until: lockedUntil.toISOString(),
      timeZone: first?.timeZone ?? "Europe/Stockholm",
      loginUrl: new URL("/staff/login", env().PUBLIC_URL).toString(),
    };
    await tx.outbox.create({
      data: {
        kind: "staff_security",
        to: row.email,
        content: content as unknown as Prisma.InputJsonValue,
      },
    });
  });
}
