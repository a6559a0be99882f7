import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { parseEnv } from "~/infra/env.server";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import {
  letterIntegrationsFrom,
  type LetterIntegrations,
} from "~/integrations/digital-mail/configured.server";
import { readPdf } from "~/integrations/letters/pdf-test-support";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { startLetterStandins, type LetterStandins } from "../../../server/dev/letter-standins";
import { LETTER_DEMO_PEOPLE } from "../../../server/dev/letter-demo-people";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import { giveEmailConsent } from "../identity/contact-preferences.server";
import { dispatchLetters } from "./dispatch.server";
import { letterOf, noticesForLetters } from "./letter-of.server";
import { makePrintBatch } from "./print-batches.server";

// Four residents, four ways (or none): a digital mailbox in the contact register (KRR, through
// the real clients against the local stand-ins), reserved against digital mail but agreed to
// email, not in the register with a postal address, and nothing at all. The sweep writes each a
// reminder; the dispatch sends each the right way, or stops the claim for staff.

const slug = `channels-${Date.now().toString(36)}`;
const DUE = "2026-02-02";
const AS_OF = addDays(DUE, 20);
const [MAILBOX, EMAIL, PAPER, NOTHING] = [1, 2, 3, 4].map((n) => {
  for (let i = n; ; i += 10) {
    const found = makeNorwegianFodselsnummer("1979-05-17", 300 + i, { synthetic: true });
    if (found) return found;
  }
});
const template = LETTER_DEMO_PEOPLE.find((p) => p.nationalId === "14876810183")!; // nothing
let standins: LetterStandins;
let integrations: LetterIntegrations;
let creditorId = "";
const claims = new Map<string, string>();

beforeAll(async () => {
  await seedDemo();
  standins = await startLetterStandins({
    statusDelayMs: null,
    people: [
      { ...template, nationalId: MAILBOX!, name: "Mia Mailbox", mailbox: "digipost", inRegister: true, outcome: "delivered" }, // prettier-ignore
      { ...template, nationalId: EMAIL!, name: "Erik Email", inRegister: true, reserved: true },
      { ...template, nationalId: PAPER!, name: "Pål Paper" },
      { ...template, nationalId: NOTHING!, name: "Nina Nothing" },
    ],
  });
  integrations = letterIntegrationsFrom(
    parseEnv({
      ...process.env,
      ...standins.env.krr,
      ...standins.env.eformidling,
      ...standins.env.kivra,
      ...standins.env.far,
    }),
  );
  const { caller, creditor } = await createTestCreditor(slug);
  creditorId = creditor.id;
  await db().creditor.update({ where: { id: creditorId }, data: { orgNumber: "998877660" } });
  const people = [
    [MAILBOX!, "Mia Mailbox", null],
    [EMAIL!, "Erik Email", null],
    [PAPER!, "Pål Paper", { lines: ["Storgata 7"], postalCode: "2408", city: "Elverum" }],
    [NOTHING!, "Nina Nothing", null],
  ] as const;
  for (const [nationalId, name, address] of people) {
    const r = await receiveClaim(
      caller,
      {
        externalId: `CH-${nationalId}`,
        claimType: "water",
        resident: { nationalId, name, ...(address ? { address: { ...address, lines: [...address.lines] } } : {}) }, // prettier-ignore
        description: "Vann og avløp",
        currency: "NOK",
        principal: 120_000,
        issuedOn: addDays(DUE, -30),
        dueOn: DUE,
      },
      new Date(`${addDays(DUE, 1)}T12:00:00Z`),
    );
    if (r.kind !== "created") throw new Error(JSON.stringify(r));
    claims.set(nationalId, r.claim.id);
  }
  const erik = await db().claim.findUniqueOrThrow({ where: { id: claims.get(EMAIL!)! } });
  await giveEmailConsent(erik.residentId, { email: "erik@example.no", on: DUE, actor: "test" });
  await runSweep({ asOf: AS_OF, creditorSlug: slug, publicUrl: "http://localhost:3000" });
}, 60_000);

afterAll(async () => {
  await standins?.close();
  await disconnectDb();
});

const noticeOf = async (nationalId: string) =>
  db().notice.findFirstOrThrow({ where: { claimId: claims.get(nationalId)! } });

describe("each letter goes the right way", () => {
  it("mailbox, email, paper, or staff; and nothing counts before it leaves", async () => {
    for (const n of [MAILBOX!, EMAIL!, PAPER!, NOTHING!])
      expect(await noticeOf(n)).toMatchObject({ status: "PENDING", deadline: null });

    const summary = await dispatchLetters({ asOf: AS_OF, creditorId, integrations });
    expect(summary).toMatchObject({ digital: 1, email: 1, print: 1, failed: 1, waiting: 0 });

    const mailbox = await noticeOf(MAILBOX!);
    expect(mailbox.channel).toBe("DIGITAL_MAILBOX");
    expect(["DISPATCHED", "DELIVERED"]).toContain(mailbox.status);
    expect(isoOf(mailbox.dispatchedOn!)).toBe(AS_OF);
    expect(mailbox.channelReason).toMatch(/digipost/i);

    // Reserved against digital mail, agreed to email: in the outbox, not yet dispatched.
    const email = await noticeOf(EMAIL!);
    expect(email).toMatchObject({ channel: "EMAIL", status: "PENDING" });
    expect(await db().outbox.count({ where: { noticeId: email.id } })).toBe(1);

    // Paper waits for the print batch, to the address on record.
    const paper = await noticeOf(PAPER!);
    expect(paper).toMatchObject({ channel: "PRINT", status: "PENDING" });

    // No way to reach her: failed, and the claim stops for staff.
    const nothing = await noticeOf(NOTHING!);
    expect(nothing.status).toBe("FAILED");
    expect(nothing.failedReason).toMatch(/no way to reach/);
    const stopped = await db().claim.findUniqueOrThrow({ where: { id: claims.get(NOTHING!)! } });
    expect(stopped.nextActionOn).toBeNull();
  });

  it("puts each waiting paper letter in exactly one print batch, and its PDF says it all", async () => {
    const batch = await makePrintBatch({ creditorSlug: slug, actor: "test", asOf: AS_OF });
    expect(batch?.letters).toBe(1);
    expect(await makePrintBatch({ creditorSlug: slug, actor: "test", asOf: AS_OF })).toBeNull();
    const paper = await noticeOf(PAPER!);
    expect(paper).toMatchObject({ status: "DISPATCHED", printBatchId: batch!.batchId });
    // The deadline counts from the day it can be expected to arrive.
    expect(isoOf(paper.deadline!) > isoOf((await noticeOf(MAILBOX!)).deadline!)).toBe(true);

    const [n] = await noticesForLetters(undefined, [paper.id]);
    const letter = letterOf(n!, isoOf(paper.dispatchedOn!), isoOf(paper.deadline!));
    const { text } = await readPdf(await renderLetterPdf(letter));
    expect(text).toContain("Pål Paper");
    expect(text).toContain("Storgata 7");
    expect(text).toContain("2408");
    expect(text).toMatch(/1\s?200,00/); // the principal
    const reference = (await db().claim.findUniqueOrThrow({ where: { id: paper.claimId } }))
      .paymentReference;
    expect(text.replace(/\s/g, "")).toContain(reference);
  });
});
