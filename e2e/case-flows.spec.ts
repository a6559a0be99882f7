import { expect, test } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  SCREENS,
  screenshot,
  staffPage,
} from "./support";

// Case flows (issue 16, decision 0105): an admin reads the current case flow in words, edits a
// draft, is told which legal minimum it breaks, fixes it, simulates it beside the current one
// (a table and a chart), and adopts it. With JavaScript off, as the forms must work without it.
// An agent may read but not change (403); another creditor's staff do not see it (404).
// Elvdal's kindergarten fee: no other journey uses it, so adopting a version changes no one's.

const TODAY = todayIn("Europe/Oslo", new Date());

function residentId(i: number): string {
  for (let n = 300 + i * 7; ; n++) {
    const id = makeNorwegianFodselsnummer("1969-04-11", n, { synthetic: true });
    if (id) return id;
  }
}

test("an admin reads, drafts, simulates and adopts a case flow", async ({ browser, request }) => {
  // Three staff sign in; each may wait for a fresh authenticator code.
  test.setTimeout(150_000);
  const key = await createApiKey("elvdal");
  const tag = Date.now().toString(36);
  for (const [i, principal] of [9_000, 12_000, 15_000, 80_000, 250_000].entries()) {
    await createClaimViaApi(request, key, {
      externalId: `FLOW-${tag}-${i}`,
      claimType: "kindergarten",
      resident: { nationalId: residentId(i), name: `Flow Resident ${i}` },
      description: "Foreldrebetaling",
      principal,
      issuedOn: addDays(TODAY, -40),
      dueOn: addDays(TODAY, -20),
    });
  }

  const admin = await staffPage(browser, "admin@elvdal.example", { javaScriptEnabled: false });
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.getByRole("link", { name: "Case flows" }).first().click();
  await expect(admin.getByRole("heading", { level: 1, name: "Case flows" })).toBeVisible();
  await admin.getByRole("link", { name: "Kindergarten fee" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(
    "Case flow: Kindergarten fee (Elvdal kommune)",
  );
  const current = admin.getByTestId("current-policy");
  await expect(current).toContainText("Reminder: 14 days after the due date.");
  await expect(current).toContainText("Debt Collection Act");
  await expect(current).toContainText("Smallest amount sent to enforcement");
  const version = Number(
    /version (\d+)/.exec((await admin.locator("#current").textContent()) ?? "")?.[1],
  );

  // A draft with no enforcement floor (or, when an earlier run adopted that, a floor of 100), and
  // a collection notice giving 3 days: the law says 14.
  const form = admin.getByTestId("draft-form");
  const floor = form.getByLabel("Smallest unpaid amount sent to enforcement");
  const minimum = (await floor.inputValue()) === "0.00" ? "100" : "0";
  await floor.fill(minimum);
  const notice = form.getByRole("group", { name: "Collection notice" });
  await notice.getByLabel("Days to pay the letter gives").fill("3");
  await form.getByRole("button", { name: "Save the draft" }).click();
  const errors = admin.getByTestId("draft-errors");
  await expect(errors).toContainText("Collection notice: Days to pay the letter gives");
  await expect(errors).toContainText(
    "The deadline is shorter than the law’s minimum of 14 days for “Collection notice” in Norway on",
  );
  await screenshot(admin, "case-flows-law-error-1280");
  await errors.screenshot({ path: `${SCREENS}/case-flows-law-error-box-1280.png` });
  // The form keeps what was typed; fix the deadline.
  await expect(floor).toHaveValue(minimum);
  await notice.getByLabel("Days to pay the letter gives").fill("14");
  await form.getByRole("button", { name: "Save the draft" }).click();
  await expect(admin.getByRole("status").first()).toContainText("The draft is saved");
  await expect(admin.getByTestId("draft-policy")).toContainText(
    `NOK ${minimum}.00 of the principal`,
  );

  await admin.getByLabel("Days ahead").fill("90");
  await admin.getByRole("button", { name: "Simulate the draft" }).click();
  const result = admin.getByTestId("simulation-result");
  await expect(result).toContainText("90 days from");
  await expect(admin.getByTestId("simulation-assumption")).toContainText("Assumption:");
  await expect(admin.getByTestId("simulation-table")).toBeVisible();
  await expect(admin.getByTestId("sim-row-band-b0")).toBeVisible();
  await expect(
    result.getByRole("img", { name: "Claims reaching the enforcement queue by amount" }),
  ).toBeVisible();
  // Styled as the other staff tables: a line under each cell on the desk (each row a bordered
  // block on a phone, below), and nothing wider than a phone.
  const drafted = admin.locator("section:has(#draft) table").first();
  for (const table of [admin.getByTestId("simulation-table"), drafted])
    expect(
      await table
        .locator("tbody td")
        .first()
        .evaluate((td) => getComputedStyle(td).borderBottomWidth),
    ).toBe("1px");
  await screenshot(admin, "case-flows-simulation-1280");
  await result.screenshot({ path: `${SCREENS}/case-flows-simulation-result-1280.png` });
  await admin.setViewportSize({ width: 390, height: 844 });
  expect(
    await admin
      .getByTestId("simulation-table")
      .locator("tbody tr")
      .first()
      .evaluate((tr) => getComputedStyle(tr).borderTopWidth),
  ).toBe("1px");
  const { scroll, client } = await admin.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
  await screenshot(admin, "case-flows-simulation-390");
  await result.screenshot({ path: `${SCREENS}/case-flows-simulation-result-390.png` });
  await admin.getByTestId("current-policy").screenshot({ path: `${SCREENS}/case-flows-current-390.png` }); // prettier-ignore

  await admin.getByRole("button", { name: "Adopt the draft" }).click();
  await expect(admin.getByTestId("adopted")).toContainText(`version ${version + 1}`);
  await expect(admin.locator("#current")).toContainText(`version ${version + 1}`);
  await expect(admin.locator("summary", { hasText: `Version ${version + 1},` })).toContainText(
    "adopted by Aud Administrator after a simulation",
  );
  const url = admin.url().split("?")[0]!;

  // An agent reads the page, has no form, and is refused a change.
  const agent = await staffPage(browser, "agent@elvdal.example", { javaScriptEnabled: false });
  await agent.goto(url);
  await expect(agent.getByTestId("current-policy")).toBeVisible();
  await expect(agent.getByTestId("draft-form")).toHaveCount(0);
  // From the portal's own origin, as a form would post: a post without it is refused before
  // any route sees it, which would prove nothing about the role.
  const refused = await agent.request.post(url, {
    headers: { Origin: new URL(agent.url()).origin },
    form: { intent: "save" },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain("must be sent from the portal itself");

  // Another creditor's staff do not see it at all.
  const other = await staffPage(browser, "agent@vastkust.example", {
    creditor: "Västkust",
  });
  const hidden = await other.goto(url);
  expect(hidden?.status()).toBe(404);

  // With JavaScript on, as most staff have it (the admin's session): no accessibility violations.
  const context = await browser.newContext({
    locale: "en-GB",
    storageState: await admin.context().storageState(),
  });
  const withJs = await context.newPage();
  await withJs.goto(url);
  await expect(withJs.getByTestId("current-policy")).toBeVisible();
  await expectNoAxeViolations(withJs);
});
