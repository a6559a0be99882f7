import { recordEvent } from "../events/events.server";
import { todayIn } from "~/domain/calendar-date";
import { Prisma } from "~/generated/prisma/client.ts";
import { parseBankFile } from "~/integrations/bank-files/parse";
import { BankFileError, type BankPayment } from "~/integrations/bank-files/types";
import { db, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { recordPayment } from "./ledger.server";
import { importPlanEntry } from "./plan-payments.server";
import { raiseTask } from "./staff-tasks.server";

export type BankImportResult =
  | {
      ok: true;
      duplicate: boolean;
      format: string;
      fileId: string;
      entries: number;
      matched: number;
      overpaid: number;
      unmatched: number;
      mismatched: number;
      /** Entries the bank delivered before in another file (same bank reference): not booked again. */
      alreadyImported: number;
      total: number;
    }
  | { ok: false; line: number; error: string };

type EntryStatus = "MATCHED" | "OVERPAID" | "UNMATCHED" | "MISMATCH";

async function importEntry(
  tx: Tx,
  law: LawBook,
  p: BankPayment,
  entryKey: string,
  actor: string,
): Promise<{ status: EntryStatus; claimId: string | null; paymentId: string | null }> {
  const reference = p.reference.replace(/\s+/g, "");
  const claim = reference
    ? await tx.claim.findUnique({ where: { paymentReference: reference } })
    : null;
  if (!claim) {
    const plan = reference ? await importPlanEntry(tx, law, p, reference, entryKey, actor) : null;
    if (plan) return plan;
    await raiseTask(tx, {
      kind: "UNMATCHED_BANK_PAYMENT",
      sourceKey: `bank:${entryKey}`,
      data: {
        entryKey,
        reference: p.reference,
        amount: p.amount,
        currency: p.currency,
        bookedOn: p.bookedOn,
        payerName: p.payerName ?? null,
        message: p.message ?? null,
      },
    });
    return { status: "UNMATCHED", claimId: null, paymentId: null };
  }
  const outcome = await recordPayment(tx, law, {
    claimId: claim.id,
    amount: p.amount,
    currency: p.currency,
    receivedOn: p.bookedOn,
    method: "bank_transfer",
    providerRef: `bank:${entryKey}`,
    actor,
  });
  if (outcome.kind === "currency_mismatch") {
    await raiseTask(tx, {
      kind: "PAYMENT_MISMATCH",
      sourceKey: `bank:${entryKey}`,
      creditorId: claim.creditorId,
      claimId: claim.id,
      data: { entryKey, amount: p.amount, currency: p.currency, expected: claim.currency },
    });
    return { status: "MISMATCH", claimId: claim.id, paymentId: null };
  }
  const credit = outcome.kind === "recorded" ? outcome.credit : 0;
  return {
    status: credit > 0 ? "OVERPAID" : "MATCHED",
    claimId: claim.id,
    paymentId: outcome.paymentId,
  };
}

/**
 * The key a bank entry is booked under, once, whatever file brings it: the bank's own reference
 * where the format has one (banks deliver an entry again in intraday and end-of-day
 * notifications, or re-send a day after an outage, under a new message id), else the file's id and
 * the entry's id in it.
 */
export function bankEntryKey(format: string, fileId: string, p: BankPayment): string {
  return p.bankRef ? `${format}:ref:${p.bankRef}` : `${format}:${fileId}:${p.entryId}`;
}

/**
 * Imports a bank file (camt.054, BgMax or Nets OCR giro): every payment is matched to its claim
 * by KID/OCR reference and allocated; what matches nothing, pays too much or is in the wrong
 * currency goes to staff. The whole file is one transaction, and the unique (format, file id)
 * makes a second import of the same file add nothing; an entry already booked from another file
 * (`bankEntryKey`) is counted and left alone. A malformed file changes nothing and the error
 * names its line.
 */
export async function importBankFile(
  text: string,
  actor: string,
  source: { fileName?: string; sha256?: string } = {},
): Promise<BankImportResult> {
  let parsed;
  try {
    parsed = parseBankFile(text);
  } catch (error) {
    if (error instanceof BankFileError)
      return { ok: false, line: error.line, error: error.message };
    throw error;
  }
  const law = await loadLawBook();
  const counts = { matched: 0, overpaid: 0, unmatched: 0, mismatched: 0, alreadyImported: 0 };
  try {
    await db().$transaction(
      async (tx) => {
        // One import at a time: two files carrying the same entry, imported at once, must not
        // both find it new (the unique entry key would then fail the second file as a whole).
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kravportal:bank-import'))`;
        const keys = parsed.payments.map((p) => bankEntryKey(parsed.format, parsed.fileId, p));
        const seen = new Set(
          (
            await tx.bankEntry.findMany({
              where: { entryKey: { in: keys } },
              select: { entryKey: true },
            })
          ).map((e) => e.entryKey),
        );
        const file = await tx.bankFileImport.create({
          data: {
            format: parsed.format,
            fileId: parsed.fileId,
            entries: parsed.control.count,
            total: parsed.control.total,
            actor,
          },
        });
        for (const [i, p] of parsed.payments.entries()) {
          const entryKey = keys[i]!;
          if (seen.has(entryKey)) {
            counts.alreadyImported += 1;
            continue;
          }
          seen.add(entryKey);
          const result = await importEntry(tx, law, p, entryKey, actor);
          counts[
            (
              {
                MATCHED: "matched",
                OVERPAID: "overpaid",
                UNMATCHED: "unmatched",
                MISMATCH: "mismatched",
              } as const
            )[result.status]
          ] += 1;
          await tx.bankEntry.create({
            data: {
              importId: file.id,
              entryKey,
              reference: p.reference,
              amount: p.amount,
              currency: p.currency,
              bookedOn: dbDate(p.bookedOn),
              payerName: p.payerName ?? null,
              line: p.line,
              status: result.status,
              claimId: result.claimId,
              paymentId: result.paymentId,
            },
          });
        }
        // Who brought the file in, and which file it was, in the audit log beside the payments.
        await recordEvent(tx, {
          type: "bank_file.imported",
          actor,
          on: todayIn("Europe/Stockholm", new Date()),
          data: {
            importId: file.id,
            format: parsed.format,
            fileId: parsed.fileId,
            fileName: source.fileName ?? null,
            sha256: source.sha256 ?? null,
            entries: parsed.control.count,
            total: parsed.control.total,
            ...counts,
          },
        });
      },
      { timeout: 300_000 },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return {
        ok: true,
        duplicate: true,
        format: parsed.format,
        fileId: parsed.fileId,
        entries: parsed.control.count,
        total: parsed.control.total,
        matched: 0,
        overpaid: 0,
        unmatched: 0,
        mismatched: 0,
        alreadyImported: 0,
      };
    }
    throw error;
  }
  return {
    ok: true,
    duplicate: false,
    format: parsed.format,
    fileId: parsed.fileId,
    entries: parsed.control.count,
    total: parsed.control.total,
    ...counts,
  };
}
