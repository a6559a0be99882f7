import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { readPdf } from "../app/integrations/letters/pdf-test-support";
import { DEMO_ADDRESSES } from "../prisma/demo-data";
import { expectNoAxeViolations, loginAs, screenshot } from "./support";

// Sofie Larsen (Elvdal, Norway): a water bill 70 days overdue, so a reminder, a collection
// warning and a payment demand, all sent at seed time. No other journey uses her.
const SOFIE = { nationalId: "01909910028", name: "Sofie Larsen" };
const LANGS = ["nb-NO", "nn-NO", "sv-SE", "en-GB"];

/** A day as a letter writes a deadline ("fredag 4. desember 2026"), in any of its languages. */
const deadlineInWords = (iso: string) =>
  LANGS.map((l) =>
    new Intl.DateTimeFormat(l, { dateStyle: "full", timeZone: "UTC" }).format(
      new Date(`${iso}T00:00:00Z`),
    ),
  );

async function openSofiesBill(page: Page) {
  await loginAs(page, SOFIE.nationalId);
  await page.getByRole("article").getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Letters about this bill" })).toBeVisible();
}

/** Downloads the newest letter that has left, and reads the PDF back. */
async function downloadNewestLetter(page: Page) {
  const item = page.getByTestId("notice").filter({ has: page.getByTestId("letter-download") });
  const first = item.first();
  const deadline = await first.getAttribute("data-deadline");
  const dispatched = (await first.getAttribute("data-dispatched"))!;
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    first.getByTestId("letter-download").click(),
  ]);
  const file = await readFile((await download.path())!);
  return { download, deadline, dispatched, file, pdf: await readPdf(file) };
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`letters, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "en-GB" });
    const js = javaScriptEnabled ? "on" : "off";

    test("the resident reads every letter of a bill and downloads the one that counted", async ({
      page,
    }) => {
      await openSofiesBill(page);
      const letters = page.getByTestId("notice");
      await expect(letters).toHaveCount(3);
      // Newest first, in plain words: what each is, how and when it went, the deadline.
      await expect(letters.getByRole("heading", { level: 3 })).toHaveText([
        "Payment demand",
        "Collection notice",
        "Reminder",
      ]);
      for (const status of await page.getByTestId("letter-status").allTextContents())
        expect(status).toMatch(
          /^Sent (to your digital mailbox|by post|by email) on \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
        );
      await expect(letters.first().getByTestId("letter-deadline")).toHaveText(
        /^Deadline: \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
      );
      await expect(page.getByTestId("letter-download")).toHaveCount(3);
      await expect(page.getByText(/[A-Z]{3,}_[A-Z]/)).toHaveCount(0); // no raw codes
      await expectNoAxeViolations(page);
      await page.getByRole("heading", { name: "Letters about this bill" }).scrollIntoViewIfNeeded();
      await screenshot(page, `letters-claim-phone-js-${js}`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, `letters-claim-desktop-js-${js}`);

      const { download, deadline, dispatched, file, pdf } = await downloadNewestLetter(page);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^[^/\\\\]+ EK-2026-5007 ${dispatched}\\.pdf$`),
      );
      expect(file.subarray(0, 5).toString()).toBe("%PDF-");
      expect(pdf.text).toContain(SOFIE.name);
      expect(pdf.text).toContain(DEMO_ADDRESSES.sofie!.lines[0]!);
      // The deadline the page shows is the one printed on the letter.
      expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(deadlineInWords(deadline!).some((d) => pdf.text.includes(d))).toBe(true);
      // And the amount to pay: the letter's box and payment lines show the same figure.
      expect(pdf.text).toMatch(/125,00|125\.00/);
      // The bill is named once: its description already begins with the claim type's name.
      expect(pdf.text).toContain("Vann og avløp, 3. termin");
      expect(pdf.text).not.toContain("Vann og avløp, Vann og avløp");
    });

    test("someone else cannot download her letter", async ({ page, browser }) => {
      await openSofiesBill(page);
      const href = (await page.getByTestId("letter-download").first().getAttribute("href"))!;
      expect(href).toMatch(/^\/claims\/[0-9a-f-]{36}\/letters\/[0-9a-f-]{36}\.pdf$/);
      const other = await browser.newPage({ javaScriptEnabled });
      await loginAs(other, "198711029846");
      const response = await other.request.get(href);
      expect(response.status()).toBe(404);
      expect(response.headers()["content-type"]).not.toContain("pdf");
      await other.close();
    });

    test("the resident agrees to letters by email, sees it confirmed, and withdraws it", async ({
      page,
    }) => {
      await loginAs(page, SOFIE.nationalId);
      await page
        .getByRole("navigation", { name: "Your pages" })
        .getByRole("link", { name: "Contact and letters" })
        .click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        "Contact details and letters",
      );
      await expect(page.getByTestId("postal-address")).toContainText("Kirkevegen 9");
      await expect(page.getByTestId("postal-address")).toContainText("2407 Elverum");
      await expect(page.getByText(/digital mailbox if you have one/)).toBeVisible();
      await expect(page.getByTestId("register-status")).not.toBeEmpty();

      // Not an address: a 400 that says what to fix; nothing changes.
      await page.getByLabel("Your email address").fill("sofie at example");
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Get my letters by email" }).click(),
      ]);
      expect(refused.status()).toBe(400);
      // The answer opens at the form, where the message is, with or without JavaScript.
      await expect(page).toHaveURL(/\/letters#email-heading$/);
      await expect(page.getByRole("alert")).toContainText("does not look like an email address");
      await expect(page.getByLabel("Your email address")).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
      await screenshot(page, `letters-contact-error-js-${js}`);

      const email = `sofie.${js}@example.no`;
      await page.getByLabel("Your email address").fill(email);
      await page.getByLabel("Your email address").press("Enter");
      await expect(page.getByRole("status")).toContainText(
        `from now on your letters come by email to ${email}`,
      );
      // Where the page lands (beside the email heading), on a phone too.
      await expect(page.getByRole("status")).toBeInViewport();
      await expect(page.getByTestId("email-status")).toContainText(
        `You have agreed to get your letters by email at ${email}`,
      );
      await expectNoAxeViolations(page);
      await screenshot(page, `letters-contact-phone-js-${js}`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, `letters-contact-desktop-js-${js}`);

      await page.getByRole("button", { name: "Stop letters by email" }).click();
      await expect(page.getByRole("status")).toContainText("you no longer get letters by email");
      await expect(page.getByRole("button", { name: "Get my letters by email" })).toBeVisible();
    });
  });
}
