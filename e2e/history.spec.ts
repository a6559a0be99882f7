import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { PDFDocument } from "pdf-lib";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeSwedishPersonnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  DATABASE_URL,
  expectNoAxeViolations,
  LARS,
  loginAs,
  screenshot,
} from "./support";

// Issue 15, the resident's own history: a resident pays a bill by card, finds it under *Paid and
// closed*, reads the payment's receipt (date, amount, method, reference, what it paid, what is
// left) with JavaScript on and off, reaches it again from the bill's payments, and prints the
// receipt and the bill on one A4 page each. Someone else gets a 404 for the receipt.

const longDate = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );

async function waitForPayment(page: Page) {
  // The webhook is processed by the worker a moment after the provider redirects back.
  for (let i = 0; i < 30; i++) {
    if ((await page.getByTestId("payment-status").textContent())?.includes("We have received"))
      return;
    await page.waitForTimeout(500);
    await page.reload();
  }
  await expect(page.getByTestId("payment-status")).toContainText("We have received");
}

/** The card payment's own reference, as the ledger booked it (stripe:<payment intent>:<claim>). */
async function cardReferenceOf(claimId: string): Promise<string> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ providerRef: string }>(
      `SELECT "providerRef" FROM "Payment" WHERE "claimId" = $1::uuid`,
      [claimId],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.providerRef.split(":")[1]!;
  } finally {
    await client.end();
  }
}

/** Prints the page as Chromium does, to A4, and returns its number of pages. */
async function printToPdf(page: Page, path: string): Promise<number> {
  await page.emulateMedia({ media: "print" });
  // What only works on a screen does not print.
  for (const hidden of [".language-switcher", ".session-box", ".site-footer", ".breadcrumb"])
    await expect(page.locator(hidden).first()).toBeHidden();
  for (const b of await page.locator("button, .button, form").all()) await expect(b).toBeHidden();
  await page.pdf({ path, format: "A4", printBackground: true });
  await page.emulateMedia({ media: "screen" });
  const pdf = await PDFDocument.load(await readFile(path));
  return pdf.getPageCount();
}

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? "on" : "off";
  test(`pays a bill, finds it under Paid and closed, reads and prints its receipt (JavaScript ${js})`, async ({
    request,
    browser,
  }) => {
    test.setTimeout(120_000);
    const key = await createApiKey("vastkust");
    const run = Date.now().toString(36);
    // A resident of their own: *Paid and closed* then holds this bill only.
    const nationalId = makeSwedishPersonnummer(
      "1986-02-14",
      (Date.now() % 400) + (javaScriptEnabled ? 0 : 500),
    );
    const externalId = `HIST-${run}-${js}`;
    const description = `Fotvård ${externalId}`;
    const today = todayIn("Europe/Stockholm", new Date());
    const { id } = await createClaimViaApi(request, key, {
      externalId,
      claimType: "patient-fee",
      resident: { nationalId, name: "Hanna Historik" },
      description,
      currency: "SEK",
      principal: 65_000,
      issuedOn: addDays(today, -20),
      dueOn: addDays(today, -2),
    });

    const context = await browser.newContext({
      javaScriptEnabled,
      locale: "en-GB",
      viewport: { width: 390, height: 844 },
    });
    const p = await context.newPage();
    await loginAs(p, nationalId);
    await expect(p.getByRole("heading", { name: "Paid and closed" })).toBeVisible();
    await expect(
      p.getByText("No bill has been paid or closed in the last two years."),
    ).toBeVisible();

    // Pay the whole bill by card, through the provider's (stand-in's) page.
    await p.goto(`/claims/${id}`);
    await expect(p.getByRole("heading", { name: "Your payments" })).toBeVisible();
    await expect(p.getByText("We have not received any payment on this bill yet.")).toBeVisible();
    const total = (await p.getByTestId("detail-total").textContent())!.trim();
    expect(total).toMatch(/^SEK\s6\d\d\.\d\d$/);
    await p.getByRole("link", { name: "Pay online" }).click();
    await p.getByRole("button", { name: "See what this pays" }).click();
    await p.getByRole("button", { name: /Continue to payment/ }).click();
    await expect(p).toHaveURL(/\/checkout\//);
    await p.getByRole("button", { name: "Pay", exact: true }).click();
    await expect(p).toHaveURL(/\/payments\//);
    await waitForPayment(p);

    // The payment's page leads to its receipt.
    await p.getByRole("link", { name: "See your receipt" }).click();
    await expect(p).toHaveURL(/\/receipts\/[0-9a-f-]{36}$/);
    const receiptUrl = p.url();
    const reference = await cardReferenceOf(id);
    expect(reference).toMatch(/^pi_/);
    await expectReceipt(p, { date: longDate(today), total, reference, description });
    await expectNoAxeViolations(p);
    if (javaScriptEnabled) await screenshot(p, "receipt");

    // My claims: the bill is no longer unpaid; it is under Paid and closed, with what was paid.
    await p.goto("/claims");
    await expect(p.getByText(description)).toHaveCount(1);
    const closed = p.getByTestId("paid-closed").getByRole("listitem");
    await expect(closed).toHaveCount(1);
    await expect(closed).toContainText(description);
    await expect(closed).toContainText("Patient fee");
    await expect(closed).toContainText("Region Västkust");
    await expect(closed.getByTestId("closed-paid")).toHaveText(total);
    await expect(closed.getByTestId("closed-on")).toHaveText(`Paid in full on ${longDate(today)}`);
    await expectNoAxeViolations(p);
    if (javaScriptEnabled) await screenshot(p, "paid-and-closed");

    // The bill's own page lists the payment, with a link to the same receipt.
    await closed.getByRole("link").click();
    await expect(p).toHaveURL(new RegExp(`/claims/${id}$`));
    const history = p.getByTestId("payment-history");
    await expect(history.locator("tbody tr")).toHaveCount(1);
    await expect(history.locator("tbody tr")).toContainText(longDate(today));
    await expect(history.locator("tbody tr")).toContainText("Card");
    await expect(history.locator("tbody tr")).toContainText(total);
    // A paid bill says so, not the stage it had reached; and asks nothing more of the resident:
    // no "if you pay, plan or object" hint.
    await expect(p.getByTestId("claim-stage")).toHaveText(`Paid in full on ${longDate(today)}`);
    await expect(p.getByTestId("next-step")).toBeVisible();
    await expect(p.getByText("collection pauses at once")).toHaveCount(0);
    expect(await printToPdf(p, `e2e/.screens/claim${javaScriptEnabled ? "" : "-no-js"}.pdf`)).toBe(
      1,
    );
    await history.getByRole("link", { name: /^Receipt/ }).click();
    expect(p.url()).toBe(receiptUrl);
    await expectReceipt(p, { date: longDate(today), total, reference, description });
    expect(
      await printToPdf(p, `e2e/.screens/receipt${javaScriptEnabled ? "" : "-no-js"}.pdf`),
    ).toBe(1);

    // In another language, the same facts in its words.
    await p.getByRole("button", { name: "Svenska" }).click();
    await expect(p.locator("html")).toHaveAttribute("lang", "sv");
    await expect(p.getByRole("heading", { level: 1 })).toContainText("Kvitto");
    await expect(p.getByTestId("receipt-method")).toHaveText("Kort");
    await p.getByRole("button", { name: "English" }).click();
    await context.close();

    // Someone else: the receipt does not exist for them.
    const other = await browser.newContext({ javaScriptEnabled, locale: "en-GB" });
    const q = await other.newPage();
    await loginAs(q, LARS.nationalId);
    const response = await q.goto(new URL(receiptUrl).pathname);
    expect(response?.status()).toBe(404);
    await expect(q.getByText(total)).toHaveCount(0);
    await other.close();
  });
}

async function expectReceipt(
  p: Page,
  want: { date: string; total: string; reference: string; description: string },
) {
  await expect(p.getByRole("heading", { level: 1 })).toHaveText(
    `ReceiptYour payment of ${want.total}`,
  );
  await expect(p.getByTestId("receipt-date")).toHaveText(want.date);
  await expect(p.getByTestId("receipt-amount")).toHaveText(want.total);
  await expect(p.getByTestId("receipt-method")).toHaveText("Card");
  await expect(p.getByText("Card payment reference")).toBeVisible();
  await expect(p.getByTestId("receipt-reference")).toHaveText(want.reference);
  // What it paid, line by line, as the resident reads it: interest first, then the bill itself.
  const bill = p.getByTestId("receipt-claim");
  await expect(bill).toHaveCount(1);
  await expect(bill).toContainText(want.description);
  const lines = await bill.getByTestId("receipt-line").allInnerTexts();
  const principal = lines.at(-1)!.replace(/\s+/g, " ");
  expect(principal).toBe("Original amount SEK 650.00");
  const sum = lines
    .map((l) => Number(l.replace(/[^\d.]/g, "")))
    .reduce((s, n) => s + Math.round(n * 100), 0);
  expect(sum).toBe(Math.round(Number(want.total.replace(/[^\d.]/g, "")) * 100));
  await expect(bill.getByTestId("receipt-claim-amount")).toHaveText(want.total);
  await expect(bill.getByTestId("receipt-left")).toHaveText("SEK 0.00");
  await expect(bill).toContainText("Nothing left: the bill is paid in full.");
}
