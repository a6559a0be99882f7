import { db } from "../../app/infra/db.server.ts";
import { loadLawBook } from "../../app/services/law/legal-figures.server.ts";
import { markDispatched } from "../../app/services/letters/notice-moves.server.ts";

/** A claim's pending letters leave on paper on `on`, as a print batch would send them. */
export async function dispatchPendingOnPaper(claimId: string, on: string) {
  const pending = await db().notice.findMany({ where: { claimId, status: "PENDING" } });
  const law = await loadLawBook();
  await db().$transaction((tx) =>
    markDispatched(
      tx,
      law,
      pending.map((n) => ({ noticeId: n.id, on, channel: "PRINT", why: "test", provider: "test" })),
    ),
  );
}
