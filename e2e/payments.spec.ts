import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import { createApiKey, createClaimViaApi, expectNoAxeViolations, loginAs } from "./support";

// A resident pays part of a claim through the checkout flow, the breakdown and balance update
// after the provider's webhook, then pays the rest and the claim closes. With JavaScript on and
// off, at phone size.

const MIKAEL = { nationalId: "197509099920", name: "Mikael Ek" };

async function waitForReceipt(page: Page) {
  // The webhook is processed by the worker a moment after the provider redirects back.
  for (let i = 0; i < 30; i++) {
    if ((await page.getByTestId("payment-status").textContent())?.includes("We have received"))
      return;
    await page.waitForTimeout(500);
    await page.reload();
  }
  await expect(page.getByTestId("payment-status")).toContainText("We have received");
}

async function payThroughCheckout(page: Page) {
  await expect(page).toHaveURL(/\/checkout\//);
  await expect(page.getByText(/no money moves/i)).toBeVisible();
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page).toHaveURL(/\/payments\//);
  await waitForReceipt(page);
}

for (const javaScriptEnabled of [true, false]) {
  test(`pays part of a claim, then the rest, and the claim closes (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    request,
    browser,
  }) => {
    const key = await createApiKey("vastkust");
    const externalId = `PAY-${Date.now().toString(36)}-${javaScriptEnabled}`;
    const today = todayIn("Europe/Stockholm", new Date());
    const { id } = await createClaimViaApi(request, key, {
      externalId,
      claimType: "patient-fee",
      resident: { nationalId: MIKAEL.nationalId, name: MIKAEL.name },
      description: `Röntgen ${externalId}`,
      currency: "SEK",
      principal: 80_000,
      issuedOn: addDays(today, -20),
      dueOn: addDays(today, -2),
    });

    const context = await browser.newContext({
      javaScriptEnabled,
      locale: "en-GB",
      viewport: { width: 390, height: 844 },
    });
    const p = await context.newPage();
    await loginAs(p, MIKAEL.nationalId);
    await p.goto(`/claims/${id}`);
    await expect(p.getByTestId("detail-total")).toHaveText("SEK 800.00");
    // Paying by transfer: the reference named by its kind (OCR for a Swedish creditor) in any
    // language, and IBAN and BIC for a bank abroad.
    const payBox = p.locator(".pay-box");
    await expect(payBox).toContainText("OCR reference");
    await expect(payBox).not.toContainText("KID");
    await expect(payBox.getByTestId("bank-abroad")).toContainText("SE45 5000 0000 0540 2841 7000");
    await expect(payBox.getByTestId("bank-abroad")).toContainText("ESSESESS");
    await p.getByRole("button", { name: "Norsk (bokmål)" }).click();
    await expect(p.locator("html")).toHaveAttribute("lang", "nb");
    await expect(payBox).toContainText("OCR-nummer");
    await expect(payBox).not.toContainText("KID");
    await p.getByRole("button", { name: "English" }).click();
    await expect(p.locator("html")).toHaveAttribute("lang", "en");

    // Leaving the payment page pays nothing, and the page says so from its heading on.
    await p.getByRole("link", { name: "Pay online" }).click();
    await p.getByRole("button", { name: "See what this pays" }).click();
    await p.getByRole("button", { name: /Continue to payment/ }).click();
    await expect(p).toHaveURL(/\/checkout\//);
    await p.getByRole("button", { name: "Cancel" }).click();
    await expect(p).toHaveURL(/\/payments\/.*cancelled/);
    await expect(p.getByRole("heading", { level: 1 })).toHaveText("Nothing was paid");
    await p.goto(`/claims/${id}`);
    await expect(p.getByTestId("detail-total")).toHaveText("SEK 800.00");

    // Part payment: see what it pays before paying.
    await p.getByRole("link", { name: "Pay online" }).click();
    await p.getByLabel("Amount to pay").fill("300");
    await p.getByRole("button", { name: "See what this pays" }).click();
    await expect(p.getByTestId("covers")).toContainText("Original amount: SEK 300.00");
    await expect(p.getByTestId("remaining")).toContainText("SEK 500.00");
    await p.getByRole("button", { name: /Continue to payment/ }).click();
    await payThroughCheckout(p);

    await p.getByRole("link", { name: "See the bill" }).click();
    await expect(p.getByTestId("detail-total")).toHaveText("SEK 500.00");
    await expect(p.getByTestId("payment-line")).toHaveCount(1);
    await expect(p.getByTestId("payment-amount")).toHaveAttribute("data-minor", "-30000");

    const api = await request.get(`/api/v1/claims/${externalId}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    const view = (await api.json()) as {
      status: string;
      balance: { total: number };
      payments: { amount: number; method: string }[];
    };
    expect(view.balance.total).toBe(50_000);
    expect(view.payments).toEqual([expect.objectContaining({ amount: 30_000, method: "card" })]);

    // The rest: the claim is paid in full and leaves the list.
    await p.getByRole("link", { name: "Pay online" }).click();
    await p.getByRole("button", { name: "See what this pays" }).click();
    await expect(p.getByTestId("remaining")).toContainText("This pays the bill in full.");
    await p.getByRole("button", { name: /Continue to payment/ }).click();
    await payThroughCheckout(p);
    await expect(p.getByText("paid in full")).toBeVisible();

    const after = (await (
      await request.get(`/api/v1/claims/${externalId}`, {
        headers: { Authorization: `Bearer ${key}` },
      })
    ).json()) as { status: string; balance: { total: number } };
    expect(after).toMatchObject({ status: "PAID", balance: { total: 0 } });
    // A paid bill asks for nothing more: no transfer details for 0.00, no payment, no help.
    await p.goto(`/claims/${id}`);
    await expect(p.getByTestId("detail-total")).toHaveText("SEK 0.00");
    // Paid exactly as asked: nothing to pay back, and no promise of it without a refund task.
    await expect(p.getByTestId("refund-due")).toHaveCount(0);
    await expect(p.getByText("we will pay this back")).toHaveCount(0);
    await expect(p.getByRole("heading", { name: "Pay by bank transfer" })).toHaveCount(0);
    await expect(p.getByRole("link", { name: "Pay online" })).toHaveCount(0);
    await expect(p.getByRole("link", { name: "Cannot pay? Ask for help" })).toHaveCount(0);
    // No longer among the unpaid bills: only under Paid and closed.
    await p.goto("/claims");
    await expect(p.getByText(`Röntgen ${externalId}`)).toHaveCount(1);
    await expect(p.getByTestId("paid-closed").getByText(`Röntgen ${externalId}`)).toHaveCount(1);
    await context.close();
  });
}

// The amount field of the pay page: its hint writes the example the way the page's language
// writes amounts, and what the hint and the page show is read back as written; each problem with
// the amount is said next to the field, which points to it. The form works without JavaScript.
for (const javaScriptEnabled of [true, false]) {
  test(`the amount field: hint in the page's language, read back as written, errors beside it (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    request,
    browser,
  }) => {
    const key = await createApiKey("elvdal");
    const today = todayIn("Europe/Oslo", new Date());
    const tag = `${Date.now().toString(36)}-${javaScriptEnabled}`;
    const nationalId = syntheticNationalId();
    const { id } = await createClaimViaApi(request, key, {
      externalId: `PAYFIELD-${tag}`,
      resident: { nationalId, name: `Pay Field ${tag}` },
      description: `Amount field ${tag}`,
      principal: 283_016,
      issuedOn: addDays(today, -20),
      dueOn: addDays(today, 10),
    });
    const context = await browser.newContext({
      javaScriptEnabled,
      locale: "en-GB",
      viewport: { width: 390, height: 844 },
    });
    const p = await context.newPage();
    await loginAs(p, nationalId);
    await p.goto(`/claims/${id}/pay`);
    const amount = p.getByRole("textbox", { name: "Amount to pay" });
    const see = p.getByRole("button", { name: "See what this pays" });

    // English writes 250.50 and 2,830.16: so do the hint and the field.
    await expect(amount).toHaveValue("2830.16");
    await expect(amount).toHaveAccessibleDescription(
      "Pay all of it, or part: at least NOK 100.00, at most NOK 2,830.16. Write it as a number, for example 250 or 250.50.",
    );
    await expect(amount).not.toHaveAttribute("aria-invalid");
    // The most the hint names, as it names it, is read as that amount.
    await amount.fill("2,830.16");
    await see.click();
    await expect(p.getByTestId("remaining")).toHaveText("This pays the bill in full.");
    await expect(
      p.getByRole("button", { name: "Continue to payment: NOK 2,830.16" }),
    ).toBeVisible();
    await expect(amount).toHaveValue("2,830.16");
    await expect(amount).not.toHaveAttribute("aria-invalid");

    // Each problem with the amount: above the field, in its description, the field marked.
    for (const [typed, message] of [
      [
        "two hundred",
        "We could not read the amount. Write it as a number, for example 250 or 250.50.",
      ],
      [
        "1.000,50",
        "We could not read the amount. Write it as a number, for example 250 or 250.50.",
      ],
      ["5", "The amount must be at least NOK 100.00."],
      ["3000", "The amount cannot be more than you owe (NOK 2,830.16)."],
    ] as const) {
      await amount.fill(typed);
      await see.click();
      await expect(amount).toHaveAttribute("aria-invalid", "true");
      await expect(amount).toHaveAccessibleDescription(new RegExp(`^${escape(message)} Pay all`));
      const error = p.locator("#amount-error");
      await expect(error).toHaveText(message);
      // Right above the field (after its label and hint), not at the top of the page.
      await expect(p.locator("#amount-error + input#amount")).toHaveCount(1);
      await expect(p.getByRole("alert")).toHaveCount(0);
      await expect(p.getByTestId("preview-item")).toHaveCount(0);
      // What was typed stays, to be corrected.
      await expect(amount).toHaveValue(typed);
      await expectNoAxeViolations(p);
    }

    // In Swedish, Bokmål and Nynorsk the hint and the field write 250,50 and 2830,16, and an
    // amount written so (with a space between thousands, as the page does) is read as written.
    for (const [language, lang] of [
      ["Svenska", "sv"],
      ["Norsk (bokmål)", "nb"],
      ["Norsk (nynorsk)", "nn"],
    ] as const) {
      await p.goto(`/claims/${id}/pay`);
      await p.getByRole("button", { name: language }).click();
      await expect(p.locator("html")).toHaveAttribute("lang", lang);
      const field = p.locator("#amount");
      await expect(field).toHaveValue("2830,16");
      await expect(field).toHaveAccessibleDescription(/ 250 .* 250,50\.$/);
      await expect(field).toHaveAccessibleDescription(/2\s830,16/);
      await field.fill("1 000,50");
      await p.locator("form[method=get] button[type=submit]").click();
      await expect(field).not.toHaveAttribute("aria-invalid");
      await expect(p.getByTestId("covers")).toBeVisible();
      await expect(p.getByTestId("remaining")).toContainText(/1\s829,66/);
      await field.fill("2830.16.0");
      await p.locator("form[method=get] button[type=submit]").click();
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveAccessibleDescription(/250,50\..*250,50\.$/);
    }
    await p.getByRole("button", { name: "English" }).click();

    // Previewed in English, then the language switched before continuing: the amount is still
    // the one typed, read as English writes it, shown again as Bokmål writes it, and paid.
    await p.goto(`/claims/${id}/pay`);
    await amount.fill("1,000.50");
    await see.click();
    await expect(p.getByTestId("remaining")).toContainText("1,829.66");
    await p.getByRole("button", { name: "Norsk (bokmål)" }).click();
    await expect(p.locator("html")).toHaveAttribute("lang", "nb");
    const field = p.locator("#amount");
    await expect(field).not.toHaveAttribute("aria-invalid");
    await expect(field).toHaveValue("1000,50");
    await expect(p.getByTestId("remaining")).toContainText(/1\s829,66/);
    // Previewed again from here, what the field now shows is read as Bokmål writes it.
    await p.locator("form[method=get] button[type=submit]").click();
    await expect(field).not.toHaveAttribute("aria-invalid");
    await expect(p.getByTestId("remaining")).toContainText(/1\s829,66/);
    await p.getByRole("button", { name: "English" }).click();
    await expect(
      p.getByRole("button", { name: "Continue to payment: NOK 1,000.50" }),
    ).toBeVisible();
    await p.getByRole("button", { name: "Continue to payment: NOK 1,000.50" }).click();
    await expect(p).toHaveURL(/\/checkout\//);
    await context.close();
  });
}

/** `text` as a pattern, any space in it matching any space (Intl puts no-break ones in amounts). */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s");

/** A synthetic fødselsnummer (never a real person) of this file's own. */
function syntheticNationalId() {
  for (let i = 100 + (Date.now() % 300); ; i++) {
    const id = makeNorwegianFodselsnummer("1979-06-21", i % 500, { synthetic: true });
    if (id) return id;
  }
}
