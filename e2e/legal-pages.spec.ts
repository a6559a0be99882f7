// The pages the law asks for, in every language the portal speaks: the accessibility statement,
// the privacy notice and the contact page. Linked from every footer (resident and staff pages),
// axe-clean, and readable with JavaScript off. A new language (nn) is checked once it is in
// app/i18n/config.ts and has its locale files.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { supportedLngs } from "../app/i18n/config";
import { DEMO_CREDITORS } from "../prisma/demo-data";
import { expectNoAxeViolations, screenshot } from "./support";

type Texts = Record<string, Record<string, string>>;
const texts = (lng: string, ns: string) =>
  JSON.parse(readFileSync(`app/locales/${lng}/${ns}.json`, "utf8")) as Texts;

const PAGES = [
  { path: "/accessibility", title: (site: Texts) => site.accessibility!.title! },
  { path: "/privacy", title: (site: Texts) => site.privacy!.title! },
  { path: "/contact", title: (site: Texts) => site.contact!.title! },
];

async function footerLinks(page: Page, lng: string) {
  const layout = texts(lng, "common").layout!;
  const footer = page.getByRole("contentinfo").getByRole("navigation", { name: layout.aboutNav });
  await expect(footer.getByRole("link", { name: layout.accessibility })).toHaveAttribute(
    "href",
    "/accessibility",
  );
  await expect(footer.getByRole("link", { name: layout.privacy })).toHaveAttribute(
    "href",
    "/privacy",
  );
  await expect(footer.getByRole("link", { name: layout.contact })).toHaveAttribute(
    "href",
    "/contact",
  );
}

for (const lng of supportedLngs) {
  test.describe(`in ${lng}`, () => {
    // The browser's language picks the page's (no language chosen yet).
    test.use({ locale: lng });

    for (const p of PAGES) {
      test(`${p.path} is in ${lng}, linked from the footer and axe-clean`, async ({ page }) => {
        await page.goto(p.path);
        await expect(page.locator("html")).toHaveAttribute("lang", lng);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(
          p.title(texts(lng, "site")),
        );
        await footerLinks(page, lng);
        await expectNoAxeViolations(page);
      });
    }

    test(`/contact gives each creditor's office in ${lng}, readable on the screen it is on`, async ({
      page,
    }, testInfo) => {
      await page.goto("/contact");
      for (const creditor of DEMO_CREDITORS) {
        const office = page.getByRole("region", { name: creditor.name });
        await expect(office.getByRole("heading", { level: 2 })).toHaveText(creditor.name);
        // Opening hours in the reader's language; the labels are the page's own.
        await expect(office.getByRole("definition")).toContainText([
          creditor.contact.openingHours[lng],
        ]);
        await expect(office.getByRole("term").first()).toHaveText(
          texts(lng, "site").contact!.phone!,
        );
      }
      // Nothing wider than the screen (a long IBAN or email wraps).
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await screenshot(page, `contact-${lng}-${testInfo.project.name}`);
    });

    test(`every footer links to them: a resident's page and the staff sign-in (${lng})`, async ({
      page,
    }) => {
      for (const path of ["/", "/staff/login"]) {
        await page.goto(path);
        await footerLinks(page, lng);
      }
    });
  });
}

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false, locale: "en-GB" });

  test("the statement, the notice and the contact page read in full", async ({ page }) => {
    const site = texts("en", "site");
    await page.goto("/accessibility");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(site.accessibility!.title!);
    await expect(page.getByText(/WCAG\) 2\.1, level AA/)).toBeVisible();
    await expect(page.getByText(/digg\.se/)).toBeVisible();
    await page.goto("/privacy");
    // The demo creditors' retention: Sweden's seven years, Norway's five.
    await expect(page.getByText(/Region Västkust: 7 years/)).toBeVisible();
    await expect(page.getByText(/Elvdal kommune: 5 years/)).toBeVisible();
    await page.getByRole("contentinfo").getByRole("link", { name: "Contact" }).click();
    await expect(page).toHaveURL(/\/contact$/);
    await expect(page.getByRole("heading", { level: 2, name: "Elvdal kommune" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Region Västkust" })).toBeVisible();
    // Each creditor's office as a list of facts: call, write, visit, pay (also from abroad).
    const elvdal = page.getByTestId("contact-elvdal");
    const fact = (label: string) =>
      elvdal
        .locator("div")
        .filter({ has: page.getByRole("term").getByText(label, { exact: true }) });
    await expect(fact("Phone").getByRole("link")).toHaveAttribute("href", "tel:+4762000000");
    await expect(fact("Phone")).toContainText("+47 62 00 00 00");
    await expect(fact("Email").getByRole("link")).toHaveAttribute(
      "href",
      "mailto:kommunekasse@elvdal.example",
    );
    await expect(fact("Postal address")).toContainText("Postboks 403 Sentrum");
    await expect(fact("Postal address")).toContainText("2402 Elverum");
    await expect(fact("Website").getByRole("link")).toHaveAttribute(
      "href",
      "https://elvdal.example/krav",
    );
    await expect(fact("Opening hours")).toContainText("Monday–Friday 9–15");
    await expect(fact("Account for payments")).toContainText("1503.27.46180");
    await expect(fact("IBAN (paying from abroad)")).toContainText("NO93 1503 2746 180");
    await expect(fact("BIC (SWIFT)")).toContainText("SPRONO22");
    await expect(page.getByTestId("contact-vastkust")).toContainText(
      "SE45 5000 0000 0540 2841 7000",
    );
  });
});
