import { describe, expect, it } from "vitest";
import { resources } from "~/i18n/resources.server";
import { DECISION_KINDS, type LetterLanguage } from "./letter-content";
import { readPdf } from "./pdf-test-support";
import { LetterLayoutError, pdfPageCount, renderLetterPdf, WINDOW } from "./pdf.server";
import { sampleLetter } from "./sample-letters";

const LOCALE = { sv: "sv-SE", nb: "nb-NO", nn: "nn-NO", en: "en-GB" } as const;
const squash = (s: string) => s.replace(/\s+/g, " ");
const money = (lng: LetterLanguage, amount: number, currency: string) =>
  squash(new Intl.NumberFormat(LOCALE[lng], { style: "currency", currency }).format(amount / 100));
const fullDate = (lng: LetterLanguage, iso: string) =>
  new Intl.DateTimeFormat(LOCALE[lng], { dateStyle: "full", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );
const letterText = (lng: LetterLanguage) =>
  resources[lng].letter as unknown as {
    title: Record<string, string>;
    pay: Record<string, string>;
  };

const CASES: [LetterLanguage, "SE" | "NO"][] = [
  ["sv", "SE"],
  ["nb", "NO"],
  ["nn", "NO"],
  ["en", "SE"],
  ["en", "NO"],
];

describe("a letter as PDF", () => {
  for (const [lng, country] of CASES) {
    it(`holds name, address, amounts, reference and deadline (${lng}, ${country})`, async () => {
      const content = sampleLetter(country, { language: lng });
      const { text, pages } = await readPdf(await renderLetterPdf(content));
      expect(pages).toBeLessThanOrEqual(3);
      const r = content.recipient;
      for (const line of [r.name, ...r.lines, `${r.postalCode} ${r.city}`])
        expect(text).toContain(line);
      const currency = content.claim!.currency;
      expect(text).toContain(letterText(lng).title[`COLLECTION_NOTICE_${country}`]);
      for (const line of content.lines) expect(text).toContain(money(lng, line.amount, currency));
      expect(text).toContain(money(lng, -content.payments[0]!.amount, currency));
      expect(text).toContain(money(lng, content.balance!.total, currency));
      const pay = content.payment!;
      expect(text).toContain(
        `${letterText(lng).pay[`reference${pay.referenceKind}`]} ${pay.reference}`,
      );
      expect(text).toContain(pay.bankAccount);
      expect(text).toContain(pay.iban!);
      expect(text).toContain(fullDate(lng, content.deadline!));
      expect(text).toContain(content.sender.phone);
      expect(text).toContain(content.sender.openingHours);
      expect(text).toContain(content.claimUrl);
    });
  }

  it("names the claim type once when the bill's description begins with it", async () => {
    const letter = (description: string) => {
      const content = sampleLetter("NO");
      return { ...content, claim: { ...content.claim!, description } };
    };
    const once = await readPdf(await renderLetterPdf(letter("Vann og avløp, 3. termin")));
    expect(once.text).toContain("Brevet gjelder: Vann og avløp, 3. termin");
    expect(once.text).not.toContain("Vann og avløp, Vann og avløp");
    // Another description keeps the type's name in front of it; so does one that only begins
    // with the same letters.
    const other = await readPdf(await renderLetterPdf(letter("3. termin, gnr. 12 bnr. 34")));
    expect(other.text).toContain("Brevet gjelder: Vann og avløp, 3. termin, gnr. 12 bnr. 34");
    const longer = await readPdf(await renderLetterPdf(letter("Vann og avløpsgebyr, 3. termin")));
    expect(longer.text).toContain("Brevet gjelder: Vann og avløp, Vann og avløpsgebyr, 3. termin");
  });

  it("names the reference by its kind whatever the language: KID in Norway, OCR in Sweden", async () => {
    const no = await readPdf(await renderLetterPdf(sampleLetter("NO", { language: "sv" })));
    const se = await readPdf(await renderLetterPdf(sampleLetter("SE", { language: "nb" })));
    expect(no.text).toContain("KID-nummer 1234567890128");
    expect(no.text).not.toContain("OCR");
    expect(se.text).toContain("OCR-nummer 4711000000015");
    expect(se.text).not.toContain("KID");
  });

  it("places the recipient's address inside the envelope window, and nothing else there", async () => {
    const content = sampleLetter("SE");
    const { items } = await readPdf(await renderLetterPdf(content));
    const inWindow = items.filter(
      (i) =>
        i.page === 1 &&
        i.x >= WINDOW.left - 0.5 &&
        i.x <= WINDOW.left + WINDOW.width &&
        i.y > WINDOW.top &&
        i.y < WINDOW.top + WINDOW.height,
    );
    const r = content.recipient;
    expect(inWindow.map((i) => i.text)).toEqual([
      expect.stringMatching(/^Returadress: Region Västkust, /),
      r.name,
      ...r.lines,
      `${r.postalCode} ${r.city}`,
    ]);
    // Baselines at least 3 mm inside the window, so a letter shifting in its envelope still shows it.
    for (const item of inWindow) {
      expect(item.y).toBeGreaterThan(WINDOW.top + 2.5);
      expect(item.y).toBeLessThan(WINDOW.top + WINDOW.height - 1);
    }
  });

  it("wraps a long name, address and description inside the page, and adds the country abroad", async () => {
    const content = sampleLetter("NO", { long: true, language: "nn" });
    const { items, text } = await readPdf(await renderLetterPdf(content));
    const window = items.filter(
      (i) => i.page === 1 && i.y > WINDOW.top && i.y < WINDOW.top + WINDOW.height,
    );
    expect(window.length).toBeGreaterThan(5);
    expect(window.at(-1)!.text).toBe("SVERIGE");
    for (const item of window) expect(item.x).toBeGreaterThanOrEqual(WINDOW.left - 0.5);
    expect(squash(text)).toContain("Østergaard-Johannessen");
    expect(squash(text)).toContain("inklusive grundavgift och dagvatten");
  });

  it("flows twenty charge lines on to the next page under a repeated header", async () => {
    const content = sampleLetter("SE", { lines: 20 });
    const pdf = await renderLetterPdf(content);
    const { items, text, pages } = await readPdf(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
    expect(await pdfPageCount(pdf)).toBe(pages);
    for (const line of content.lines) expect(text).toContain(money("sv", line.amount, "SEK"));
    expect(text).toContain(`Sida ${pages} av ${pages}`);
    for (const item of items) {
      expect(item.x, item.text).toBeGreaterThanOrEqual(19.5);
      expect(item.y, item.text).toBeLessThan(297 - 10);
    }
  });

  it("refuses an address that cannot fit the window, with a reason the caller can act on", async () => {
    const content = sampleLetter("SE");
    content.recipient = {
      ...content.recipient,
      lines: ["Trappuppgång B", "Våning 4", "Lägenhet 1102", "Box 77", "Hus 9"],
    };
    await expect(renderLetterPdf(content)).rejects.toMatchObject({
      name: "LetterLayoutError",
      reason: "ADDRESS_TOO_LONG",
    });
    expect(LetterLayoutError).toBeDefined();
  });

  it("prints each decision letter with its own title, the staff message and a plan's instalments", async () => {
    for (const kind of DECISION_KINDS) {
      const content = sampleLetter("SE", { kind, language: "en" });
      const { text } = await readPdf(await renderLetterPdf(content));
      const key = kind === "ENFORCEMENT_FILED" ? `${kind}_SE` : kind;
      expect(text, kind).toContain(letterText("en").title[key]);
      expect(text, kind).toContain(squash(content.message!));
      if (content.plan) {
        expect(text, kind).toContain("28 March 2027");
        expect(text, kind).toContain(money("en", content.plan.total, "SEK"));
      }
    }
  });

  it("asks for an answer, not money, when it requests information about an objection", async () => {
    const content = sampleLetter("NO", { kind: "DISPUTE_INFO_REQUESTED", language: "en" });
    const { text } = await readPdf(await renderLetterPdf(content));
    expect(text).toContain(`Last day to answer ${fullDate("en", content.deadline!)}`);
    expect(text).not.toContain("How to pay");
    expect(text).not.toContain("Amount to pay");
  });

  it("tells of a missed instalment with what is owed, the grace day and how to pay it", async () => {
    const content = sampleLetter("NO", { kind: "PLAN_INSTALMENT_MISSED", language: "en" });
    const { text } = await readPdf(await renderLetterPdf(content));
    const amount = money("en", content.payment!.amount, "NOK");
    const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });
    const grace = longDate.format(new Date(`${content.deadline!}T00:00:00Z`));
    expect(squash(text)).toContain(`${amount} is still owed. Please pay it by ${grace}.`);
    expect(text).toContain(`Last day to pay ${fullDate("en", content.deadline!)}`);
    expect(text).toContain(content.payment!.reference);
    expect(text).toContain("How to pay");
    // Already in a plan: not told to ask for one.
    expect(text).not.toContain("If you cannot pay, or think the bill is wrong");
  });

  it("gives the same bytes for the same letter", async () => {
    const content = sampleLetter("NO");
    const [a, b] = [
      await renderLetterPdf(content),
      await renderLetterPdf(structuredClone(content)),
    ];
    expect(a.equals(b)).toBe(true);
  });
});
