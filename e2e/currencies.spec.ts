import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { addDays } from "../app/domain/calendar-date";
import { makeSwedishPersonnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  loginAs,
  screenshot,
} from "./support";

// Issue 15: a cross-border resident with bills in NOK (a Norwegian municipality) and SEK (a
// Swedish region). My claims groups them by currency, one "pay selected" form per currency; an
// address asking for both at once explains and links to each; after paying one currency, the
// return page offers the other. No dead end, with JavaScript on and off. It creates its own
// residents (run once: the desktop project ignores it).

const run = Date.now();

async function createClaim(
  request: APIRequestContext,
  key: string,
  resident: { nationalId: string; name: string; country: "SE" },
  claim: { externalId: string; claimType: string; currency: string; principal: number },
) {
  const { id } = await createClaimViaApi(request, key, {
    ...claim,
    resident,
    description: claim.externalId,
    issuedOn: "2026-01-15",
    dueOn: "2027-12-31", // not due: no interest, the amounts stay as created
  });
  return id;
}

async function payThroughCheckout(page: Page) {
  await expect(page).toHaveURL(/\/checkout\//);
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page).toHaveURL(/\/payments\//);
  // The webhook is processed by the worker a moment after the provider redirects back.
  for (let i = 0; i < 60; i++) {
    if ((await page.getByTestId("payment-status").textContent())?.includes("We have received"))
      return;
    await page.waitForTimeout(500);
    await page.reload();
  }
  await expect(page.getByTestId("payment-status")).toContainText("We have received");
}

for (const javaScriptEnabled of [true, false]) {
  test(`pays bills in two currencies one after the other (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    request,
    browser,
  }) => {
    // Two payments, each waiting for the provider's callback: longer than one journey.
    test.setTimeout(150_000);
    const [elvdal, vastkust] = await Promise.all([
      createApiKey("elvdal"),
      createApiKey("vastkust"),
    ]);
    const serial = (run + (javaScriptEnabled ? 1 : 2)) % 1_000;
    const resident = {
      nationalId: makeSwedishPersonnummer(addDays("1950-01-01", run % 18_000), serial),
      name: "Grete Grense",
      country: "SE" as const,
    };
    const tag = `CUR-${run.toString(36)}-${javaScriptEnabled ? "on" : "off"}`;
    const water = await createClaim(request, elvdal, resident, {
      externalId: `${tag}-water`,
      claimType: "water",
      currency: "NOK",
      principal: 41_000,
    });
    const tax = await createClaim(request, elvdal, resident, {
      externalId: `${tag}-tax`,
      claimType: "property-tax",
      currency: "NOK",
      principal: 25_050,
    });
    const patient = await createClaim(request, vastkust, resident, {
      externalId: `${tag}-patient`,
      claimType: "patient-fee",
      currency: "SEK",
      principal: 80_000,
    });

    const context = await browser.newContext({
      javaScriptEnabled,
      locale: "en-GB",
      viewport: { width: 390, height: 844 },
    });
    const p = await context.newPage();
    await loginAs(p, resident.nationalId);

    // My claims: a heading, a total and a form per currency; a form holds only its own bills.
    const nok = p.getByTestId("group-NOK");
    const sek = p.getByTestId("group-SEK");
    await expect(p.getByTestId("currencies-hint")).toContainText("2 currencies");
    await expect(nok.getByTestId("total-NOK")).toHaveText(
      "Bills in NOK: NOK 660.50 to pay in total",
    );
    await expect(sek.getByTestId("total-SEK")).toHaveText(
      "Bills in SEK: SEK 800.00 to pay in total",
    );
    await expect(nok.getByRole("article")).toHaveCount(2);
    await expect(sek.getByRole("article")).toHaveCount(1);
    await expect(nok.locator("form input[name=claim]")).toHaveCount(2);
    await expect(sek.locator("form input[name=claim]")).toHaveCount(1);
    await expect(
      p.locator("form").filter({ has: p.locator(`input[value="${patient}"]`) }),
    ).not.toContainText(`${tag}-water`);
    await expectNoAxeViolations(p);
    await screenshot(p, `currencies-claims-js-${javaScriptEnabled ? "on" : "off"}`);

    // Two currencies forced through the address: the page explains and links to each.
    await p.goto(`/pay?claim=${water}&claim=${patient}&claim=${tax}`);
    await expect(p.getByRole("alert")).toContainText("different currencies");
    const ways = p.getByTestId("pay-by-currency");
    await expect(ways.getByRole("link")).toHaveText([
      "Pay the 2 bills in NOK: NOK 660.50",
      "Pay the bill in SEK: SEK 800.00",
    ]);
    await expect(p.getByRole("button", { name: /Continue to payment/ })).toHaveCount(0);
    await expectNoAxeViolations(p);

    // Pay the NOK bills from My claims, with the NOK group's own form. None chosen: it says so.
    await p.goto("/claims");
    await nok.getByRole("button", { name: "Pay the selected bills in NOK" }).click();
    await expect(nok.getByTestId("choose-bills")).toContainText("Choose at least one bill to pay");
    await expect(nok.getByTestId("choose-bills")).toBeInViewport();
    await nok
      .getByLabel(/Select to pay/)
      .first()
      .check();
    await nok
      .getByLabel(/Select to pay/)
      .last()
      .check();
    await nok.getByRole("button", { name: "Pay the selected bills in NOK" }).click();
    await expect(p).toHaveURL(/\/pay\?/);
    await p.getByRole("button", { name: "Continue to payment: NOK 660.50" }).click();
    await payThroughCheckout(p);

    // The return page offers the bills still open in the other currency.
    const other = p.getByTestId("other-currencies");
    await expect(other).toContainText("You also have 1 unpaid bill in SEK, SEK 800.00 in total.");
    await expectNoAxeViolations(p);
    await screenshot(p, `currencies-paid-nok-js-${javaScriptEnabled ? "on" : "off"}`);
    await other.getByRole("link", { name: "Pay the bills in SEK" }).click();
    await p.getByRole("button", { name: "Continue to payment: SEK 800.00" }).click();
    await payThroughCheckout(p);
    await expect(p.getByTestId("other-currencies")).toHaveCount(0);

    await p.goto("/claims");
    await expect(p.getByText("You have no unpaid bills with us")).toBeVisible();
    await context.close();
  });
}
