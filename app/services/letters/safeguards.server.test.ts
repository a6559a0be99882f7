import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, type IsoDate } from "~/domain/calendar-date";
import { statementOf } from "~/domain/claim";
import { CHANNELS, dispatchDeadline } from "~/domain/letters";
import { BLOCKING_NOTICE_STATUSES, NOTICE_MACHINE } from "~/domain/notice-transitions";
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { approveEnforcement } from "../backoffice/enforcement.server";
import type { StaffContext } from "../backoffice/queues.server";
import { receiveClaim } from "../claims/intake.server";
import { loadClaim } from "../claims/load-claims.server";
import { runSweep } from "../escalation/sweep.server";
import { loadLawBook } from "../law/legal-figures.server";
import { markDispatched, markUndelivered } from "./notice-moves.server";

// Safeguards 1 (the fee side) and 4 of "every letter reaches the resident", as properties over
// random claims, channels, delivery outcomes and dates, through the code that writes them on
// PostgreSQL: the sweep writes the letter and its fee, the letters service's moves dispatch it or
// record it failed, the loader and the statement say what is owed, and the approval re-checks.
// Each run has a creditor and a resident of its own, so runs cannot see each other.

const run = Date.now().toString(36);
let runs = 0;
let person = 0;

/** A resident nobody else uses: an identity number of this file's own (synthetic in Norway). */
function newResident(country: "NO" | "SE"): string {
  for (;;) {
    person += 1;
    if (country === "SE") return makeSwedishPersonnummer("1983-11-21", 600 + person);
    const id = makeNorwegianFodselsnummer("1984-03-09", 250 + person, { synthetic: true });
    if (id) return id;
  }
}

const dayArb = fc.integer({ min: 0, max: 300 }).map((n) => addDays("2026-01-05", n));

/** A creditor of its own and one claim of a resident of its own, due `dueOn`. */
async function freshClaim(country: "NO" | "SE", dueOn: IsoDate, principal: number) {
  runs += 1;
  const slug = `safeguards-${run}-${runs}`;
  const { caller, creditor } = await createTestCreditor(slug, country);
  const nationalId = newResident(country);
  const r = await receiveClaim(
    caller,
    {
      externalId: `SG-${run}-${runs}`,
      claimType: "water",
      resident: { nationalId, name: "Sigrid Safeguard" },
      description: "Vann og avløp",
      currency: caller.currency,
      principal,
      issuedOn: addDays(dueOn, -30),
      dueOn,
    },
    new Date(`${addDays(dueOn, -29)}T12:00:00Z`),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return { slug, creditorId: creditor.id, claimId: r.claim.id };
}

beforeAll(async () => {
  await seedDemo();
});
afterAll(() => disconnectDb());

describe("safeguard 1: a fee is owed only from its letter's dispatch, dated that day", () => {
  const outcomeArb = fc.oneof(
    fc.record({
      kind: fc.constant("dispatch" as const),
      after: fc.integer({ min: 0, max: 9 }),
      channel: fc.constantFrom(...CHANNELS),
    }),
    fc.record({ kind: fc.constant("fail" as const), after: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant("pending" as const) }),
  );

  it("holds for any claim, channel, outcome and day", async () => {
    const law = await loadLawBook();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<"NO" | "SE">("NO", "SE"),
        dayArb,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 50_000, max: 900_000 }),
        outcomeArb,
        fc.integer({ min: 0, max: 40 }),
        async (country, dueOn, late, principal, outcome, laterDays) => {
          const { slug, claimId } = await freshClaim(country, dueOn, principal);
          // The sweep runs the day the reminder falls due (the engine's own next look: 10 or 14
          // days after the due date, moved past a weekend or holiday) or some days late.
          const received = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
          const sweepDay = addDays(isoOf(received.nextActionOn!), late);
          await runSweep({ asOf: sweepDay, creditorSlug: slug, publicUrl: "http://localhost" });

          const notice = await db().notice.findFirstOrThrow({ where: { claimId } });
          const fee = await db().charge.findFirstOrThrow({
            where: { claimId, kind: "REMINDER_FEE" },
          });
          expect(notice.status).toBe("PENDING");
          expect(fee.pendingNoticeId).toBe(notice.id);

          const owedFees = async (today: IsoDate) => {
            const claim = await loadClaim(undefined, { ids: [claimId] });
            const s = statementOf(claim!, law, today);
            const lines = s.lines.filter((l) => l.kind === "REMINDER_FEE");
            return { fees: s.balance.fees, lines };
          };
          // Written, not sent: the fee is on record, but not owed.
          expect(await owedFees(sweepDay)).toEqual({ fees: 0, lines: [] });

          if (outcome.kind === "pending") {
            expect(await owedFees(addDays(sweepDay, laterDays))).toEqual({ fees: 0, lines: [] });
            return;
          }
          const on = addDays(sweepDay, outcome.after);
          await db().$transaction(async (tx) => {
            if (outcome.kind === "dispatch")
              await markDispatched(tx, law, [
                {
                  noticeId: notice.id,
                  on,
                  channel: outcome.channel,
                  why: "test",
                  provider: "test",
                },
              ]);
            else
              await markUndelivered(tx, law, {
                noticeId: notice.id,
                move: "fail",
                reason: "test",
                on,
              });
          });
          const later = addDays(on, laterDays);
          if (outcome.kind === "fail") {
            // It never left: nothing is owed for it, however long after.
            expect(await owedFees(later)).toEqual({ fees: 0, lines: [] });
            return;
          }
          const owed = await owedFees(later);
          expect(owed.fees).toBe(fee.amount);
          expect(owed.lines).toHaveLength(1);
          expect(owed.lines[0]).toMatchObject({ amount: fee.amount, chargedOn: on });
          // And the deadline it gives is the one counted from that day.
          const sent = await db().notice.findUniqueOrThrow({ where: { id: notice.id } });
          expect(isoOf(sent.dispatchedOn!)).toBe(on);
          expect(isoOf(sent.deadline!)).toBe(
            dispatchDeadline({
              dispatchedOn: on,
              deadlineDays: sent.deadlineDays!,
              channel: outcome.channel,
              postalDays: (
                await db().policy.findFirstOrThrow({
                  where: { claims: { some: { id: claimId } } },
                })
              ).postalDays,
              country,
            }),
          );
        },
      ),
      { numRuns: 24 },
    );
  }, 240_000);
});

describe("safeguard 4: approving enforcement re-checks every letter of the ladder", () => {
  const LADDER = ["REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND", "FRESH_DEADLINE"] as const;
  const noticeArb = fc.record({
    kind: fc.constantFrom(...LADDER),
    status: fc.constantFrom(...NOTICE_MACHINE.states),
    channel: fc.constantFrom(...CHANNELS),
    sentAfter: fc.integer({ min: 0, max: 60 }),
  });

  it("approves exactly when every letter has left and none failed or came back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<"NO" | "SE">("NO", "SE"),
        dayArb,
        fc.array(noticeArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 30 }),
        async (country, dueOn, notices, waited) => {
          const { creditorId, claimId } = await freshClaim(country, dueOn, 400_000);
          // The claim as the engine leaves it in the enforcement queue, with its ladder's letters
          // in whatever state delivery left them.
          await db().claim.update({
            where: { id: claimId },
            data: { stage: "READY_FOR_ENFORCEMENT" },
          });
          await db().notice.createMany({
            data: notices.map((n) => {
              const sentOn = addDays(dueOn, n.sentAfter);
              const left = n.status !== "PENDING" && !(n.status === "FAILED" && n.sentAfter % 2);
              return {
                id: randomUUID(),
                claimId,
                kind: n.kind,
                status: n.status,
                sentOn: new Date(sentOn),
                language: country === "NO" ? "nb" : "sv",
                channel: n.status === "PENDING" ? null : n.channel,
                dispatchedOn: left ? new Date(sentOn) : null,
                content: {},
              };
            }),
          });
          const supervisor: StaffContext = {
            staffId: randomUUID(),
            role: "SUPERVISOR",
            creditorIds: [creditorId],
          };
          const now = new Date(`${addDays(dueOn, 60 + waited)}T10:00:00Z`);
          const result = await approveEnforcement(supervisor, claimId, now);
          const blocking = notices.some((n) =>
            (BLOCKING_NOTICE_STATUSES as readonly string[]).includes(n.status),
          );
          const claim = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
          if (blocking) {
            expect(result).toEqual({ ok: false, reasons: ["letter_not_sent"] });
            expect(claim.stage).toBe("READY_FOR_ENFORCEMENT");
            expect(await db().enforcementFiling.count({ where: { claimId } })).toBe(0);
          } else {
            expect(result).toEqual({ ok: true });
            expect(claim.stage).toBe("ENFORCEMENT_APPROVED");
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});
