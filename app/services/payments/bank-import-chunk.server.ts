/**
 * One chunk of a bank file (about a thousand entries), matched and booked set-based inside the
 * file's transaction (decision 0109): the entry keys already booked, the claims and the plans
 * its references name are each looked up in one query; the claim payments go through
 * `recordPayments`, the ledger's own allocation, with the claims locked and loaded once; staff
 * tasks and bank entries are written with one multi-row insert each. What `importEntry` did one
 * by one before, with the same outcomes, events and tasks. Plain SQL on the import's pg
 * connection, not through Prisma (decision 0115).
 */
import type { BankFileFormat, BankPayment } from "~/integrations/bank-files/types";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import type { LawBook } from "../law/legal-figures.server";
import { recordPayments, type PaymentInput } from "./ledger.server";
import { importPlanEntry } from "./plan-payments.server";

export type EntryStatus = "MATCHED" | "OVERPAID" | "UNMATCHED" | "MISMATCH";
export type ImportCounts = Record<
  "matched" | "overpaid" | "unmatched" | "mismatched" | "alreadyImported",
  number
>;
export type ChunkContext = {
  format: BankFileFormat;
  /** Undefined only while an OCR giro file's id is unknown; its entries all carry a bank ref. */
  fileId: string | undefined;
  importId: string;
  actor: string;
  /**
   * Whose money an entry that names no claim is: the creditor whose account received it (see
   * receiving-account.ts), else the uploader's creditor (see importBankFile), else nobody's yet.
   */
  ownerOf: (account?: string) => string | null;
  creditorId: string | null;
};

const COUNTER = {
  MATCHED: "matched",
  OVERPAID: "overpaid",
  UNMATCHED: "unmatched",
  MISMATCH: "mismatched",
} as const;

/**
 * The key a bank entry is booked under, once, whatever file brings it: the bank's own reference
 * where the format has one (banks deliver an entry again in intraday and end-of-day
 * notifications, or re-send a day after an outage, under a new message id), else the file's id and
 * the entry's id in it.
 */
export function bankEntryKey(format: string, fileId: string | undefined, p: BankPayment): string {
  if (p.bankRef) return `${format}:ref:${p.bankRef}`;
  if (fileId === undefined)
    throw new Error(`entry on line ${p.line} has neither bank ref nor file id`);
  return `${format}:${fileId}:${p.entryId}`;
}

type Entry = {
  p: BankPayment;
  key: string;
  reference: string;
  status?: EntryStatus;
  claimId: string | null;
  paymentId: string | null;
};
type ClaimRef = { id: string; creditorId: string; currency: string };
type Task = {
  kind: "UNMATCHED_BANK_PAYMENT" | "PAYMENT_MISMATCH";
  sourceKey: string;
  creditorId: string | null;
  claimId: string | null;
  data: Record<string, unknown>;
};

const unmatchedTask = (
  e: Entry,
  { ownerOf, creditorId }: Pick<ChunkContext, "ownerOf" | "creditorId">,
): Task => ({
  kind: "UNMATCHED_BANK_PAYMENT",
  sourceKey: `bank:${e.key}`,
  creditorId: ownerOf(e.p.account) ?? creditorId,
  claimId: null,
  data: {
    entryKey: e.key,
    reference: e.p.reference,
    amount: e.p.amount,
    currency: e.p.currency,
    bookedOn: e.p.bookedOn,
    payerName: e.p.payerName ?? null,
    message: e.p.message ?? null,
  },
});

/** Books one chunk; adds to `counts`. Entries already booked (this file or another) are counted. */
export async function importChunk(
  tx: Conn,
  law: LawBook,
  ctx: ChunkContext,
  payments: BankPayment[],
  counts: ImportCounts,
): Promise<void> {
  if (payments.length === 0) return;
  const keys = payments.map((p) => bankEntryKey(ctx.format, ctx.fileId, p));
  // Earlier chunks of this file are in the same transaction, so this sees them too.
  const known = new Set(
    (
      await query<{ entryKey: string }>(
        tx,
        `SELECT "entryKey" FROM "BankEntry" WHERE "entryKey" = ANY($1::text[])`,
        [keys],
      )
    ).map((r) => r.entryKey),
  );
  const entries: Entry[] = [];
  payments.forEach((p, i) => {
    const key = keys[i]!;
    if (known.has(key)) {
      counts.alreadyImported += 1;
      return;
    }
    known.add(key);
    const reference = p.reference.replace(/\s+/g, "");
    entries.push({ p, key, reference, claimId: null, paymentId: null });
  });
  if (entries.length === 0) return;

  const refs = [...new Set(entries.map((e) => e.reference).filter((r) => r !== ""))];
  const claims = new Map(
    (
      await query<ClaimRef & { paymentReference: string }>(
        tx,
        `SELECT id::text, "creditorId"::text, currency, "paymentReference" FROM "Claim"
         WHERE "paymentReference" = ANY($1::text[])`,
        [refs],
      )
    ).map((c) => [c.paymentReference, c]),
  );
  const otherRefs = refs.filter((r) => !claims.has(r));
  const plans = new Set(
    otherRefs.length === 0
      ? []
      : (
          await query<{ reference: string }>(
            tx,
            `SELECT reference FROM "PaymentPlan" WHERE reference = ANY($1::text[])`,
            [otherRefs],
          )
        ).map((r) => r.reference),
  );

  const tasks: Task[] = [];
  // Runs of entries without a plan reference are booked together; a plan's entry spreads over
  // the plan's claims one by one, between them, so each sees what came before it in the file.
  let run: Entry[] = [];
  const flush = async () => {
    await bookClaimPayments(tx, law, ctx, run, claims, tasks);
    run = [];
  };
  for (const e of entries) {
    if (!plans.has(e.reference)) {
      run.push(e);
      continue;
    }
    await flush();
    const plan = await importPlanEntry(tx, law, e.p, e.reference, e.key, ctx.actor);
    if (plan) Object.assign(e, plan);
    else {
      e.status = "UNMATCHED";
      // Raised now, in file order: a later entry of this chunk may name the same cause.
      await insertTasks(tx, [unmatchedTask(e, ctx)]);
    }
  }
  await flush();

  if (tasks.length > 0) await insertTasks(tx, tasks);
  // One multi-row insert (Prisma's createMany took a second a thousand rows on a busy machine).
  await query(
    tx,
    `INSERT INTO "BankEntry" (id, "importId", "entryKey", reference, amount, currency, "bookedOn",
                              "payerName", line, status, "claimId", "paymentId")
     SELECT gen_random_uuid(), $1::uuid, k, r, a, c, d, n, l, s::"BankEntryStatus", cl, pa
     FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::date[], $7::text[], $8::int[],
                 $9::text[], $10::uuid[], $11::uuid[]) AS t(k, r, a, c, d, n, l, s, cl, pa)`,
    [
      ctx.importId,
      entries.map((e) => e.key),
      entries.map((e) => e.p.reference),
      entries.map((e) => e.p.amount),
      entries.map((e) => e.p.currency),
      entries.map((e) => e.p.bookedOn),
      entries.map((e) => e.p.payerName ?? null),
      entries.map((e) => e.p.line),
      entries.map((e) => e.status!),
      entries.map((e) => e.claimId),
      entries.map((e) => e.paymentId),
    ],
  );
  for (const e of entries) counts[COUNTER[e.status!]] += 1;
}

/** Staff tasks in one statement; a cause already raised (the same source key) stays as it was. */
async function insertTasks(tx: Conn, tasks: Task[]): Promise<void> {
  await query(
    tx,
    `INSERT INTO "StaffTask" (id, kind, "creditorId", "claimId", "sourceKey", data)
     SELECT gen_random_uuid(), k::"StaffTaskKind", cr, cl, s, d
     FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[]) AS t(k, cr, cl, s, d)
     ON CONFLICT ("sourceKey") DO NOTHING`,
    [
      tasks.map((t) => t.kind),
      tasks.map((t) => t.creditorId),
      tasks.map((t) => t.claimId),
      tasks.map((t) => t.sourceKey),
      tasks.map((t) => JSON.stringify(t.data)),
    ],
  );
}

/**
 * Entries that pay a claim directly, or nothing: the claim payments in rounds, each claim at
 * most one booking day per round and in the file's order, so a claim paid twice allocates the
 * second payment against what the first left (`recordPayments` does so within a day); a
 * payment on another day for the same claim waits for the next round.
 */
async function bookClaimPayments(
  tx: Conn,
  law: LawBook,
  ctx: Pick<ChunkContext, "actor" | "ownerOf" | "creditorId">,
  run: Entry[],
  claims: Map<string, ClaimRef>,
  tasks: Task[],
): Promise<void> {
  const rounds: Map<string, Entry[]>[] = [];
  const last = new Map<string, { day: string; round: number }>();
  for (const e of run) {
    const claim = e.reference ? claims.get(e.reference) : undefined;
    if (!claim) {
      e.status = "UNMATCHED";
      tasks.push(unmatchedTask(e, ctx));
      continue;
    }
    e.claimId = claim.id;
    const before = last.get(claim.id);
    const round = !before ? 0 : before.day === e.p.bookedOn ? before.round : before.round + 1;
    last.set(claim.id, { day: e.p.bookedOn, round });
    const byDay = (rounds[round] ??= new Map());
    const group = byDay.get(e.p.bookedOn);
    if (group) group.push(e);
    else byDay.set(e.p.bookedOn, [e]);
  }
  for (const byDay of rounds) {
    for (const group of byDay.values()) {
      const inputs: PaymentInput[] = group.map((e) => ({
        claimId: e.claimId!,
        amount: e.p.amount,
        currency: e.p.currency,
        receivedOn: e.p.bookedOn,
        method: "bank_transfer",
        providerRef: `bank:${e.key}`,
        actor: ctx.actor,
      }));
      const outcomes = await recordPayments(tx, law, inputs, { deferRefresh: false });
      group.forEach((e, i) => {
        const outcome = outcomes[i]!;
        if (outcome.kind === "currency_mismatch") {
          const claim = claims.get(e.reference)!;
          e.status = "MISMATCH";
          e.paymentId = null;
          tasks.push({
            kind: "PAYMENT_MISMATCH",
            sourceKey: `bank:${e.key}`,
            creditorId: claim.creditorId,
            claimId: claim.id,
            data: {
              entryKey: e.key,
              amount: e.p.amount,
              currency: e.p.currency,
              expected: claim.currency,
            },
          });
          return;
        }
        const credit = outcome.kind === "recorded" ? outcome.credit : 0;
        e.status = credit > 0 ? "OVERPAID" : "MATCHED";
        e.paymentId = outcome.paymentId;
      });
    }
  }
}
