import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support";

// Staff sign-in through the municipality's own identity provider. Locally `npm start` makes the
// test eID stand in for it (server/dev/test-eid.ts), offering the demo staff.

// Not "Sign in …": the password form's button is "Sign in", and journeys find it by that name.
const BUTTON = "Continue with your Test municipality account";

for (const javaScriptEnabled of [true, false]) {
  test(`an agent signs in with the municipality account, no code asked (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    // A context of its own (axe needs one), so no earlier sign-in at the provider carries over.
    const context = await browser.newContext({ locale: "en-GB", javaScriptEnabled });
    const page = await context.newPage();
    await page.goto("/staff/login");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: BUTTON }).click();

    // The provider's page, not ours: it does the MFA, so Kravportal asks for no TOTP code.
    await expect(
      page.getByRole("heading", { name: "Sign in to the test municipality" }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Sign in as Anne Agent" }).click();

    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.getByText("Signed in as Anne Agent").first()).toBeVisible();
    await expect(page.getByTestId("staff-creditors")).toHaveText("Elvdal kommune");
    await expectNoAxeViolations(page);

    // Every queue holds Elvdal's work only: nothing of Region Västkust's (VK-…) shows up.
    const queues = await page
      .locator('[data-testid^="queue-"] a')
      .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      await page.goto(queue);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByText(/VK-2026-/)).toHaveCount(0);
    }
    await context.close();
  });
}

test("an identity without a staff account is refused with a clear message", async ({ browser }) => {
  const page = await browser.newPage({ locale: "en-GB", javaScriptEnabled: false });
  await page.goto("/staff/login");
  await page.getByRole("button", { name: BUTTON }).click();
  await page.getByLabel("Work email address").fill("stranger@elvdal.example");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  await expect(page).toHaveURL(/\/staff\/login\?oidcError=no_account/);
  await expect(page.getByRole("alert")).toContainText("No staff account for this identity");
  // Not signed in: the staff pages still send this browser to the login page.
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/login/);
});
