import type { StaffTaskKind } from "~/generated/prisma/client.ts";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";

/**
 * Puts something in front of a person. The source key names the cause (a webhook event, a bank
 * entry, a payment), so the same cause raised twice is one task. On a Prisma transaction or a
 * plain pg connection (the bank-file import, decision 0115).
 */
export async function raiseTask(
  conn: Conn,
  task: {
    kind: StaffTaskKind;
    sourceKey: string;
    creditorId?: string | null;
    claimId?: string | null;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await query(
    conn,
    `INSERT INTO "StaffTask" (id, kind, "creditorId", "claimId", "sourceKey", data)
     VALUES (gen_random_uuid(), $1::"StaffTaskKind", $2::uuid, $3::uuid, $4::text, $5::jsonb)
     ON CONFLICT ("sourceKey") DO NOTHING`,
    [
      task.kind,
      task.creditorId ?? null,
      task.claimId ?? null,
      task.sourceKey,
      JSON.stringify(task.data),
    ],
  );
}
