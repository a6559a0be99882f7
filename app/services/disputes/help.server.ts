import { recordEvent } from "../events/events.server";
import { z } from "zod/v4";
import { todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import type { FieldError } from "./attachments.server";
import { actorOf, text, zodErrors } from "./disputes.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";

const HelpSchema = z.object({
  text: text(2000),
  consentToSocialServices: z.boolean(),
});

export type HelpResult =
  { ok: true; flagId: string; alreadyOpen: boolean } | { ok: false; errors: FieldError[] };

/**
 * A resident says they cannot pay. This raises a hardship flag for staff (one open at a time); while
 * it is open, none of their claims goes towards enforcement without a person looking first.
 */
export async function askForHelp(input: {
  residentId: string;
  text: string;
  consentToSocialServices: boolean;
  now: Date;
}): Promise<HelpResult> {
  const parsed = HelpSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: zodErrors(parsed.error).map((e) => ({
        ...e,
        message: e.message.replace(/^dispute\./, "help."),
      })),
    };
  }
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    // Two posts at once must not raise two flags.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`help:${input.residentId}`}))`;
    const open = await tx.vulnerabilityFlag.findFirst({
      where: { residentId: input.residentId, kind: "HARDSHIP", resolvedAt: null },
    });
    if (open) return { ok: true as const, flagId: open.id, alreadyOpen: true };
    const consent = parsed.data.consentToSocialServices;
    const flag = await tx.vulnerabilityFlag.create({
      data: {
        residentId: input.residentId,
        kind: "HARDSHIP",
        note: `${parsed.data.text}\n\nConsents to contact by social services: ${consent ? "yes" : "no"}`,
        raisedBy: actorOf(input.residentId),
        raisedAt: input.now,
      },
    });
    const claims = await tx.claim.findMany({
      where: { residentId: input.residentId, status: "OPEN" },
      select: { id: true, creditor: { select: { timeZone: true } } },
    });
    const byZone = new Map<string, string[]>();
    for (const c of claims) {
      byZone.set(c.creditor.timeZone, [...(byZone.get(c.creditor.timeZone) ?? []), c.id]);
    }
    const today = todayIn("Europe/Stockholm", input.now);
    await recordEvent(tx, {
      residentId: input.residentId,
      type: "vulnerability.flagged",
      actor: actorOf(input.residentId),
      on: today,
      // The resident's words stay in the flag; the log records only that it happened.
      data: { flagId: flag.id, kind: "HARDSHIP", consentToSocialServices: consent },
    });
    for (const [zone, ids] of byZone) {
      await refreshNextActions(tx, ids, law, todayIn(zone, input.now));
    }
    return { ok: true as const, flagId: flag.id, alreadyOpen: false };
  });
}

/** Whether the resident already has an open hardship flag (the help page says so). */
export async function hasOpenHelpRequest(residentId: string): Promise<boolean> {
  const n = await db().vulnerabilityFlag.count({
    where: { residentId, kind: "HARDSHIP", resolvedAt: null },
  });
  return n > 0;
}
