import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  loginAs,
  runTag,
  SCREENS,
  screenshot,
  staffPage,
} from "./support";

// The back office as a staff member reads it: a refused form says what is wrong beside the field
// it is about (its accessible description), with a summary at the top leading there; a plan
// request's reasons are sentences one to a line; at 390 px the resident's and the search's tables
// fit the screen and look like the other staff tables; the plan page's buttons stand apart.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = runTag();
let serial = 0;

function newResident(): { nationalId: string; name: string } {
  for (let i = 200 + ((Date.now() / 1000) % 200) + serial * 7; ; i++) {
    serial += 1;
    const id = makeNorwegianFodselsnummer("1969-06-23", Math.floor(i) % 500, { synthetic: true });
    if (id) return { nationalId: id, name: `Wenche Words ${tag}-${serial}` };
  }
}

/** Beside the other journeys' screenshots, for a person to look at. */
const shot = (page: Page, name: string) => screenshot(page, `staff-words-${name}`);

/** No part of the page is wider than the window (nothing to scroll sideways). */
async function fitsTheWindow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
}

test("a refused form on the case view says what is wrong beside its field, and changes nothing", async ({
  browser,
  request,
}) => {
  // Two sign-ins of one staff member: each may wait for the next TOTP step.
  test.setTimeout(150_000);
  const key = await createApiKey("elvdal");
  const resident = newResident();
  const { id } = await createClaimViaApi(request, key, {
    externalId: `WORDS-${tag}-1`,
    resident,
    principal: 120_000,
    issuedOn: addDays(TODAY, -40),
    dueOn: addDays(TODAY, -10),
  });
  for (const javaScriptEnabled of [false, true]) {
    const page = await staffPage(browser, "supervisor@elvdal.example", { javaScriptEnabled });
    await page.goto(`/staff/cases/${id}`);

    // A hold that would end yesterday pauses nothing: refused, said at the end date.
    const holds = page.getByRole("region", { name: "Holds" });
    // The kinds of hold as words that start a line: capitalised, as the holds listed.
    await expect(holds.getByLabel("Kind of hold").locator("option")).toHaveText([
      "Paused by staff",
      "Hardship",
      "Debt respite",
      "Deferral",
    ]);
    await holds.getByLabel("Kind of hold").selectOption({ label: "Hardship" });
    await holds
      .getByLabel("Ends on (optional; required for debt respite)")
      .fill(addDays(TODAY, -1));
    await holds.getByLabel("Reason", { exact: true }).fill("Waiting for papers from the resident");
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      holds.getByRole("button", { name: "Place hold" }).click(),
    ]);
    expect(answer.status()).toBe(400);
    const ends = page.getByLabel("Ends on (optional; required for debt respite)");
    await expect(ends).toHaveAttribute("aria-invalid", "true");
    await expect(ends).toHaveAccessibleDescription(
      "The end date must be a real date after today. Nothing was changed.",
    );
    // The reason is not what was wrong.
    await expect(holds.getByLabel("Reason", { exact: true })).not.toHaveAttribute(
      "aria-invalid",
      "true",
    );
    // What was chosen and written is there again, to correct rather than type again.
    await expect(holds.getByLabel("Kind of hold")).toHaveValue("HARDSHIP");
    await expect(ends).toHaveValue(addDays(TODAY, -1));
    await expect(holds.getByLabel("Reason", { exact: true })).toHaveValue(
      "Waiting for papers from the resident",
    );
    // The summary at the top leads to the field.
    const summary = page.getByTestId("action-result");
    await expect(summary.getByRole("link")).toHaveAttribute("href", "#hold-ends");
    await expect(page.getByTestId("staff-hold")).toHaveCount(0);
    if (javaScriptEnabled) {
      await expectNoAxeViolations(page);
      await shot(page, "case-hold-error-desktop");
    }

    // A reason of spaces for showing the identity number: said at that field.
    await page.getByLabel("Reason for showing the full identity number").fill("     ");
    await page.getByRole("button", { name: "Show identity number" }).click();
    const reveal = page.getByLabel("Reason for showing the full identity number");
    await expect(reveal).toHaveAttribute("aria-invalid", "true");
    // Its hint gives its limits, as every reason field's does.
    await expect(reveal).toHaveAccessibleDescription(
      "Write a reason of at least five characters. At least 5 and at most 2,000 characters.",
    );
    await expect(reveal).toHaveValue("     ");
    await page
      .locator("#reveal-form")
      .screenshot({ path: `${SCREENS}/staff-words-reveal-error.png` });
    // The other form's values are not carried over to this refusal.
    await expect(holds.getByLabel("Reason", { exact: true })).toHaveValue("");

    // A reason longer than the limit (the field takes no more; a crafted post does): refused with
    // the limit the server holds it to, beside the field whose hint gives the same limit.
    const reason = holds.getByLabel("Reason", { exact: true });
    await expect(reason).toHaveAccessibleDescription("At least 5 and at most 2,000 characters.");
    await reason.evaluate((el) => el.removeAttribute("maxlength"));
    const long = "Waiting for papers. ".repeat(101);
    await reason.fill(long);
    const [tooLong] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      holds.getByRole("button", { name: "Place hold" }).click(),
    ]);
    expect(tooLong.status()).toBe(400);
    await expect(reason).toHaveAccessibleDescription(
      "A reason can be at most 2,000 characters. Nothing was changed. At least 5 and at most 2,000 characters.",
    );
    await expect(reason).toHaveValue(long);
    await expect(
      page.getByLabel("Ends on (optional; required for debt respite)"),
    ).not.toHaveAttribute("aria-invalid", "true");
    await page.context().close();
  }
});

test("a plan request's reasons are sentences one to a line; the plan page's buttons stand apart", async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const key = await createApiKey("elvdal");
  const resident = newResident();
  const { id } = await createClaimViaApi(request, key, {
    externalId: `WORDS-${tag}-2`,
    resident,
    principal: 3_000_000,
    issuedOn: addDays(TODAY, -40),
    dueOn: addDays(TODAY, -10),
  });
  const context = await browser.newContext({ locale: "en-GB" });
  const p = await context.newPage();
  await loginAs(p, resident.nationalId);
  await p.goto(`/claims/${id}`);
  await p.getByRole("link", { name: "Ask for a payment plan" }).click();
  await p.getByLabel("Over a number of months").check();
  await p.getByRole("textbox", { name: "Number of months" }).fill("30");
  await p.getByRole("button", { name: "See the schedule" }).click();
  await p.getByRole("button", { name: "Send the request" }).click();
  await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "REQUESTED");
  await context.close();

  const staff = await staffPage(browser, "supervisor@elvdal.example");
  await staff.goto("/staff/queues/plans");
  const item = staff.getByTestId("queue-item").filter({ hasText: resident.name });
  await expect(item.getByTestId("reason").first()).toHaveText(
    "It asks for more months than can be granted at once.",
  );
  const queueText = await staff.getByTestId("queue").innerText();
  expect(queueText).not.toMatch(/\.[,;]/);
  await expectNoAxeViolations(staff);
  await shot(staff, "queue-plans-desktop");

  await staff.goto("/staff/plans");
  await expect(staff.getByTestId("plan-requests")).not.toContainText(/\.[,;]/);
  await staff.getByTestId("plan-request").getByRole("link", { name: resident.name }).click();
  await expect(staff).toHaveURL(/\/staff\/plans\/[0-9a-f-]{36}$/);
  await expect(staff.getByTestId("plan-actions").getByRole("button")).toHaveCount(3);
  await expect(staff.getByTestId("reason").first()).toHaveText(
    "It asks for more months than can be granted at once.",
  );
  await expect(staff.locator("main")).not.toContainText(/\.[,;]/);
  // The three answers: apart from one another (not touching), on the desk and on a phone.
  for (const width of [1280, 390]) {
    await staff.setViewportSize({ width, height: 844 });
    const boxes = await staff
      .getByTestId("plan-actions")
      .getByRole("button")
      .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON()));
    expect(boxes).toHaveLength(3);
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1]!, boxes[i]!];
      const apartSideways = b.left - a.right >= 8;
      const apartDownwards = b.top - a.bottom >= 8;
      expect(apartSideways || apartDownwards, JSON.stringify([a, b])).toBe(true);
    }
    await fitsTheWindow(staff);
    await shot(staff, `plan-page-${width}`);
    await staff
      .locator("form.card")
      .screenshot({ path: `${SCREENS}/staff-words-plan-actions-${width}.png` });
  }
  await staff.context().close();
});

test("at 390 px the search results and the resident's bills fit the screen, styled as staff tables", async ({
  browser,
  request,
}) => {
  const key = await createApiKey("elvdal");
  const resident = newResident();
  for (const n of [3, 4])
    await createClaimViaApi(request, key, {
      externalId: `WORDS-${tag}-${n}`,
      resident,
      principal: 40_000 * n,
      issuedOn: addDays(TODAY, -40),
      dueOn: addDays(TODAY, -10),
    });
  const page = await staffPage(browser, "agent@elvdal.example");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(`/staff/search?q=${encodeURIComponent(resident.name)}`);
    const results = page.getByTestId("search-results").locator("table").first();
    await expect(results).toContainText(resident.name);
    // Styled as the queues' and batches' tables: lines between the rows on the desk, each row a
    // bordered block on a phone.
    const line = await results
      .locator("tbody tr")
      .first()
      .evaluate((tr, desk) => {
        const cell = tr.querySelector("td")!;
        return desk
          ? getComputedStyle(cell).borderBottomWidth
          : getComputedStyle(tr).borderTopWidth;
      }, width > 600);
    expect(line).toBe("1px");
    await fitsTheWindow(page);
    await shot(page, `search-${width}`);

    await page.getByTestId("search-resident").getByRole("link", { name: resident.name }).click();
    await expect(page.getByTestId("resident-claim")).toHaveCount(2);
    await fitsTheWindow(page);
    await expectNoAxeViolations(page);
    await shot(page, `resident-${width}`);
  }
});

// A case flow's own tables (its changes, its simulation) are checked in case-flows.spec.ts.
test("the case-flow and figures tables are styled as the other staff tables and fit a phone", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await staffPage(browser, "supervisor@elvdal.example");
  /** A line under each cell on the desk; each row a bordered block on a phone (as the others). */
  async function styledAsStaffTable(table: ReturnType<Page["locator"]>, desk: boolean) {
    const row = table.locator("tbody tr").first();
    const line = await row.evaluate((tr, d) => {
      const cell = tr.querySelector("td, th")!;
      return d ? getComputedStyle(cell).borderBottomWidth : getComputedStyle(tr).borderTopWidth;
    }, desk);
    expect(line).toBe("1px");
    const padding = await row
      .locator("td")
      .first()
      .evaluate((td) => parseFloat(getComputedStyle(td).paddingLeft));
    expect(padding).toBeGreaterThan(0);
  }
  for (const width of [1280, 390]) {
    const desk = width > 600;
    await page.setViewportSize({ width, height: 844 });
    await page.goto("/staff/case-flows");
    const list = page.locator("main table");
    await expect(list).toContainText("Kindergarten fee");
    await styledAsStaffTable(list, desk);
    await fitsTheWindow(page);
    await shot(page, `case-flows-${width}`);

    await page.goto("/staff/figures");
    const figures = page.locator("main table.figure-table");
    await expect(figures.first()).toBeVisible();
    await styledAsStaffTable(figures.first(), desk);
    await fitsTheWindow(page);
    await shot(page, `figures-${width}`);
  }
  await page.context().close();
});
