import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import { loadLawBook } from "../law/legal-figures.server";
import { markDispatched } from "../letters/notice-moves.server";
import { previewPayment } from "./checkout.server";

// What a payment would pay, as the resident reads it before paying: the lines in the order the
// money really goes to them (the creditor's allocation order), not the order they arose in.

const slug = `preview-${Date.now().toString(36)}`;
const DUE = "2026-03-02";
let claimId = "";
let residentId = "";
let today = "";

beforeAll(async () => {
  await seedDemo();
  const { caller } = await createTestCreditor(slug, "NO");
  let nationalId: string | null = null;
  for (let n = 420; !nationalId; n++)
    nationalId = makeNorwegianFodselsnummer("1971-07-19", n, { synthetic: true });
  const r = await receiveClaim(
    caller,
    {
      externalId: `PV-${slug}`,
      claimType: "water",
      resident: { nationalId, name: "Pia Preview" },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 200_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    },
    new Date(`${addDays(DUE, -29)}T12:00:00Z`),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  claimId = r.claim.id;
  // The reminder and its fee, sent: the claim now owes principal, a fee and interest.
  const claim = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
  residentId = claim.residentId;
  const sweepDay = isoOf(claim.nextActionOn!);
  await runSweep({ asOf: sweepDay, creditorSlug: slug, publicUrl: "http://localhost" });
  const notice = await db().notice.findFirstOrThrow({ where: { claimId } });
  const law = await loadLawBook();
  await db().$transaction((tx) =>
    markDispatched(tx, law, [
      { noticeId: notice.id, on: sweepDay, channel: "PRINT", why: "test", provider: "test" },
    ]),
  );
  today = addDays(sweepDay, 3);
});
afterAll(() => disconnectDb());

describe("the payment preview", () => {
  it("lists what a part payment pays in the order the money goes: fees, interest, principal", async () => {
    const preview = await previewPayment({
      residentId,
      claims: [{ claimId, amount: 50_000 }],
      now: new Date(`${today}T12:00:00Z`),
    });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    const covers = preview.items[0]!.covers;
    expect(covers.map((c) => c.kind)).toEqual(["REMINDER_FEE", "INTEREST", "PRINCIPAL"]);
    expect(covers.reduce((s, c) => s + c.amount, 0)).toBe(50_000);
  });

  it("follows the creditor's own order when it pays the principal first", async () => {
    const claim = await db().claim.findUniqueOrThrow({
      where: { id: claimId },
      select: { policyId: true },
    });
    await db().policy.update({
      where: { id: claim.policyId },
      data: { allocationOrder: ["principal", "interest", "costs"] },
    });
    const preview = await previewPayment({
      residentId,
      claims: [{ claimId, amount: 199_000 }],
      now: new Date(`${today}T12:00:00Z`),
    });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.items[0]!.covers).toEqual([{ kind: "PRINCIPAL", amount: 199_000 }]);
    const all = await previewPayment({
      residentId,
      claims: [{ claimId }],
      now: new Date(`${today}T12:00:00Z`),
    });
    if (!all.ok) throw new Error(all.error);
    expect(all.items[0]!.covers.map((c) => c.kind)).toEqual([
      "PRINCIPAL",
      "INTEREST",
      "REMINDER_FEE",
    ]);
  });
});
