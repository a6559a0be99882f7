import { expect, test, type Page } from "@playwright/test";
import { DEMO_CLAIMS, DEMO_CREDITORS } from "../prisma/demo-data";
import {
  ASTRID,
  KARI,
  LARS,
  createApiKey,
  expectNoAxeViolations,
  loginAs,
  screenshot,
  visibleTexts,
} from "./support";

// Words that are data, not interface: they stay the same in every language.
const DATA = new Set<string>([
  "Kravportal",
  "Svenska",
  "Norsk (bokmål)",
  "Norsk (nynorsk)",
  "English",
  ASTRID.name,
  ...DEMO_CREDITORS.map((c) => c.name),
  // Bank details for payers abroad: the names are the same in every language, the codes are data.
  "IBAN",
  "BIC (SWIFT)",
  ...DEMO_CREDITORS.map((c) => c.contact.bic),
  ...DEMO_CLAIMS.map((c) => c.description),
]);
const isInterfaceText = (s: string) => !DATA.has(s) && !/\d/.test(s) && !/^[\s:,.()–-]*$/.test(s);

async function minorOf(page: Page, testId: string): Promise<number[]> {
  return await page
    .getByTestId(testId)
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-minor"))));
}

/** The lines of the breakdown (charges, interest, minus payments) must add up to the total. */
async function expectBreakdownAddsUp(page: Page) {
  const charges = await minorOf(page, "charge-amount");
  const payments = await minorOf(page, "payment-amount");
  const [total] = await minorOf(page, "total-due");
  expect(charges.length).toBeGreaterThan(0);
  expect(charges.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
  expect(charges.reduce((a, b) => a + b, 0) + payments.reduce((a, b) => a + b, 0)).toBe(total);
  // What the resident reads is the same figure as the one added up.
  await expect(page.getByTestId("detail-total")).toHaveText(
    (await page.getByTestId("total-due").textContent())!.trim(),
  );
}

async function expectEveryChargeExplained(page: Page) {
  const lines = page.getByTestId("charge-line");
  const count = await lines.count();
  for (let i = 0; i < count; i++) {
    const line = lines.nth(i);
    await expect(line.getByTestId("charge-date")).not.toBeEmpty();
    await expect(line.getByTestId("charge-cause")).toHaveText(/\w{3,}/);
    await expect(line.getByTestId("charge-basis")).toHaveText(/\w{3,}/);
  }
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`resident, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "en-GB" });

    test("logs in with eID, sees claims of both creditors, and every fee explained", async ({
      page,
    }, info) => {
      const tag = `${info.project.name}-js-${javaScriptEnabled ? "on" : "off"}`;
      await page.goto("/");
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-start`);

      await loginAs(page, ASTRID.nationalId);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("My unpaid bills");
      // Each page is titled by its own heading (WCAG 2.4.2), not only by the service.
      await expect(page).toHaveTitle("My unpaid bills – Kravportal");
      await expect(page.getByText(`Logged in as ${ASTRID.name}`)).toBeVisible();
      const cards = page.getByRole("article");
      await expect(cards).toHaveCount(3);
      await expect(page.getByText("Elvdal kommune")).toBeVisible();
      await expect(page.getByText("Region Västkust")).toHaveCount(2);
      await expect(page.getByTestId("total-SEK")).toContainText("SEK");
      await expect(page.getByTestId("total-NOK")).toContainText("NOK");
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-claims`);

      const dentalTotal = (await cards
        .filter({ hasText: "Dental care" })
        .getByTestId("claim-total")
        .textContent())!;
      await page.getByRole("link", { name: /Dental care/ }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Dental care");
      await expect(page.getByTestId("detail-total")).toHaveText(dentalTotal.trim());
      await expectBreakdownAddsUp(page);
      await expectEveryChargeExplained(page);
      await expect(
        page.getByTestId("charge-line").filter({ hasText: "Reminder fee" }),
      ).toContainText("Debt Collection Costs Act");
      await expect(page.getByTestId("charge-line").filter({ hasText: "Interest" })).toContainText(
        "Interest Act",
      );
      await expect(page.getByTestId("next-step")).toContainText("collection notice");
      await expect(page.getByTestId("payment-reference")).toHaveText(/^\d{4,25}$/);
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-detail-en`);

      // Every visible text changes with the language, and the choice is remembered.
      const english = (await visibleTexts(page)).filter(isInterfaceText);
      await page.getByRole("button", { name: "Svenska" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "sv");
      const swedish = (await visibleTexts(page)).filter(isInterfaceText);
      expect(swedish.filter((s) => english.includes(s))).toEqual([]);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Tandvård");
      await expect(
        page.getByTestId("charge-line").filter({ hasText: "Påminnelseavgift" }),
      ).toContainText("1981:739");
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-detail-sv`);

      await page.getByRole("link", { name: "Tillbaka till mina fakturor" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mina obetalda fakturor");
      await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "nb");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mine ubetalte regninger");
      const norwegian = (await visibleTexts(page)).filter(isInterfaceText);
      await page.getByRole("button", { name: "English" }).click();
      const englishList = (await visibleTexts(page)).filter(isInterfaceText);
      expect(norwegian.filter((s) => englishList.includes(s))).toEqual([]);
      await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
      await screenshot(page, `${tag}-claims-nb`);
      await page.getByRole("link", { name: /Egenandel/ }).click();
      const bokmal = (await visibleTexts(page)).filter(isInterfaceText);
      // Compared with English only: Swedish and Norwegian share words such as "Regel".
      expect(bokmal.filter((s) => english.includes(s))).toEqual([]);
      await expectNoAxeViolations(page);

      // Nynorsk is a language of its own, on the same page: its words, its rules, its claim names.
      await page.getByRole("button", { name: "Norsk (nynorsk)" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "nn");
      await expect(page.getByRole("heading", { level: 1 })).toContainText(
        "Eigendel for helsehjelp",
      );
      await expect(
        page.getByRole("heading", { name: "Kva du skuldar, line for line" }),
      ).toBeVisible();
      await expect(page.getByRole("heading", { name: "Kva skjer vidare, og når" })).toBeVisible();
      const nynorsk = (await visibleTexts(page)).filter(isInterfaceText);
      expect(nynorsk.filter((s) => english.includes(s))).toEqual([]);
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-detail-nn`);
      // A page the browser redraws (the pay form) writes money as the server does, though
      // Chromium has no Nynorsk number formats of its own: "390,00 SEK", never "SEK 390.00".
      const detail = page.url();
      await page.goto(`${detail}/pay`);
      await expect(page.locator("main")).toContainText(/\d,\d\d\sSEK/);
      await expect(page.locator("main")).not.toContainText(/SEK\s\d/);
      await expect(page).toHaveTitle(/^Betal på nett.* – Kravportal$/);
      await page.goto(detail);
      await page.getByRole("link", { name: "Tilbake til rekningane mine" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        "Dei ubetalte rekningane mine",
      );
      await expect(page.getByRole("button", { name: "Norsk (nynorsk)" })).toHaveAttribute(
        "aria-current",
        "true",
      );
    });

    test("payments and interest add up on a claim with every kind of charge", async ({ page }) => {
      await loginAs(page, KARI.nationalId);
      await expect(page.getByText("Region Västkust")).toBeVisible();
      await page.getByRole("link", { name: /Water and sewage/ }).click();
      await expect(page.getByTestId("payment-line")).toHaveCount(1);
      await expect(page.getByTestId("charge-line")).toHaveCount(5); // principal, 3 fees, interest
      await expectBreakdownAddsUp(page);
      await expectEveryChargeExplained(page);
      await expect(
        page.getByTestId("charge-line").filter({ hasText: "Payment demand fee" }),
      ).toContainText("Debt Collection Act § 10");
      // The original amount says plainly what it is.
      await expect(
        page
          .getByTestId("charge-line")
          .filter({ hasText: "Original amount" })
          .getByTestId("charge-cause"),
      ).toHaveText("Your original invoice. It was not paid by its due date.");
      // Each step has one English name, on the page, in the breakdown and in the letters: the
      // collection step is a collection notice, never a "collection warning" or "demand".
      const fee = page.getByTestId("charge-line").filter({ hasText: "Collection fee" });
      await expect(fee.getByTestId("charge-cause")).toHaveText(
        "A collection notice was sent to you.",
      );
      await expect(fee.getByTestId("charge-basis")).toContainText("Fee for a collection notice");
      await expect(
        page.getByTestId("notice").getByRole("heading", { name: "Collection notice" }),
      ).toHaveCount(1);
      await expect(page.locator("main")).not.toContainText(/collection (warning|demand|letter)/i);
    });

    test("logout ends the portal session and the eID session", async ({ page }) => {
      await loginAs(page, LARS.nationalId);
      // A bill is never kept by the browser: Back after logging out fetches it again.
      const claimPath = await page
        .getByRole("article")
        .first()
        .getByRole("link")
        .getAttribute("href");
      const bill = await page.goto(claimPath!);
      expect(bill!.headers()["cache-control"]).toBe("private, no-store");
      await page.getByRole("button", { name: "Log out" }).click();
      await expect(page.getByText("You are logged out.")).toBeVisible();
      await page.goBack();
      await expect(page).toHaveURL(/\/\?returnTo=/);
      await page.goto("/claims");
      await expect(page).toHaveURL(/\/\?returnTo=%2Fclaims/);
      // The eID asks again: its session ended too.
      await page.getByRole("button", { name: "Log in with e-ID" }).click();
      await expect(page.getByLabel("National identity number")).toBeVisible();
    });
  });
}

test("a resident cannot open another resident's claim", async ({ page, request }) => {
  const key = await createApiKey("vastkust");
  const other = await request.get("/api/v1/claims/VK-2026-1001", {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(other.status()).toBe(200);
  const { id } = (await other.json()) as { id: string };

  await loginAs(page, LARS.nationalId);
  const response = await page.goto(`/claims/${id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByText("Besök vårdcentral Strandby")).toHaveCount(0);
});

test("My claims and a claim page are whole HTML documents without scripts", async ({ page }) => {
  // These two pages are rendered in one synchronous pass, the others as a stream
  // (entry.server.tsx): both kinds must be standards-mode documents (a missing doctype would put
  // the browser in quirks mode and break the layout), and these two ship no JavaScript.
  const doctype = /^<!DOCTYPE html><html lang="en"/;
  const start = await page.goto("/");
  expect(await start!.text()).toMatch(doctype);
  expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
  await loginAs(page, ASTRID.nationalId);
  const claimPath = await page.getByRole("article").first().getByRole("link").getAttribute("href");
  expect(claimPath).toMatch(/^\/claims\/[0-9a-f-]{36}$/);
  for (const path of ["/claims", claimPath!]) {
    const response = await page.goto(path);
    expect(response!.status()).toBe(200);
    expect(await response!.text()).toMatch(doctype);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
    await expect(page.locator("script")).toHaveCount(0);
  }
});

test("pages carry an enforced nonce-based CSP and refuse cross-site posts", async ({
  page,
  request,
}) => {
  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("unsafe-inline");
  expect(response!.headers()["content-security-policy-report-only"]).toBeUndefined();
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const inline = await page
    .locator("script:not([src])")
    .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(inline.length).toBeGreaterThan(0);
  for (const n of inline) expect(n).toBe(nonce);

  const forged = await request.post("/logout", {
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  const noOrigin = await request.post("/language", { form: { lang: "sv" }, maxRedirects: 0 });
  expect(noOrigin.status()).toBe(403);
});

test("the browser's language is the default, and pages fit a 320 px screen", async ({
  browser,
}) => {
  const context = await browser.newContext({
    locale: "sv-SE",
    viewport: { width: 320, height: 640 },
  });
  const page = await context.newPage();
  await loginAs(page, KARI.nationalId);
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mina obetalda fakturor");
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(await fits()).toBe(true);
  await page.getByRole("link", { name: /Vatten och avlopp/ }).click();
  await expect(page.getByTestId("breakdown")).toBeVisible();
  expect(await fits()).toBe(true);
  await screenshot(page, "w320-detail-sv");
  await context.close();
});
