import { describe, expect, it } from "vitest";
import type { NoticeContent } from "~/integrations/mail/notice-content";
import { letterFromNotice } from "./letter-content";
import { readPdf } from "./pdf-test-support";
import { renderLetterPdf } from "./pdf.server";
import { RECIPIENTS, SENDERS } from "./sample-letters";

const notice: NoticeContent = {
  kind: "PAYMENT_DEMAND",
  country: "NO",
  language: "nb",
  residentName: "Kari Nordmann",
  creditorName: "Elvdal kommune",
  claimTypeName: "Vann og avløp",
  description: "4. termin 2026",
  currency: "NOK",
  sentOn: "2026-11-18",
  deadline: "2026-12-07",
  lines: [
    {
      kind: "PRINCIPAL",
      amount: 123_450,
      date: "2026-10-01",
      causeType: "claim.received",
      legalBasis: "principal.invoice",
    },
    {
      kind: "PAYMENT_DEMAND_FEE",
      amount: 10_500,
      date: "2026-11-18",
      causeType: "payment_demand.sent",
      legalBasis: "no.payment_demand_fee",
    },
  ],
  payments: [{ amount: 3_450, receivedOn: "2026-10-20" }],
  balance: { principal: 120_000, fees: 10_500, interest: 0, total: 130_500 },
  fee: { kind: "PAYMENT_DEMAND_FEE", amount: 10_500 },
  paymentReference: "1234567890128",
  bankAccount: "1503.12.34567",
  claimUrl: "https://portal.example/claims/1",
};

const extras = {
  recipient: RECIPIENTS.NO,
  sender: SENDERS.NO,
  referenceKind: "KID" as const,
  iban: "NO93 1503 1234 5670",
  bic: "DNBANOKK",
  date: "2026-11-20",
  externalId: "EK-2026-0042",
};

describe("letterFromNotice", () => {
  it("keeps what the notice froze and takes only address, sender and date from the caller", () => {
    const letter = letterFromNotice(notice, extras);
    expect(letter).toMatchObject({
      kind: "PAYMENT_DEMAND",
      country: "NO",
      language: "nb",
      date: "2026-11-20",
      deadline: "2026-12-07",
      lines: notice.lines,
      payments: notice.payments,
      balance: notice.balance,
      fee: notice.fee,
      claim: {
        description: "4. termin 2026",
        claimTypeName: "Vann og avløp",
        externalId: "EK-2026-0042",
        currency: "NOK",
      },
      payment: {
        amount: 130_500,
        currency: "NOK",
        reference: "1234567890128",
        referenceKind: "KID",
        bankAccount: "1503.12.34567",
        iban: "NO93 1503 1234 5670",
        bic: "DNBANOKK",
      },
      message: null,
      plan: null,
      claimUrl: "https://portal.example/claims/1",
    });
    expect(letter.recipient).toBe(extras.recipient);
  });

  it("asks for no payment when the notice's balance is settled", () => {
    const letter = letterFromNotice(
      { ...notice, balance: { ...notice.balance, total: 0 } },
      extras,
    );
    expect(letter.payment).toBeNull();
  });

  it("turns a frozen notice into a printable letter", async () => {
    const { text } = await readPdf(await renderLetterPdf(letterFromNotice(notice, extras)));
    expect(text).toContain("Betalingsoppfordring");
    expect(text).toContain("KID-nummer 1234567890128");
    expect(text).toContain("1 305,00 kr");
    expect(text).toContain("mandag 7. desember 2026");
  });
});
