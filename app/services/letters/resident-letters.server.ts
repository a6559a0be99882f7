import { isUuid } from "~/domain/ids";
import { hasLeft } from "~/domain/resident-letters";
import type { SnapshotNotice } from "~/domain/claim";
import { buildLetterView } from "~/integrations/letters/letter-view.server";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { query } from "~/infra/sql.server";
import { letterOf, noticesForLetters } from "./letter-of.server";

/*
 * A letter the resident downloads from their claim's page: only their own claim's, only one that
 * has left, and exactly the letter that was sent (dated its dispatch day, with the deadline stored
 * then), rendered again from what the notice froze when it was written. A payment plan's letter
 * sits on the plan's first claim and is listed on each of its claims (decision 0097): it opens
 * from the page of any of them.
 */

export type ResidentLetterPdf = { pdf: Buffer; fileName: string };

/** Null for a letter that is not the resident's, not on that claim, missing, or not sent yet. */
export async function residentLetterPdf(
  residentId: string,
  claimId: string,
  noticeId: string,
): Promise<ResidentLetterPdf | null> {
  if (!isUuid(claimId) || !isUuid(noticeId)) return null;
  const [notice] = await noticesForLetters(undefined, [noticeId], { residentId });
  if (!notice || notice.dispatchedOn === null) return null;
  if (notice.claimId !== claimId && !(await inPlanOf(notice.planId, claimId))) return null;
  if (
    !hasLeft({
      status: notice.status as SnapshotNotice["status"],
      dispatchedOn: notice.dispatchedOn,
    })
  )
    return null;
  const letter = letterOf(notice, notice.dispatchedOn, notice.deadline);
  const pdf = await renderLetterPdf(letter);
  const title = buildLetterView(letter).title;
  return { pdf, fileName: letterFileName(title, notice.externalId, notice.dispatchedOn) };
}

/** Whether the claim is one of the plan's (the plan, and so the claim, is the resident's). */
async function inPlanOf(planId: string | null, claimId: string): Promise<boolean> {
  if (!planId) return false;
  const rows = await query(
    undefined,
    `SELECT 1 FROM "PlanClaim" WHERE "planId" = $1::uuid AND "claimId" = $2::uuid`,
    [planId, claimId],
  );
  return rows.length > 0;
}

/**
 * A name a person recognises in their downloads: the letter's title, the bill's reference and
 * the day it was sent ("Påminnelse EK-2026-5001 2026-06-03.pdf"), without characters that file
 * systems or headers trip on.
 */
export function letterFileName(title: string, reference: string, date: string): string {
  const clean = (s: string) =>
    s
      .normalize("NFC")
      .replace(/[^\p{L}\p{N} _-]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim();
  const name = [clean(title).slice(0, 80), clean(reference), date].filter(Boolean).join(" ");
  return `${name}.pdf`;
}

/** The same name in ASCII, for the header's plain `filename` (old clients). */
export function asciiFileName(fileName: string): string {
  return fileName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[æÆ]/g, (c) => (c === "æ" ? "ae" : "AE"))
    .replace(/[øØ]/g, (c) => (c === "ø" ? "o" : "O"))
    .replace(/[^A-Za-z0-9 ._-]+/g, "")
    .trim()
    .replace(/\s+/g, "-");
}
