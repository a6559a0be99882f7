import { pathToFileURL } from "node:url";
import type { Prisma } from "../app/generated/prisma/client.ts";
import { addDays, todayIn } from "../app/domain/calendar-date.ts";
import { claimStatement } from "../app/domain/claim-statement.ts";
import { allocatePayment, type AllocationOrder } from "../app/domain/balance.ts";
import { legalBasisFor } from "../app/domain/legal-basis.ts";
import type { PolicyStep } from "../app/domain/next-step.ts";
import { db, disconnectDb } from "../app/infra/db.server.ts";
import { dbDate, isoOf } from "../app/infra/db-dates.server.ts";
import { receiveClaim } from "../app/services/intake.server.ts";
import { lateInterestRates } from "../app/services/legal-rates.server.ts";
import {
  DEMO_CLAIMS,
  DEMO_CREDITORS,
  DEMO_ENFORCEMENT_MINIMUM,
  DEMO_RESIDENTS,
  type DemoClaim,
} from "./demo-data.ts";
import { LEGAL_RATES } from "./legal-rates.ts";

/** Legal figures are reference data every installation needs, demo or not. Safe to re-run. */
export async function loadLegalRates(): Promise<void> {
  for (const r of LEGAL_RATES) {
    const key = { jurisdiction: r.jurisdiction, kind: r.kind, validFrom: dbDate(r.validFrom) };
    await db().legalRate.upsert({
      where: { jurisdiction_kind_validFrom: key },
      create: { ...key, value: r.value, source: r.source },
      update: { value: r.value, source: r.source },
    });
  }
}

const EVENT_OF_STAGE: Record<PolicyStep["stage"], string> = {
  REMINDER: "reminder.sent",
  COLLECTION_NOTICE: "collection_notice.sent",
  PAYMENT_DEMAND: "payment_demand.sent",
  READY_FOR_ENFORCEMENT: "enforcement.queued",
};

async function ensureCreditors(): Promise<void> {
  for (const c of DEMO_CREDITORS) {
    const creditor = await db().creditor.upsert({
      where: { slug: c.slug },
      create: {
        slug: c.slug,
        name: c.name,
        country: c.country,
        currency: c.currency,
        timeZone: c.timeZone,
        bankAccount: c.bankAccount,
        referenceScheme: c.referenceScheme,
        referencePrefix: c.referencePrefix,
      },
      update: {},
    });
    for (const t of c.claimTypes) {
      const type = await db().claimType.upsert({
        where: { creditorId_slug: { creditorId: creditor.id, slug: t.slug } },
        create: { creditorId: creditor.id, slug: t.slug, name: t.name, names: t.names },
        update: {},
      });
      await db().policy.upsert({
        where: { claimTypeId_version: { claimTypeId: type.id, version: 1 } },
        create: {
          creditorId: creditor.id,
          claimTypeId: type.id,
          version: 1,
          chargesInterest: t.chargesInterest,
          enforcementMinimum: DEMO_ENFORCEMENT_MINIMUM,
          allocationOrder: ["costs", "interest", "principal"],
          steps: t.steps as unknown as Prisma.InputJsonValue,
        },
        update: {},
      });
    }
  }
}

/**
 * Demo history is written the way the escalation engine and payment handlers record it: an
 * event, then the charge or payment it caused, and the claim's new stage. Dates are relative to
 * today so the demo always looks current.
 */
async function applyHistory(demo: DemoClaim, claimId: string, today: string): Promise<void> {
  const claim = await db().claim.findUniqueOrThrow({
    where: { id: claimId },
    include: {
      creditor: true,
      policy: true,
      charges: { include: { causeEvent: true } },
      payments: true,
    },
  });
  if (claim.charges.length > 1 || claim.payments.length > 0) return; // already applied
  const country = claim.creditor.country;
  const steps = claim.policy.steps as unknown as PolicyStep[];
  const rates = await lateInterestRates();
  const base = {
    claimId,
    residentId: claim.residentId,
    creditorId: claim.creditorId,
    actor: "system",
  };

  const actions = [
    ...(demo.steps ?? []).map((s) => ({ on: addDays(today, -s.daysAgo), step: s })),
    ...(demo.payments ?? []).map((p) => ({ on: addDays(today, -p.daysAgo), payment: p })),
  ].sort((a, b) => a.on.localeCompare(b.on));

  for (const action of actions) {
    await db().$transaction(async (tx) => {
      if ("step" in action && action.step) {
        const policyStep = steps.find((s) => s.stage === action.step.stage);
        const event = await tx.event.create({
          data: {
            ...base,
            type: EVENT_OF_STAGE[action.step.stage],
            occurredOn: dbDate(action.on),
            data: { stage: action.step.stage },
          },
        });
        if (policyStep?.fee) {
          await tx.charge.create({
            data: {
              claimId,
              kind: policyStep.fee.kind,
              amount: policyStep.fee.amount,
              chargedOn: dbDate(action.on),
              causeEventId: event.id,
              legalBasis: legalBasisFor(country, policyStep.fee.kind) ?? "unknown",
            },
          });
        }
        await tx.claim.update({
          where: { id: claimId },
          data: { stage: action.step.stage, stageEnteredOn: dbDate(action.on) },
        });
      } else if ("payment" in action && action.payment) {
        const current = await tx.claim.findUniqueOrThrow({
          where: { id: claimId },
          include: { charges: { include: { causeEvent: true } }, payments: true },
        });
        const statement = claimStatement({
          country,
          dueOn: isoOf(current.dueOn),
          today: action.on,
          chargesInterest: claim.policy.chargesInterest,
          charges: current.charges.map((c) => ({
            kind: c.kind,
            amount: c.amount,
            chargedOn: isoOf(c.chargedOn),
            causeType: c.causeEvent.type,
            legalBasis: c.legalBasis,
          })),
          payments: current.payments.map((p) => ({
            amount: p.amount,
            receivedOn: isoOf(p.receivedOn),
            method: p.method,
            allocations: p.allocations as Record<string, number>,
          })),
          rates: rates[country],
        });
        const b = statement.balance;
        const { allocated } = allocatePayment(
          action.payment.amount,
          { costs: b.fees, interest: b.interest, principal: b.principal },
          claim.policy.allocationOrder as unknown as AllocationOrder,
        );
        const event = await tx.event.create({
          data: {
            ...base,
            type: "payment.received",
            occurredOn: dbDate(action.on),
            data: { amount: action.payment.amount, allocated },
          },
        });
        await tx.payment.create({
          data: {
            claimId,
            amount: action.payment.amount,
            currency: claim.currency,
            receivedOn: dbDate(action.on),
            method: "bank_transfer",
            providerRef: `demo:${demo.externalId}:${action.on}`,
            allocations: allocated,
            eventId: event.id,
          },
        });
      }
    });
  }

  if (demo.hold) {
    const startsOn = addDays(today, -demo.hold.daysAgo);
    await db().$transaction([
      db().hold.create({
        data: {
          claimId,
          kind: demo.hold.kind,
          reason: demo.hold.reason,
          startsOn: dbDate(startsOn),
        },
      }),
      db().event.create({
        data: {
          ...base,
          type: "hold.placed",
          occurredOn: dbDate(startsOn),
          data: { kind: demo.hold.kind },
        },
      }),
    ]);
  }
}

/** Demo creditors, residents and claims. Idempotent: claims are keyed by their external ids. */
export async function loadDemoData(now: Date): Promise<{ claims: number }> {
  await ensureCreditors();
  const creditors = await db().creditor.findMany();
  for (const demo of DEMO_CLAIMS) {
    const creditor = creditors.find((c) => c.slug === demo.creditor);
    const resident = DEMO_RESIDENTS.find((r) => r.key === demo.resident);
    if (!creditor || !resident)
      throw new Error(`demo data refers to unknown ${demo.creditor}/${demo.resident}`);
    const today = todayIn(creditor.timeZone, now);
    // Billing systems hand a claim over the day after it fell due; the demo history says so too.
    const handedOver = new Date(`${addDays(today, -demo.dueDaysAgo + 1)}T12:00:00Z`);
    const result = await receiveClaim(
      {
        creditorId: creditor.id,
        keyId: "demo-seed",
        country: creditor.country,
        currency: creditor.currency,
        timeZone: creditor.timeZone,
      },
      {
        externalId: demo.externalId,
        claimType: demo.claimType,
        resident: {
          nationalId: resident.nationalId,
          country: resident.country,
          name: resident.name,
          ...("email" in resident ? { email: resident.email } : {}),
          ...("language" in resident ? { language: resident.language } : {}),
        },
        description: demo.description,
        currency: creditor.currency,
        principal: demo.principal,
        issuedOn: addDays(today, -demo.dueDaysAgo - 30),
        dueOn: addDays(today, -demo.dueDaysAgo),
      },
      handedOver,
    );
    if (result.kind === "invalid" || result.kind === "conflict") {
      // The demo was loaded on an earlier day: its claims exist with other dates. Keep them.
      if (result.kind === "conflict") continue;
      throw new Error(`demo claim ${demo.externalId} rejected: ${JSON.stringify(result.errors)}`);
    }
    await applyHistory(demo, result.claim.id, today);
  }
  return { claims: DEMO_CLAIMS.length };
}

async function main() {
  await loadLegalRates();
  if (process.env.DEMO_DATA !== "false") await loadDemoData(new Date());
  await disconnectDb();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${String(error)}\n`);
    process.exit(1);
  });
}
