import { PLAN_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
import type { BasisError } from "./plan-basis.server";
import { planBasis, planRulesOf } from "./plan-basis.server";
import { z } from "zod/v4";
import { Prisma, type PaymentPlan } from "~/generated/prisma/client.ts";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { parseMajorAmount } from "~/domain/money";
import { MAX_SCHEDULE_MONTHS, type PlanBy } from "~/domain/payment-plan";
import { referenceFor } from "~/domain/payment-reference";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { loadLawBook } from "../law/legal-figures.server";
import {
  activatePlan,
  placePlanHolds,
  planEvent,
  queuePlanRequestedMail,
  releasePlanHolds,
  writePlanLetter,
  writeInstalments,
  movePlan,
} from "./plan-core.server";

/** Plan references start here in the creditor's reference sequence (claims stay below it). */
export const PLAN_REFERENCE_BASE = 90_000_000;

/** The longest deferral the form takes (the rules may grant less at once). */
export const MAX_DEFER_MONTHS = 12;

const ByForm = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("months"),
    value: z.coerce.number().int().min(1).max(MAX_SCHEDULE_MONTHS),
  }),
  z.object({ mode: z.literal("monthly"), value: z.string() }),
  z.object({
    mode: z.literal("defer"),
    value: z.coerce.number().int().min(1).max(MAX_DEFER_MONTHS),
  }),
]);

/**
 * What the resident typed: a number of months, an amount a month, or months to defer. An amount
 * is read as the page's `locale` writes amounts (see parseMajorAmount).
 */
export function parsePlanBy(mode: unknown, value: unknown, locale?: string): PlanBy | null {
  const parsed = ByForm.safeParse({ mode, value });
  if (!parsed.success) return null;
  const d = parsed.data;
  if (d.mode === "months") return { months: d.value };
  if (d.mode === "defer") return { deferMonths: d.value };
  const minor = parseMajorAmount(d.value, locale);
  return minor && minor > 0 ? { monthly: minor } : null;
}

/**
 * The figure of a plan the request form's confirm step carries, as the server wrote it: a whole
 * number (months, months to wait, or an amount a month in minor units) that reads the same in
 * every language, so a language changed between the preview and the confirm changes nothing.
 */
export function planFigureOf(by: PlanBy): string {
  return String("months" in by ? by.months : "deferMonths" in by ? by.deferMonths : by.monthly);
}

/** What `planFigureOf` wrote, read back; null for anything else. */
export function planByOfFigure(mode: unknown, figure: unknown): PlanBy | null {
  if (typeof figure !== "string" || !/^[0-9]{1,12}$/.test(figure)) return null;
  if (mode !== "monthly") return parsePlanBy(mode, figure);
  const monthly = Number(figure);
  return monthly > 0 ? { monthly } : null;
}

const actorOf = (residentId: string) => `resident:${residentId}`;

/** What a plan over some claims may be and still be granted at once. */
export type PlanLimits = { maxMonths: number; minInstalment: number; maxDeferralMonths: number };

/**
 * The limits of the creditor's rules for a plan over these claims of the resident, for the form
 * to show next to its fields before anything is typed (the preview judges by the same rules);
 * null when none of the claims is theirs, or when staff decide every plan over them.
 */
export async function planLimits(input: {
  residentId: string;
  claimIds: string[];
}): Promise<PlanLimits | null> {
  const rows = await db().claim.findMany({
    where: { id: { in: input.claimIds.filter(isUuid) }, residentId: input.residentId },
    select: { claimTypeId: true },
  });
  if (rows.length === 0) return null;
  const rules = await planRulesOf(db(), rows);
  return rules
    ? {
        maxMonths: rules.maxMonths,
        minInstalment: rules.minInstalment,
        maxDeferralMonths: rules.maxDeferralMonths,
      }
    : null;
}

async function creditorToday(residentId: string, claimIds: string[], now: Date) {
  const first = await db().claim.findFirst({
    where: { id: { in: claimIds.filter(isUuid) }, residentId },
    select: { creditor: { select: { timeZone: true } } },
  });
  return first ? todayIn(first.creditor.timeZone, now) : null;
}

export type PlanPreview =
  | {
      ok: true;
      currency: string;
      creditorName: string;
      owed: number;
      fee: number;
      interest: number;
      total: number;
      deferral: boolean;
      instalments: { dueOn: IsoDate; amount: number }[];
      within: boolean;
      reasons: string[];
      minInstalment: number | null;
      maxMonths: number | null;
      maxDeferralMonths: number | null;
    }
  | { ok: false; error: BasisError };

/** The schedule a resident would get and whether it is granted at once; nothing is written. */
export async function previewPlan(input: {
  residentId: string;
  claimIds: string[];
  by: PlanBy;
  now: Date;
}): Promise<PlanPreview> {
  if (input.claimIds.length === 0) return { ok: false, error: "no_claims" };
  const today = await creditorToday(input.residentId, input.claimIds, input.now);
  if (!today) return { ok: false, error: "not_found" };
  const law = await loadLawBook();
  const result = await db().$transaction((tx) => planBasis(tx, law, { ...input, today }));
  if (!result.ok) return result;
  const b = result.basis;
  return {
    ok: true,
    currency: b.currency,
    creditorName: b.rows[0]!.creditor.name,
    owed: b.owed,
    fee: b.schedule.fee,
    interest: b.schedule.interest,
    total: b.schedule.total,
    deferral: b.schedule.deferral,
    instalments: b.schedule.instalments,
    within: b.check.within,
    reasons: b.check.within ? [] : b.check.reasons,
    minInstalment: b.rules?.minInstalment ?? null,
    maxMonths: b.rules?.maxMonths ?? null,
    maxDeferralMonths: b.rules?.maxDeferralMonths ?? null,
  };
}

export type RequestPlanResult =
  { ok: true; planId: string; status: "ACTIVE" | "REQUESTED" } | { ok: false; error: BasisError };

/**
 * A resident asks for a plan. In one transaction, with the claims locked: the plan, its schedule,
 * its hold on every claim (escalation stops at once either way) and its events. Within the
 * creditor's rules it is granted at once (an active-plan or deferral hold, the plan fee if any)
 * and the resident gets the letter saying so; outside them it waits for staff under a
 * plan-request hold.
 */
export async function requestPlan(input: {
  residentId: string;
  claimIds: string[];
  by: PlanBy;
  now: Date;
}): Promise<RequestPlanResult> {
  if (input.claimIds.length === 0) return { ok: false, error: "no_claims" };
  const today = await creditorToday(input.residentId, input.claimIds, input.now);
  if (!today) return { ok: false, error: "not_found" };
  const law = await loadLawBook();
  const actor = actorOf(input.residentId);
  const ids = [...new Set(input.claimIds)].filter(isUuid);
  try {
    return await db().$transaction(async (tx) => {
      // Two requests at once for the same claim: the second waits here, then sees the first plan.
      await tx.$queryRaw`SELECT id FROM "Claim" WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
      const result = await planBasis(tx, law, { ...input, claimIds: ids, today });
      if (!result.ok) return result;
      const b = result.basis;
      const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: b.creditorId } });
      const [{ seq }] = await tx.$queryRaw<
        [{ seq: bigint }]
      >`SELECT nextval('plan_reference_seq') AS seq`;
      const plan = await tx.paymentPlan.create({
        data: {
          residentId: input.residentId,
          creditorId: b.creditorId,
          status: checkMove(PLAN_MACHINE, null, "request", "resident"),
          deferral: b.schedule.deferral,
          reference: referenceFor(
            creditor.referenceScheme,
            PLAN_REFERENCE_BASE + Number(seq),
            creditor.referencePrefix,
          ),
          currency: b.currency,
          request: input.by as Prisma.InputJsonValue,
          outsideRules: b.check.within ? [] : b.check.reasons,
          owed: b.owed,
          fee: b.schedule.fee,
          interest: b.schedule.interest,
          total: b.schedule.total,
          graceDays: b.rules?.graceDays ?? 7,
          requestedOn: dbDate(today),
          claims: { create: b.rows.map((r) => ({ claimId: r.id })) },
        },
      });
      await writeInstalments(tx, plan.id, 1, b.schedule);
      await planEvent(tx, plan, "plan.requested", actor, today, {
        by: input.by,
        total: b.schedule.total,
        instalments: b.schedule.instalments.length,
        outsideRules: b.check.within ? [] : b.check.reasons,
      });
      if (b.check.within) {
        await activatePlan(tx, law, plan, today, actor, "grant", "system");
        await planEvent(tx, plan, "plan.granted", "system", today, { automatic: true });
        await writePlanLetter(tx, plan.id, "PLAN_GRANTED", today, { by: "system" });
        return { ok: true as const, planId: plan.id, status: "ACTIVE" as const };
      }
      await placePlanHolds(tx, law, plan, "PLAN_REQUEST", today, actor);
      // A receipt, not a decision: an email where the resident has an address (the decision
      // that follows is a letter).
      await queuePlanRequestedMail(tx, plan, today);
      return { ok: true as const, planId: plan.id, status: "REQUESTED" as const };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { ok: false, error: "already_in_plan" };
    throw error;
  }
}

/** The resident accepts or declines a plan that staff approved with changes. */
export async function answerOffer(input: {
  residentId: string;
  planId: string;
  accept: boolean;
  now: Date;
}): Promise<{ ok: true } | { ok: false; error: "not_found" | "not_offered" | "claim_closed" }> {
  if (!isUuid(input.planId)) return { ok: false, error: "not_found" };
  const plan = await db().paymentPlan.findFirst({
    where: { id: input.planId, residentId: input.residentId },
  });
  if (!plan) return { ok: false, error: "not_found" };
  const creditor = await db().creditor.findUniqueOrThrow({ where: { id: plan.creditorId } });
  const today = todayIn(creditor.timeZone, input.now);
  const law = await loadLawBook();
  const actor = actorOf(input.residentId);
  return db().$transaction(async (tx) => {
    // Locked and read again: two answers at once (a double submit) count once.
    const [current] = await tx.$queryRaw<PaymentPlan[]>`
      SELECT * FROM "PaymentPlan" WHERE id = ${plan.id}::uuid FOR UPDATE`;
    if (current?.status !== "OFFERED") return { ok: false as const, error: "not_offered" as const };
    if (input.accept) {
      // Nothing left to plan: every bill of it was paid or closed since the offer.
      const open = await tx.planClaim.count({
        where: { planId: current.id, claim: { status: "OPEN" } },
      });
      if (open === 0) return { ok: false as const, error: "claim_closed" as const };
      await activatePlan(tx, law, current, today, actor, "accept", "resident");
      await planEvent(tx, plan, "plan.accepted", actor, today);
    } else {
      await movePlan(tx, current, "decline", "resident", {
        endedOn: today,
        endReason: "declined",
      });
      await releasePlanHolds(tx, law, plan.id, today, "offer declined", actor);
      await planEvent(tx, plan, "plan.declined", actor, today);
    }
    return { ok: true as const };
  });
}
