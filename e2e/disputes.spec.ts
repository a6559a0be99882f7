import { expect, test } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  loginAs,
  screenshot,
} from "./support";

// A resident objects to one fee of a bill with a small PDF; collection of the bill pauses at
// once and the objection's status is shown. Then they ask for help. JavaScript on and off.

// Fatima's demo bill is overdue long enough to carry fees, and no other journey uses her.
const FATIMA = { nationalId: "199206239866", name: "Fatima Hassan" };

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
    "trailer << /Root 1 0 R >>\n%%EOF\n",
);

for (const javaScriptEnabled of [true, false]) {
  test.describe(`disputes, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "en-GB" });

    test("objects to a fee with a PDF; the bill is paused and the objection's status shown", async ({
      page,
    }, info) => {
      const tag = `${info.project.name}-js-${javaScriptEnabled ? "on" : "off"}`;
      const words = `The reminder never reached me (${tag} ${Date.now()})`;
      await loginAs(page, FATIMA.nationalId);
      await page.getByRole("article").first().getByRole("link").first().click();
      await expect(page).toHaveURL(/\/claims\/[0-9a-f-]{36}$/);
      const claimUrl = page.url();
      const before = await page.getByTestId("dispute").count();

      await page.getByRole("link", { name: "Object to this bill" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Object to this bill");
      await expectNoAxeViolations(page);

      // A file that only claims to be a PDF is refused with a clear message, and nothing is filed.
      const what = page.getByLabel("What do you object to?");
      const fees = what.locator("option:not([value=''])");
      expect(await fees.count()).toBeGreaterThan(0);
      await what.selectOption(await fees.first().getAttribute("value"));
      await page.getByLabel("The fee is not justified").check();
      await page.getByLabel("Describe what is wrong").fill(words);
      await page.getByLabel("Documents (optional)").setInputFiles({
        name: "receipt.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("MZ this is not a PDF"),
      });
      await page.getByRole("button", { name: "Send objection" }).click();
      await expect(page.getByTestId("form-errors")).toContainText(
        "receipt.pdf: The file is not a PDF",
      );
      await expectNoAxeViolations(page);

      // The form keeps what was typed; the file must be chosen again.
      await expect(page.getByLabel("Describe what is wrong")).toHaveValue(words);
      // Also when the file is over the size limit (the form is then cut off while it is read).
      await page.getByLabel("Documents (optional)").setInputFiles({
        name: "scan.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.alloc(6 * 1024 * 1024, 0x20),
      });
      await page.getByRole("button", { name: "Send objection" }).click();
      await expect(page.getByTestId("form-errors")).toContainText(
        "scan.pdf: The file is too large.",
      );
      await expect(page.getByLabel("Describe what is wrong")).toHaveValue(words);
      await expect(page.getByLabel("The fee is not justified")).toBeChecked();
      await page.getByLabel("Documents (optional)").setInputFiles({
        name: "receipt.pdf",
        mimeType: "application/pdf",
        buffer: PDF,
      });
      await page.getByRole("button", { name: "Send objection" }).click();

      await expect(page).toHaveURL(new RegExp(`${claimUrl}\\?dispute=filed`));
      await expect(page.getByTestId("dispute-filed")).toContainText(
        "Collection of this bill is paused",
      );
      await expect(page.getByTestId("next-step")).toContainText("paused");
      await expect(page.getByTestId("dispute")).toHaveCount(before + 1);
      const mine = page.getByTestId("dispute").filter({ hasText: words });
      await expect(mine.getByTestId("dispute-status")).toHaveText(
        "Received: we are looking at it. Collection is paused.",
      );
      await expect(mine).toContainText("About: ");
      const download = mine.getByRole("link", { name: "receipt.pdf (download)" });
      await expect(download).toBeVisible();
      await expectNoAxeViolations(page);
      await screenshot(page, `${tag}-dispute-filed`);

      // The file comes back to its resident as a download, never to anyone else.
      const href = (await download.getAttribute("href"))!;
      const own = await page.request.get(href);
      expect(own.status()).toBe(200);
      expect(own.headers()["content-type"]).toBe("application/pdf");
      expect(own.headers()["x-content-type-options"]).toBe("nosniff");
      expect(own.headers()["content-disposition"]).toBe("attachment; filename*=UTF-8''receipt.pdf");
      expect(own.headers()["cache-control"]).toBe("private, no-store");
      expect((await own.body()).subarray(0, 5).toString()).toBe("%PDF-");
      const stranger = await page.context().browser()!.newContext();
      expect((await stranger.request.get(new URL(href, page.url()).toString())).status()).toBe(404);
      await stranger.close();
    });
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`asks for help and is told staff will get in touch (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled, locale: "en-GB" });
    const page = await context.newPage();
    await loginAs(page, FATIMA.nationalId);
    await page.getByRole("article").first().getByRole("link").first().click();
    // Once she has asked (an earlier run may have), her bill says so in place of the link.
    if (await page.getByTestId("help-request").count())
      await page.goto(`/help?claim=${page.url().split("/").pop()}`);
    else await page.getByRole("link", { name: "Cannot pay? Ask for help" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ask for help");
    await expectNoAxeViolations(page);
    // One open request at a time: an earlier run may already have asked.
    if (await page.getByLabel("Tell us about your situation").isVisible()) {
      await page.getByLabel("Tell us about your situation").fill("I lost my job in March.");
      await page.getByLabel(/Social services may be told/).check();
      await page.getByRole("button", { name: "Ask for help" }).click();
    }
    await expect(page.getByTestId("help-status")).toContainText("will get in touch with you");
    await expectNoAxeViolations(page);
    await context.close();
  });
}

// A request for help is the resident's, not one bill's: once sent, each of their bills says it
// arrived, when, and what happens now. The help page thanks only for a request really sent.
for (const javaScriptEnabled of [true, false]) {
  test(`a request for help shows on the bill, and only a sent one is thanked for (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
    request,
  }) => {
    const today = todayIn("Europe/Oslo", new Date());
    const resident = helpResident(javaScriptEnabled ? 1 : 2);
    const key = await createApiKey("elvdal");
    const { id: claimId } = await createClaimViaApi(request, key, {
      externalId: `HELP-${Date.now().toString(36)}-${javaScriptEnabled ? "on" : "off"}`,
      resident,
      principal: 180_000,
      issuedOn: addDays(today, -40),
      dueOn: addDays(today, -10),
    });
    const context = await browser.newContext({ javaScriptEnabled, locale: "en-GB" });
    const page = await context.newPage();
    await loginAs(page, resident.nationalId, `/claims/${claimId}`);
    await page.goto(`/claims/${claimId}`);
    await expect(page.getByTestId("help-request")).toHaveCount(0);

    // Typed by hand, "sent" thanks for nothing: the form is there, unsent.
    await page.goto(`/help?claim=${claimId}&sent=1`);
    await expect(page.getByTestId("help-status")).toHaveCount(0);
    await expect(page.getByText("Thank you")).toHaveCount(0);
    await page.getByLabel("Tell us about your situation").fill("My hours at work were cut.");
    await page.getByRole("button", { name: "Ask for help" }).click();
    await expect(page).toHaveURL(/[?&]sent=[0-9a-f-]{36}(&|$)/);
    await expect(page.getByTestId("help-status")).toHaveText(
      "Thank you. A member of staff will get in touch with you.",
    );
    const thanked = page.url();

    // The bill's page says it arrived, today, and what happens now; no second way to ask.
    await page.getByRole("link", { name: "Back to my bills" }).click();
    await expect(page).toHaveURL(new RegExp(`/claims/${claimId}$`));
    const help = page.getByTestId("help-request");
    await expect(help.getByRole("heading", { level: 2 })).toHaveText("Your request for help");
    await expect(help).toContainText(`We received your request for help on ${longDate(today)}.`);
    await expect(help).toContainText("A member of staff will get in touch with you");
    await expect(help).toContainText(
      // A water bill: the municipality enforces it itself.
      "nothing is sent to the municipality's own enforcement office (særnamsmann) while we look at your situation",
    );
    await expect(page.getByRole("link", { name: "Cannot pay? Ask for help" })).toHaveCount(0);
    await expectNoAxeViolations(page);
    await screenshot(page, `help-request-claim-phone-js-${javaScriptEnabled ? "on" : "off"}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, `help-request-claim-desktop-js-${javaScriptEnabled ? "on" : "off"}`);

    // Typed by hand again, now that one is open: the page says so, and thanks no one.
    await page.goto(`/help?claim=${claimId}&sent=1`);
    await expect(page.getByTestId("help-status")).toHaveText(
      "You have already asked for help. A member of staff will get in touch with you.",
    );
    // Another resident with her address is not thanked for her request.
    const other = await browser.newContext({ javaScriptEnabled, locale: "en-GB" });
    const stranger = await other.newPage();
    await loginAs(stranger, "198711029846");
    await stranger.goto(new URL(thanked).pathname + new URL(thanked).search);
    await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("Ask for help");
    await expect(stranger.getByText("Thank you")).toHaveCount(0);
    await other.close();
    await context.close();
  });
}

// The help page names the enforcement authority of the country the resident's bills are from,
// whatever language the page is in: namsmannen for a Norwegian municipality's bills on a Swedish
// page, Kronofogden for a Swedish region's on a Norwegian one, and both when they have both.
test("the help page names the authority of the bills' country, not of the page's language", async ({
  browser,
  request,
}) => {
  const today = todayIn("Europe/Oslo", new Date());
  const tag = Date.now().toString(36);
  const resident = helpResident(3);
  const dates = { issuedOn: addDays(today, -40), dueOn: addDays(today, -10) };
  await createClaimViaApi(request, await createApiKey("elvdal"), {
    externalId: `HELPNO-${tag}`,
    // A kindergarten fee goes to the ordinary enforcement officer (namsmannen).
    claimType: "kindergarten",
    resident,
    principal: 180_000,
    ...dates,
  });
  const context = await browser.newContext({ locale: "sv-SE" });
  const page = await context.newPage();
  await loginAs(page, resident.nationalId);
  await page.goto("/help");
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  const intro = page.getByTestId("help-intro");
  await expect(intro).toContainText(
    "Ingen av dina fakturor skickas till den norska utmätningsmyndigheten (namsmannen) medan vi tittar på din situation.",
  );
  await expect(intro).not.toContainText(/kronofogden/i);
  for (const [language, lang, text] of [
    ["Norsk (bokmål)", "nb", "Ingen av regningene dine sendes til namsmannen mens"],
    ["Norsk (nynorsk)", "nn", "Ingen av rekningane dine blir sende til namsmannen medan"],
    ["English", "en", "None of your bills goes to the enforcement officer (namsmannen) while"],
  ] as const) {
    await page.getByRole("button", { name: language }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(intro).toContainText(text);
    await expect(intro).not.toContainText(/kronofogden/i);
  }

  // A Swedish region's bill as well: both authorities, each for its own bills.
  await createClaimViaApi(request, await createApiKey("vastkust"), {
    externalId: `HELPSE-${tag}`,
    claimType: "patient-fee",
    currency: "SEK",
    // A Norwegian resident with a Swedish region's bill (as the demo's Kari Nordmann has).
    resident: { ...resident, country: "NO" },
    principal: 80_000,
    ...dates,
  });
  await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
  await expect(intro).toContainText(
    /sendes til (Kronofogden i Sverige eller namsmannen|namsmannen eller Kronofogden i Sverige) mens/,
  );
  await page.getByRole("button", { name: "Svenska" }).click();
  await expect(intro).toContainText(
    /skickas till (Kronofogden eller den norska utmätningsmyndigheten \(namsmannen\)|den norska utmätningsmyndigheten \(namsmannen\) eller Kronofogden) medan/,
  );

  // A water bill of the municipality, which enforces it itself: named as its bill page names it.
  await createClaimViaApi(request, await createApiKey("elvdal"), {
    externalId: `HELPWATER-${tag}`,
    resident,
    principal: 60_000,
    ...dates,
  });
  await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
  await expect(intro).toContainText("kommunen som særnamsmann");
  await expect(intro).toContainText("namsmannen");
  await expect(intro).toContainText("Kronofogden i Sverige");
  await expectNoAxeViolations(page);
  await context.close();
});

/** A synthetic fødselsnummer (never a real person) of this file's own, one per journey. */
function helpResident(n: number) {
  for (let i = 200 + n; ; i += 10) {
    const id = makeNorwegianFodselsnummer("1979-06-21", i % 500, { synthetic: true });
    if (id) return { nationalId: id, name: `Help Tester ${n}` };
  }
}

/** A day as the portal writes it in English ("7 December 2026"). */
const longDate = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );
