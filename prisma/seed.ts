import { pathToFileURL } from "node:url";
import { addDays, daysBetween, todayIn } from "../app/domain/calendar-date.ts";
import { runSweep } from "../app/services/escalation/sweep.server.ts";
import { sendLettersOfDay } from "../app/services/letters/send-day.server.ts";
import { createMailer } from "../app/integrations/mail/smtp.server.ts";
import { savePolicy } from "../app/services/law/policies.server.ts";
import { db, disconnectDb } from "../app/infra/db.server.ts";
import { dbDate } from "../app/infra/db-dates.server.ts";
import { receiveClaim } from "../app/services/claims/intake.server.ts";
import { placeHold } from "../app/services/claims/holds.server.ts";
import { fileDispute } from "../app/services/disputes/disputes.server.ts";
import { recordPayment } from "../app/services/payments/ledger.server.ts";
import { loadLawBook } from "../app/services/law/legal-figures.server.ts";
import {
  DEMO_CLAIMS,
  DEMO_CREDITORS,
  DEMO_ENFORCEMENT_MINIMUM,
  DEMO_PLAN_RULES,
  DEMO_ADDRESSES,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
  DEMO_STAFF_TOTP_SECRET,
  type DemoClaim,
} from "./demo-data.ts";
import {
  encryptTotpSecret,
  hashPassword,
} from "../app/services/identity/staff-credentials.server.ts";
import { env } from "../app/infra/env.server.ts";
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

/** The demo creditors, their claim types and policies (upserts; policies saved again). */
export async function ensureCreditors(): Promise<void> {
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
        ...c.contact,
      },
      // Contact details kept current (printed on every letter); the rest stays as it was made.
      update: { ...c.contact },
    });
    for (const t of c.claimTypes) {
      const type = await db().claimType.upsert({
        where: { creditorId_slug: { creditorId: creditor.id, slug: t.slug } },
        create: {
          creditorId: creditor.id,
          slug: t.slug,
          name: t.name,
          names: t.names,
          ownEnforcement: t.ownEnforcement,
        },
        // Who enforces the type kept current too; names and policies stay as they were made.
        update: { ownEnforcement: t.ownEnforcement },
      });
      const saved = await savePolicy({
        creditorSlug: c.slug,
        claimTypeSlug: type.slug,
        policy: {
          steps: t.steps,
          enforcementMinimum: DEMO_ENFORCEMENT_MINIMUM,
          chargesInterest: t.chargesInterest,
          allocationOrder: ["costs", "interest", "principal"],
          resumeDeadlineDays: 14,
          planRules: DEMO_PLAN_RULES[c.country],
        },
        actor: "seed",
        now: new Date(),
      });
      if (!saved.ok)
        throw new Error(`demo policy ${c.slug}/${t.slug} refused: ${JSON.stringify(saved.errors)}`);
    }
  }
}

/** A demo payment, booked by the ledger itself as a bank transfer on that day. */
async function recordDemoPayment(demo: DemoClaim, claimId: string, on: string, amount: number) {
  const law = await loadLawBook();
  const currency = demo.creditor === "elvdal" ? "NOK" : "SEK";
  await db().$transaction((tx) =>
    recordPayment(tx, law, {
      claimId,
      amount,
      currency,
      receivedOn: on,
      method: "bank_transfer",
      providerRef: `demo:${demo.externalId}:${on}`,
      actor: "system",
    }),
  );
}

async function placeDemoHold(demo: DemoClaim, claimId: string, on: string) {
  if (!demo.hold) return;
  // An objection is the resident's, filed as one (the dispute, its hold and the letter saying it
  // was received): a bare objection hold had no dispute for staff to decide, so nothing could
  // ever lift it.
  if (demo.hold.kind === "DISPUTE") {
    const claim = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    const filed = await fileDispute({
      residentId: claim.residentId,
      claimId,
      reason: "SERVICE_NOT_RECEIVED",
      text: demo.hold.reason,
      files: [],
      now: new Date(`${on}T10:00:00Z`),
    });
    if (!filed.ok)
      throw new Error(`demo objection on ${demo.externalId}: ${JSON.stringify(filed)}`);
    return;
  }
  const placed = await placeHold({
    creditorSlug: demo.creditor,
    externalId: demo.externalId,
    kind: demo.hold.kind,
    reason: demo.hold.reason,
    startsOn: on,
    actor: "system",
  });
  if (!placed.ok) throw new Error(`demo hold on ${demo.externalId}: ${placed.error}`);
}

/**
 * Demo creditors, residents and claims. The claims' history is made by the real escalation
 * engine, replayed day by day from the oldest due date to today, with the demo payments and
 * holds on their days: the demo shows exactly what the engine does. Idempotent: claims are keyed
 * by their external ids, and an existing demo is left as it is.
 */
async function ensureDemoStaff(): Promise<void> {
  const creditors = await db().creditor.findMany({ select: { id: true, slug: true } });
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
  for (const s of DEMO_STAFF) {
    if (await db().staff.findUnique({ where: { email: s.email } })) continue;
    await db().staff.create({
      data: {
        email: s.email,
        name: s.name,
        role: s.role,
        passwordHash,
        mustChangePassword: false,
        totpSecretCipher: encryptTotpSecret(DEMO_STAFF_TOTP_SECRET, env().PII_ENCRYPTION_KEY),
        creditors: {
          create: creditors
            .filter((c) => (s.creditors as readonly string[]).includes(c.slug))
            .map((c) => ({ creditorId: c.id })),
        },
      },
    });
  }
}

export async function loadDemoData(now: Date): Promise<{ claims: number; created: number }> {
  await ensureCreditors();
  await ensureDemoStaff();
  const creditors = await db().creditor.findMany();
  const created: { demo: DemoClaim; id: string }[] = [];
  let oldest: string | null = null;
  for (const demo of DEMO_CLAIMS) {
    const creditor = creditors.find((c) => c.slug === demo.creditor);
    const resident = DEMO_RESIDENTS.find((r) => r.key === demo.resident);
    if (!creditor || !resident)
      throw new Error(`demo data refers to unknown ${demo.creditor}/${demo.resident}`);
    const today = todayIn(creditor.timeZone, now);
    const dueOn = addDays(today, -demo.dueDaysAgo);
    // Billing systems hand a claim over the day after it fell due.
    const handedOver = new Date(`${addDays(dueOn, 1)}T12:00:00Z`);
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
          address: DEMO_ADDRESSES[resident.key],
        },
        description: demo.description,
        currency: creditor.currency,
        principal: demo.principal,
        issuedOn: addDays(dueOn, -30),
        dueOn,
      },
      handedOver,
    );
    if (result.kind === "invalid") {
      throw new Error(`demo claim ${demo.externalId} rejected: ${JSON.stringify(result.errors)}`);
    }
    // "existing" or "conflict" (loaded on another day, with other dates): keep what is there.
    if (result.kind !== "created") continue;
    created.push({ demo, id: result.claim.id });
    if (oldest === null || dueOn < oldest) oldest = dueOn;
  }
  if (oldest === null) return { claims: DEMO_CLAIMS.length, created: 0 };

  const today = todayIn("Europe/Stockholm", now);
  const mailer = process.env.SMTP_URL
    ? createMailer({ url: process.env.SMTP_URL, from: env().MAIL_FROM })
    : null;
  const send = mailer ? (m: Parameters<typeof mailer.send>[0]) => mailer.send(m) : null;
  const publicUrl = process.env.PUBLIC_URL ?? "http://localhost:3000";
  for (let day = addDays(oldest, 1); day <= today; day = addDays(day, 1)) {
    for (const { demo, id } of created) {
      const daysAgo = -daysBetween(today, day);
      for (const p of demo.payments ?? [])
        if (p.daysAgo === daysAgo) await recordDemoPayment(demo, id, day, p.amount);
      if (demo.hold?.daysAgo === daysAgo) await placeDemoHold(demo, id, day);
    }
    for (const slug of ["elvdal", "vastkust"])
      await runSweep({ asOf: day, creditorSlug: slug, publicUrl });
    // The day's letters leave that day: to the mailboxes the contact registers name (the local
    // stand-ins under npm start), by email (SMTP_URL), else on paper in the day's print batch.
    await sendLettersOfDay({ asOf: day, send, actor: "seed" });
  }
  return { claims: DEMO_CLAIMS.length, created: created.length };
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
