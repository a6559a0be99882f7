import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, nextBankDay } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { dispatchPendingOnPaper } from "../../../server/test-support/letters";
import {
  claimOfOwn,
  deliverStripeEvent,
  type Payer,
  startTestStripe,
} from "../../../server/test-support/payments";
import type { StripeStandin } from "../../../server/dev/stripe-standin";
import { runSweep } from "../escalation/sweep.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { startCheckout } from "./checkout.server";

// Decision 0118: a card payment begun on the last day of a reminder's deadline and then let go
// (cancelled, declined, or left to expire) gives the resident that day back. It used to end in a
// letter with a fresh deadline, which every abandoned payment could bring again.

const slug = `abandoned-${Date.now().toString(36)}`;
let standin: StripeStandin;
let payer: Payer;
const publicUrl = "http://localhost:3000";
const sweep = (asOf: string) => runSweep({ asOf, creditorSlug: slug, publicUrl });
const claimRow = () => db().claim.findUniqueOrThrow({ where: { id: payer.claimId } });
const letters = async () =>
  (
    await db().notice.findMany({
      where: { claimId: payer.claimId },
      orderBy: { createdAt: "asc" },
    })
  ).map((n) => n.kind);

beforeAll(async () => {
  await seedDemo();
  standin = await startTestStripe();
  const { caller } = await createTestCreditor(slug, "NO");
  payer = await claimOfOwn(caller, { principal: 80_000, dueOn: "2026-08-31", tag: slug });
});
afterAll(async () => {
  await standin?.close();
  await disconnectDb();
});

describe("a card payment begun on the deadline and not finished", () => {
  let deadline = "";
  let unpaidStepOn = "";

  it("leaves the reminder's letter as it was", async () => {
    const remindOn = isoOf((await claimRow()).nextActionOn!);
    await sweep(remindOn);
    await dispatchPendingOnPaper(payer.claimId, remindOn);
    expect(await letters()).toEqual(["REMINDER"]);
    const step = await db().claimStep.findFirstOrThrow({ where: { claimId: payer.claimId } });
    deadline = isoOf(step.deadline!);
    unpaidStepOn = isoOf((await claimRow()).nextActionOn!);
    // Without a payment, the collection notice comes on the first bank day after the deadline.
    expect(unpaidStepOn).toBe(nextBankDay(addDays(deadline, 1), "NO"));
  });

  it("gives the day back after the checkout expired, with no letter of a fresh deadline", async () => {
    const at = new Date(`${deadline}T10:00:00Z`);
    const checkout = await startCheckout({
      residentId: payer.residentId,
      claims: [{ claimId: payer.claimId }],
      requestId: randomUUID(),
      locale: "nb",
      publicUrl,
      now: at,
    });
    if (!checkout.ok) throw new Error(JSON.stringify(checkout));
    const row = await db().checkout.findUniqueOrThrow({ where: { id: checkout.checkoutId } });
    await deliverStripeEvent(
      "checkout.session.expired",
      {
        id: row.providerSessionId,
        object: "checkout.session",
        status: "expired",
        payment_status: "unpaid",
        metadata: { checkoutId: row.id },
        payment_intent: null,
      },
      new Date(`${deadline}T11:00:00Z`),
    );
    const hold = await db().hold.findFirstOrThrow({
      where: { claimId: payer.claimId, kind: "PAYMENT_PENDING" },
    });
    expect(isoOf(hold.releasedOn!)).toBe(deadline);

    const movedTo = nextBankDay(addDays(deadline, 2), "NO");
    expect(isoOf((await claimRow()).nextActionOn!)).toBe(movedTo);
    // What the resident reads under "What happens next" says the same day.
    const page = await getResidentClaimPage(payer.residentId, payer.claimId, at);
    expect(page!.claim.next).toMatchObject({
      kind: "wait",
      on: movedTo,
      action: { type: "step", stage: "COLLECTION_NOTICE" },
    });

    // The day the step would have come, nothing is sent; it comes on the day given back.
    expect(unpaidStepOn < movedTo).toBe(true);
    await sweep(unpaidStepOn);
    expect(await letters()).toEqual(["REMINDER"]);
    expect((await claimRow()).stage).toBe("REMINDER");
    await sweep(movedTo);
    expect(await letters()).toEqual(["REMINDER", "COLLECTION_NOTICE"]);
    expect((await claimRow()).stage).toBe("COLLECTION_NOTICE");
  });
});
