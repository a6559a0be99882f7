import type { Prisma, StaffTaskKind } from "~/generated/prisma/client.ts";
import type { Tx } from "~/infra/db.server";

/**
 * Puts something in front of a person. The source key names the cause (a webhook event, a bank
 * entry, a payment), so the same cause raised twice is one task.
 */
export async function raiseTask(
  tx: Tx,
  task: {
    kind: StaffTaskKind;
    sourceKey: string;
    creditorId?: string | null;
    claimId?: string | null;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await tx.staffTask.createMany({
    data: [
      {
        kind: task.kind,
        sourceKey: task.sourceKey,
        creditorId: task.creditorId ?? null,
        claimId: task.claimId ?? null,
        data: task.data as Prisma.InputJsonValue,
      },
    ],
    skipDuplicates: true,
  });
}
