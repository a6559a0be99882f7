import { activeHoldsOf, statementOf } from "~/domain/claim";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { maskNationalId } from "~/domain/national-id";
import { db } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { loadClaims } from "../claims/load-claims.server";
import { recordEvent } from "../events/events.server";
import { openAddress, revealNationalId } from "../identity/residents.server";
import { loadLawBook } from "../law/legal-figures.server";
import { caseNotes } from "./notes.server";
import type { StaffContext } from "./queues.server";

/**
 * One resident as a case worker sees them: every claim of theirs across the staff member's
 * creditors, open and closed, with stage, balance, holds, plan, letters and payments; how to
 * reach them; their flags; the notes of the staff member's creditors. Null when the resident has
 * no claim of those creditors (another creditor's resident is not there at all). Each look is an
 * audit event.
 */
export async function residentView(staff: StaffContext, residentId: string, now: Date) {
  if (!isUuid(residentId) || staff.creditorIds.length === 0) return null;
  const [claims, law] = await Promise.all([
    loadClaims(
      undefined,
      { residentId, creditorIds: staff.creditorIds },
      { extra: { nationalIdCipher: `r."nationalIdCipher"` } },
    ),
    loadLawBook(),
  ]);
  const first = claims[0];
  if (!first) return null;
  const [resident, plans, flags, notes] = await Promise.all([
    db().resident.findUniqueOrThrow({
      where: { id: residentId },
      select: { phone: true, addressCipher: true, emailNotices: true, country: true },
    }),
    query<{ claimId: string; reference: string; status: string; planId: string }>(
      undefined,
      `SELECT pc."claimId"::text, p.reference, p.status::text, p.id::text AS "planId"
         FROM "PlanClaim" pc JOIN "PaymentPlan" p ON p.id = pc."planId"
        WHERE pc."claimId" = ANY($1::uuid[]) ORDER BY p."createdAt" DESC`,
      [claims.map((c) => c.id)],
    ),
    db().vulnerabilityFlag.findMany({ where: { residentId }, orderBy: { raisedAt: "desc" } }),
    caseNotes(staff, { residentId }),
  ]);
  await recordEvent(undefined, {
    type: "staff.viewed_resident",
    residentId,
    creditorId: first.creditor.id,
    actor: `staff:${staff.staffId}`,
    on: todayIn(first.creditor.timeZone, now),
    data: {},
  });
  const planOf = (claimId: string) => plans.find((p) => p.claimId === claimId) ?? null;
  const rows = claims
    .map((c) => {
      const today = todayIn(c.creditor.timeZone, now);
      const statement = statementOf(c, law, today);
      const sent = c.notices.filter((n) => n.dispatchedOn);
      const last = sent[sent.length - 1];
      const lastPayment = c.payments[c.payments.length - 1];
      return {
        id: c.id,
        externalId: c.externalId,
        description: c.description,
        creditorId: c.creditor.id,
        creditorName: c.creditor.name,
        country: c.creditor.country,
        ownEnforcement: c.claimType.ownEnforcement ?? false,
        claimType: { name: c.claimType.name, names: c.claimType.names },
        stage: c.stage,
        status: c.status,
        currency: c.currency,
        dueOn: c.dueOn,
        balance: statement.balance.total,
        holds: activeHoldsOf(c, today).map((h) => h.kind),
        plan: planOf(c.id),
        letters: {
          sent: sent.length,
          last: last ? { kind: last.kind, on: last.dispatchedOn } : null,
        },
        payments: {
          count: c.payments.length,
          total: c.payments.reduce((s, p) => s + p.amount, 0),
          lastOn: lastPayment?.receivedOn ?? null,
        },
      };
    })
    // Open claims first, then the most recent due date.
    .sort((a, b) =>
      a.status === b.status
        ? b.dueOn.localeCompare(a.dueOn)
        : a.status === "OPEN"
          ? -1
          : b.status === "OPEN"
            ? 1
            : 0,
    );
  const owed = new Map<string, number>();
  for (const r of rows)
    if (r.status === "OPEN") owed.set(r.currency, (owed.get(r.currency) ?? 0) + r.balance);
  return {
    id: residentId,
    name: first.resident.name,
    country: resident.country,
    nationalIdMasked: maskNationalId(revealNationalId(first.extra.nationalIdCipher as string)),
    email: first.resident.email,
    emailNotices: resident.emailNotices,
    phone: resident.phone,
    language: first.resident.language,
    address: openAddress(resident.addressCipher),
    owed: [...owed].map(([currency, amount]) => ({ currency, amount })),
    claims: rows,
    flags: flags.map((f) => ({
      id: f.id,
      kind: f.kind,
      note: f.note,
      raisedAt: f.raisedAt.toISOString(),
      resolvedAt: f.resolvedAt?.toISOString() ?? null,
    })),
    notes,
    // The creditors a note may be written for: the staff member's, among this resident's claims.
    noteCreditors: [...new Map(rows.map((r) => [r.creditorId, r.creditorName]))].map(
      ([id, name]) => ({ id, name }),
    ),
    timeZone: first.creditor.timeZone,
  };
}
export type ResidentView = NonNullable<Awaited<ReturnType<typeof residentView>>>;
