import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "~/domain/money";
import type { NoticeContent } from "~/integrations/mail/notice-content";
import { renderNoticeMail } from "~/integrations/mail/render-notice.server";
import { createMailer } from "~/integrations/mail/smtp.server";
import { startMailCatcher, type MailCatcher } from "./mail-catcher";

const content: NoticeContent = {
  kind: "COLLECTION_NOTICE",
  country: "NO",
  language: "nb",
  residentName: "Kari Nordmann",
  creditorName: "Drammen kemnerkontor",
  claimTypeName: "Vann og avløp",
  description: "Faktura 2026-0042",
  currency: "NOK",
  sentOn: "2026-11-20",
  deadline: "2026-12-04",
  lines: [
    {
      kind: "PRINCIPAL",
      amount: 150_000,
      date: "2026-09-30",
      causeType: "claim.received",
      legalBasis: "principal.invoice",
    },
    {
      kind: "COLLECTION_FEE",
      amount: 3_500,
      date: "2026-11-20",
      causeType: "collection_notice.sent",
      legalBasis: "no.collection_warning_fee",
    },
  ],
  payments: [],
  balance: { principal: 150_000, fees: 3_500, interest: 0, total: 153_500 },
  fee: { kind: "COLLECTION_FEE", amount: 3_500 },
  paymentReference: "1234567890128",
  bankAccount: "1503.12.34567",
  claimUrl: "http://localhost:3000/claims/c_1",
};

type Summary = {
  id: string;
  to: string;
  from: string;
  subject: string;
  date: string;
  text: string;
};

describe("mail catcher", () => {
  let catcher: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  });
  afterAll(() => catcher.close());

  it("catches a rendered notice sent over SMTP and lists it, newest first", async () => {
    const mail = renderNoticeMail(content);
    const mailer = createMailer({
      url: catcher.smtpUrl,
      from: "Kravportal <no-reply@test.invalid>",
    });
    try {
      await mailer.send({
        to: "older@example.test",
        subject: "first",
        html: "<p>1</p>",
        text: "1",
      });
      const sent = await mailer.send({ to: "kari@example.test", ...mail });
      expect(sent.messageId).toMatch(/@/);
    } finally {
      mailer.close();
    }

    const list = (await (await fetch(`${catcher.apiUrl}/messages`)).json()) as Summary[];
    expect(list.map((m) => m.subject)).toEqual([mail.subject, "first"]);
    const [newest] = list;
    expect(newest?.to).toBe("kari@example.test");
    expect(newest?.from).toContain("no-reply@test.invalid");
    // The amount as Intl writes it (its spaces are narrow no-break spaces), byte for byte.
    expect(newest?.text).toContain(formatMoney({ amount: 153_500, currency: "NOK" }, "nb-NO"));
    expect(newest).not.toHaveProperty("html");

    const one = (await (await fetch(`${catcher.apiUrl}/messages/${newest?.id}`)).json()) as {
      html: string;
      text: string;
    };
    expect(one.html).toContain('<html lang="nb">');
    expect(one.text.trim()).toBe(mail.text.trim());

    const raw = await fetch(`${catcher.apiUrl}/messages/${newest?.id}/html`);
    expect(raw.headers.get("content-type")).toContain("text/html");
    expect(raw.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("answers 404 for an unknown message and clears everything on DELETE", async () => {
    expect((await fetch(`${catcher.apiUrl}/messages/nope`)).status).toBe(404);
    expect((await fetch(`${catcher.apiUrl}/messages`, { method: "DELETE" })).status).toBe(204);
    const list = (await (await fetch(`${catcher.apiUrl}/messages`)).json()) as Summary[];
    expect(list).toEqual([]);
  });
});
