import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { DATABASE_URL, PORT, loginAs, screenshot } from "./support";

// A resident's session ends while they fill in a form (the page was left open too long). Sending
// it used to land them on the start page with no word about it: they could think the objection had
// arrived. Now the start page says that nothing of it was taken, and logging in again brings them
// back to the form. JavaScript on and off.

// Fatima reads English; this journey changes nothing of hers.
const FATIMA = { nationalId: "199206239866", name: "Fatima Hassan" };

/** Every session of this resident passes its idle deadline, as if left for too long. */
async function idleOut(name: string) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `UPDATE "Session" SET "expiresAt" = now() - interval '1 second'
       WHERE kind = 'resident' AND data->>'name' = $1`,
      [name],
    );
  } finally {
    await client.end();
  }
}

async function logInAgain(page: Page) {
  await page.getByRole("button", { name: "Log in with e-ID" }).click();
  // The eID service may still remember her (its own session outlives ours): then it sends her
  // straight back without asking again.
  await page.waitForURL((url) => !(url.port === String(PORT) && url.pathname === "/"));
  const form = page.getByLabel("National identity number");
  if (await form.isVisible()) {
    await form.fill(FATIMA.nationalId);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
  }
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`a session that ends, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "en-GB" });

    test("an objection sent after the session ended: told nothing was sent, and back to the form after logging in", async ({
      page,
    }, info) => {
      await loginAs(page, FATIMA.nationalId);
      await page.getByRole("article").first().getByRole("link").first().click();
      await expect(page).toHaveURL(/\/claims\/[0-9a-f-]{36}$/);
      const before = await page.getByTestId("dispute").count();
      await page.getByRole("link", { name: "Object to this bill" }).click();
      const formUrl = page.url();
      const what = page.getByLabel("What do you object to?");
      await what.selectOption({ index: 1 });
      await page.getByLabel("The fee is not justified").check();
      await page.getByLabel("Describe what is wrong").fill("I never got the first letter.");

      await idleOut(FATIMA.name);
      await page.getByRole("button", { name: "Send objection" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        "Your unpaid bills to the municipality and region",
      );
      const said = page.getByRole("alert").filter({ hasText: "logged out" });
      await expect(said).toContainText("what you sent did not reach us and nothing was changed");
      await expect(said).toContainText("Log in again and send it once more");
      await screenshot(page, `session-ended-unsent-${info.project.name}-js-${javaScriptEnabled}`);

      await logInAgain(page);
      await expect(page).toHaveURL(formUrl);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Object to this bill");
      // Nothing was filed.
      await page.goto(formUrl.replace(/\/dispute$/, ""));
      await expect(page.getByTestId("dispute")).toHaveCount(before);
    });

    test("a page opened after the session ended says why the login is asked for again", async ({
      page,
    }) => {
      await loginAs(page, FATIMA.nationalId);
      await idleOut(FATIMA.name);
      await page.goto("/claims");
      await expect(page.getByRole("status").filter({ hasText: "logged out" })).toContainText(
        "Log in again to go on where you were",
      );
      // No claim of hers is shown to whoever has the browser now.
      await expect(page.getByRole("article")).toHaveCount(0);
      await logInAgain(page);
      await expect(page).toHaveURL(/\/claims$/);
    });

    test("a first visit, with no session at all, shows no such message", async ({ page }) => {
      await page.goto("/claims");
      await expect(page.getByRole("button", { name: "Log in with e-ID" })).toBeVisible();
      await expect(page.getByTestId("session-ended")).toHaveCount(0);
    });
  });
}
