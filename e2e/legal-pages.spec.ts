// The pages the law asks for, in every language the portal speaks: the accessibility statement,
// the privacy notice and the contact page. Linked from every footer (resident and staff pages),
// axe-clean, and readable with JavaScript off. A new language (nn) is checked once it is in
// app/i18n/config.ts and has its locale files.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { supportedLngs } from "../app/i18n/config";
import { expectNoAxeViolations } from "./support";

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
  });
});
