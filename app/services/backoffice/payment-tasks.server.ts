import { TASK_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
import { recordEvent } from "../events/events.server";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { taskFacts, type TaskFacts } from "~/domain/payment-task-facts";
import type { Prisma, StaffTaskKind } from "~/generated/prisma/client.ts";
import { db, type Tx } from "~/infra/db.server";
import { mineOnNoClaim, seesUnassigned, staffActor, type StaffContext } from "./queues.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { recordPayment, recordRefund } from "../payments/ledger.server";
import { staffTimeZone } from "../identity/staff-auth.server";

export type TaskAction = "match" | "accept" | "returned" | "refunded" | "handled";

/** What a person may do with each kind of task; every action ends the task. */
export const TASK_ACTIONS: Record<StaffTaskKind, TaskAction[]> = {
  UNMATCHED_BANK_PAYMENT: ["match", "returned"],
  PAYMENT_MISMATCH: ["accept", "returned"],
  REFUND_CREDIT: ["refunded"],
  CARD_DISPUTE: ["handled"],
  // Handled on the claim's case view: written off there, or kept (docs/decisions/0106).
  WRITE_OFF: [],
};

export type TaskError =
  | "not_found"
  | "already_done"
  | "invalid_action"
  | "note_required"
  | "claim_required"
  | "claim_not_found"
  | "claim_ambiguous"
  | "wrong_currency"
  | "no_amount"
  | "already_recorded";

export type TaskResult = { ok: true } | { ok: false; error: TaskError };

const NOTE_MIN = 5;
const NOTE_MAX = 2000;

/**
 * The tasks a staff member may see, as the queues show them: those of their creditors' claims
 * (or naming one of their creditors), and unassigned bank money for supervisors and admins.
 */
function visibleTo(staff: StaffContext): Prisma.StaffTaskWhereInput {
  return {
    OR: [
      { claim: { creditorId: { in: staff.creditorIds } } },
      mineOnNoClaim(staff),
      ...(seesUnassigned(staff) ? [{ claimId: null, creditorId: null }] : []),
    ],
  };
}

export type PaymentTaskView = {
  id: string;
  kind: StaffTaskKind;
  status: "OPEN" | "DONE";
  createdAt: string;
  doneAt: string | null;
  claim: { id: string; externalId: string; paymentReference: string; currency: string } | null;
  facts: TaskFacts;
  resolvedBy: string | null;
  actions: TaskAction[];
};

/** One task for the task page, or null when it is not there for this staff member. */
export async function paymentTaskView(
  staff: StaffContext,
  taskId: string,
): Promise<PaymentTaskView | null> {
  if (!isUuid(taskId)) return null;
  const task = await db().staffTask.findFirst({
    where: { id: taskId, ...visibleTo(staff) },
    include: {
      claim: { select: { id: true, externalId: true, paymentReference: true, currency: true } },
    },
  });
  if (!task) return null;
  const facts = taskFacts(task.kind, task.data);
  // Bank mismatches keep only the entry's key in their data; the entry has the rest.
  if (facts.entryKey && (!facts.bookedOn || !facts.reference)) {
    const entry = await db().bankEntry.findUnique({ where: { entryKey: facts.entryKey } });
    if (entry) {
      facts.bookedOn ??= entry.bookedOn.toISOString().slice(0, 10);
      facts.reference ??= entry.reference || null;
      facts.payerName ??= entry.payerName;
    }
  }
  const resolver = facts.resolution?.by
    ? await db().staff.findUnique({
        where: { id: facts.resolution.by },
        select: { name: true },
      })
    : null;
  return {
    id: task.id,
    kind: task.kind,
    status: task.status,
    createdAt: task.createdAt.toISOString(),
    doneAt: task.doneAt?.toISOString() ?? null,
    claim: task.claim,
    facts,
    resolvedBy: resolver?.name ?? null,
    actions: task.status === "OPEN" ? TASK_ACTIONS[task.kind] : [],
  };
}

/** Thrown inside the transaction so that nothing it wrote stays. */
class Refusal extends Error {
  constructor(readonly code: TaskError) {
    super(code);
  }
}

type Task = NonNullable<Awaited<ReturnType<typeof lockTask>>>;

async function lockTask(tx: Tx, staff: StaffContext, taskId: string) {
  // The row lock makes a second submit (another tab, a double click) wait, then see DONE.
  await tx.$queryRaw`SELECT id FROM "StaffTask" WHERE id = ${taskId}::uuid FOR UPDATE`;
  return tx.staffTask.findFirst({
    where: { id: taskId, ...visibleTo(staff) },
    include: { claim: true },
  });
}

/** The claim a staff member names by payment reference (KID/OCR) or external id, of their creditors only. */
async function findClaim(tx: Tx, staff: StaffContext, ref: string) {
  const text = ref.trim();
  if (!text) throw new Refusal("claim_required");
  const rows = await tx.claim.findMany({
    where: {
      creditorId: { in: staff.creditorIds },
      OR: [{ paymentReference: text.replace(/\s+/g, "") }, { externalId: text }],
    },
    take: 2,
  });
  if (rows.length === 0) throw new Refusal("claim_not_found");
  if (rows.length > 1) throw new Refusal("claim_ambiguous");
  return rows[0]!;
}

/** Puts the task's money on a claim through the ledger; its source key makes a repeat a no-op. */
async function payOnto(
  tx: Tx,
  staff: StaffContext,
  task: Task,
  claim: { id: string; currency: string },
  facts: TaskFacts,
  receivedOn: IsoDate,
  law: LawBook,
) {
  if (facts.amount === null || facts.amount <= 0) throw new Refusal("no_amount");
  if (facts.currency !== claim.currency) throw new Refusal("wrong_currency");
  const outcome = await recordPayment(tx, law, {
    claimId: claim.id,
    amount: facts.amount,
    currency: facts.currency,
    receivedOn,
    method: task.kind === "PAYMENT_MISMATCH" && facts.checkoutId ? "card" : "bank_transfer",
    // The same key the automation would have used (bank:<format>:<file>:<entry>, stripe:<event>).
    providerRef: task.sourceKey,
    actor: `staff:${staff.staffId}`,
    checkoutId: facts.checkoutId ?? undefined,
  });
  if (outcome.kind === "currency_mismatch") throw new Refusal("wrong_currency");
  if (outcome.kind === "duplicate") throw new Refusal("already_recorded");
  return outcome.paymentId;
}

/** The credit of an over-payment still not given back (a card refund may have taken part of it). */
async function creditLeft(tx: Tx, paymentId: string) {
  const payment = await tx.payment.findUnique({
    where: { id: paymentId },
    include: { refunds: true },
  });
  if (!payment) return null;
  const refunded = payment.refunds.reduce(
    (s, r) => s + ((r.allocations as Record<string, number>).credit ?? 0),
    0,
  );
  return { payment, left: Math.max(0, payment.creditAmount - refunded) };
}

/**
 * A person settles a payment task: matches bank money to a claim, accepts a mismatched payment,
 * records money sent back, or marks a card dispute handled. One transaction: the task row is
 * locked, the ledger changes (if any) go through the payments service, the task ends DONE with
 * the resolution in its data, and an audit event records who, when and why. A refusal changes
 * nothing.
 */
export async function resolvePaymentTask(
  staff: StaffContext,
  input: { taskId: string; action: TaskAction; note: string; claimRef?: string; now: Date },
): Promise<TaskResult> {
  if (!isUuid(input.taskId)) return { ok: false, error: "not_found" };
  const note = input.note.trim();
  if (note.length < NOTE_MIN || note.length > NOTE_MAX)
    return { ok: false, error: "note_required" };
  const [law, officeZone] = await Promise.all([loadLawBook(), staffTimeZone(staff)]);
  try {
    await db().$transaction(async (tx) => {
      const task = await lockTask(tx, staff, input.taskId);
      if (!task) throw new Refusal("not_found");
      if (task.status === "DONE") throw new Refusal("already_done");
      if (!TASK_ACTIONS[task.kind].includes(input.action)) throw new Refusal("invalid_action");
      const facts = taskFacts(task.kind, task.data);
      const today = todayIn(officeZone, input.now);
      let claim = task.claim;
      let paymentId: string | null = null;
      let refundId: string | null = null;

      if (input.action === "match") {
        claim = await findClaim(tx, staff, input.claimRef ?? "");
        paymentId = await payOnto(tx, staff, task, claim, facts, facts.bookedOn ?? today, law);
      } else if (input.action === "accept") {
        if (!claim) throw new Refusal("claim_not_found");
        const entry = facts.entryKey
          ? await tx.bankEntry.findUnique({ where: { entryKey: facts.entryKey } })
          : null;
        const on = entry
          ? entry.bookedOn.toISOString().slice(0, 10)
          : todayIn(officeZone, task.createdAt);
        paymentId = await payOnto(tx, staff, task, claim, facts, on, law);
      } else if (input.action === "refunded" && facts.paymentId) {
        const credit = await creditLeft(tx, facts.paymentId);
        // This task's credit: a payment can carry more than one (credit freed later has its own).
        const amount = Math.min(credit?.left ?? 0, facts.amount ?? credit?.left ?? 0);
        if (credit && amount > 0) {
          const r = await recordRefund(tx, law, {
            paymentId: credit.payment.id,
            amount,
            providerRef: `staff-task:${task.id}`,
            refundedOn: today,
            actor: `staff:${staff.staffId}`,
          });
          if (r !== "recorded") throw new Refusal("already_recorded");
          refundId = (
            await tx.refund.findUniqueOrThrow({
              where: { providerRef: `staff-task:${task.id}` },
            })
          ).id;
        }
      }

      const resolution = {
        action: input.action,
        note,
        by: staff.staffId,
        at: input.now.toISOString(),
        claimId: claim?.id ?? null,
        paymentId,
        refundId,
      };
      await tx.staffTask.update({
        where: { id: task.id, status: "OPEN" },
        data: {
          status: checkMove(TASK_MACHINE, task.status, "resolve", staffActor(staff).role, note),
          doneAt: input.now,
          // A matched payment now belongs to that claim's creditor, and shows in its history.
          claimId: claim?.id ?? null,
          creditorId: claim?.creditorId ?? task.creditorId,
          data: { ...(task.data as Record<string, unknown>), resolution },
        },
      });
      // "staff." events stay out of the resident's own timeline; the payment's event is there.
      await recordEvent(tx, {
        claimId: claim?.id ?? null,
        residentId: claim?.residentId ?? null,
        creditorId: claim?.creditorId ?? task.creditorId,
        type: "staff.payment_task_resolved",
        actor: `staff:${staff.staffId}`,
        on: today,
        data: {
          taskId: task.id,
          kind: task.kind,
          action: input.action,
          note,
          amount: facts.amount,
          currency: facts.currency,
          paymentId,
          refundId,
        },
      });
    });
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.code };
    throw error;
  }
  return { ok: true };
}
