import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { renderNoticeMail } from "~/integrations/mail/render-notice.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { runSweep } from "../escalation/sweep.server";
import { receiveClaim } from "../claims/intake.server";
import { todayIn } from "~/domain/calendar-date";
import { isoOf } from "~/infra/db-dates.server";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { giveEmailConsent } from "../identity/contact-preferences.server";
import { dispatchLetters } from "./dispatch.server";
import { deliverOutbox, MAX_ATTEMPTS, type MailSender } from "./outbox.server";

const slug = `outbox-${Date.now().toString(36)}`;
const DUE = "2026-02-02";
const ODA = (() => {
  for (let i = 450; ; i++) {
    const id = makeNorwegianFodselsnummer("1984-09-12", i, { synthetic: true });
    if (id) return id;
  }
})();

beforeAll(async () => {
  await seedDemo();
  const { caller } = await createTestCreditor(slug);
  const result = await receiveClaim(
    caller,
    {
      externalId: "MAIL-1",
      claimType: "water",
      // Her own resident (she agrees to email below; other files use other channels).
      resident: { nationalId: ODA, name: "Oda Outbox", email: "oda@example.no" },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 120_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    },
    new Date(`${addDays(DUE, 1)}T12:00:00Z`),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  // Oda agreed to her notices by email.
  const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  await giveEmailConsent(claim.residentId, {
    email: "oda@example.no",
    on: DUE,
    actor: "test",
  });
  await runSweep({
    asOf: addDays(DUE, 20),
    creditorSlug: slug,
    publicUrl: "http://localhost:3000",
  });
  const { creditor } = await db().claim.findUniqueOrThrow({
    where: { id: result.claim.id },
    include: { creditor: true },
  });
  expect(await dispatchLetters({ asOf: addDays(DUE, 20), creditorId: creditor.id })).toMatchObject({
    email: 1,
    print: 0,
    failed: 0,
  });
});
afterAll(() => disconnectDb());

const mine = () => db().outbox.findMany({ where: { notice: { claim: { creditor: { slug } } } } });

describe("the mail outbox", () => {
  it("holds a reminder's mail, retries a failed send later, and sends it once", async () => {
    const [queued] = await mine();
    expect(queued).toMatchObject({ status: "PENDING", to: "oda@example.no", attempts: 0 });

    let now = new Date();
    const failing: MailSender = async () => {
      throw new Error("connection refused");
    };
    await deliverOutbox({ send: failing, render: renderNoticeMail, now: () => now });
    let [row] = await mine();
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastError: "connection refused" });
    // Nothing left: the notice is not sent, its fee not charged, its deadline not running.
    const notice = () => db().notice.findUniqueOrThrow({ where: { id: row!.noticeId! } });
    expect(await notice()).toMatchObject({ status: "PENDING", deadline: null, dispatchedOn: null });
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());

    const sent: { to: string; subject: string; text: string }[] = [];
    const working: MailSender = async (m) => {
      sent.push(m);
      return { messageId: `<${sent.length}@test>` };
    };
    // Not before its retry time.
    await deliverOutbox({ send: working, render: renderNoticeMail, now: () => now });
    expect(sent.filter((m) => m.to === "oda@example.no")).toHaveLength(0);

    now = new Date(now.getTime() + 10 * 60_000);
    await deliverOutbox({ send: working, render: renderNoticeMail, now: () => now });
    [row] = await mine();
    expect(row).toMatchObject({ status: "SENT", attempts: 2 });
    const mail = sent.find((m) => m.to === "oda@example.no")!;
    expect(mail.subject).toMatch(/purring/i); // Oda reads Norwegian: the creditor's country
    expect(mail.text).toContain("Oda Outbox");
    // Sent when the SMTP server took it: dated that day, its deadline counted from it.
    const sentOn = todayIn("Europe/Oslo", now);
    const dispatched = await notice();
    expect(dispatched).toMatchObject({ status: "DISPATCHED", channel: "EMAIL" });
    expect(isoOf(dispatched.dispatchedOn!)).toBe(sentOn);
    expect(isoOf(dispatched.deadline!) > sentOn).toBe(true);
    expect(mail.text).toContain(String(Number(isoOf(dispatched.deadline!).slice(8))));

    await deliverOutbox({ send: working, render: renderNoticeMail, now: () => now });
    expect(sent.filter((m) => m.to === "oda@example.no")).toHaveLength(1);
  });

  it("stops retrying after the last attempt and keeps the message for a person", async () => {
    const [row] = await mine();
    await db().outbox.update({
      where: { id: row!.id },
      data: { status: "PENDING", attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date(0) },
    });
    await deliverOutbox({
      send: async () => {
        throw new Error("mailbox unavailable");
      },
      render: renderNoticeMail,
    });
    const [failed] = await mine();
    expect(failed).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS });
    // The notice did not arrive: it waits for staff.
    const notice = await db().notice.findUniqueOrThrow({ where: { id: row!.noticeId! } });
    expect(notice.status).toBe("FAILED");
    expect(notice.failedReason).toMatch(/mailbox unavailable/);
    expect(await db().outbox.count({ where: { id: row!.id } })).toBe(1);
  });
});
