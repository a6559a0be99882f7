import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  screenshot,
  staffPage,
  visibleTexts,
} from "./support";

// The figures page (issue 16, "See drift early"): a supervisor opens it from the staff header,
// sees a chart with its table, sets an alert threshold (a bad one is refused with a 400 and nothing
// changes), and downloads a table as CSV with JavaScript on and off; a case worker of another
// creditor reaches none of it.

const TODAY = todayIn("Europe/Oslo", new Date());
const MONTH = TODAY.slice(0, 7);
const tag = Date.now().toString(36);

function ownResident(): string {
  for (let i = 410; ; i++) {
    const id = makeNorwegianFodselsnummer("1969-05-23", i, { synthetic: true });
    if (id) return id;
  }
}

async function receivedThisMonth(page: Page): Promise<number> {
  const table = page.getByRole("table", { name: "Claims received" });
  const rows = table.getByRole("row");
  const last = rows.last();
  return Number((await last.getByRole("cell").first().innerText()).replace(/\D/g, ""));
}

async function downloadCsv(page: Page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("csv-received").click(),
  ]);
  const text = await readFile((await download.path())!, "utf8");
  return { name: download.suggestedFilename(), text };
}

test("a supervisor reads the figures, sets an alert threshold and downloads a table", async ({
  browser,
  request,
}) => {
  // Long: the recount and the form round trips, on a machine shared with others.
  test.setTimeout(240_000);
  const key = await createApiKey("elvdal");
  const nationalId = ownResident();
  const principals = [15_000, 35_000, 700_000];
  for (const [n, principal] of principals.entries()) {
    await createClaimViaApi(request, key, {
      externalId: `FIG-${tag}-${n}`,
      resident: { nationalId, name: `Figur Eksempel ${tag}` },
      description: `Vann ${n}`,
      principal,
      issuedOn: addDays(TODAY, -20),
      dueOn: addDays(TODAY, 10),
    });
  }

  const page = await staffPage(browser, "supervisor@elvdal.example");
  await page
    .getByRole("navigation", { name: "Staff pages" })
    .getByRole("link", { name: "Figures" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Figures" })).toBeVisible();
  // The figures are counted hourly; a supervisor can have them counted now. The worker counts:
  // the POST answers at once with a 303 back to the page, which says a recount is under way
  // until it is done (a fast worker may be done before the page is drawn).
  const started = Date.now();
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Count again now" }).click(),
  ]);
  // 303 to the page (a script-driven form gets Remix's own redirect answer, a 202).
  expect([202, 303]).toContain(posted.status());
  expect(Date.now() - started).toBeLessThan(15_000);
  await page.waitForURL(/\/staff\/figures\?creditor=/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("figure-recount-under-way")).toHaveCount(0);
    // Counted after this test's claims arrived: they are in this month's count.
    expect(await receivedThisMonth(page)).toBeGreaterThanOrEqual(principals.length);
  }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 5_000] });
  await expect(page.getByRole("button", { name: "Count again now" })).toBeEnabled();
  // Without a script: the POST itself answers 303, back to the same page.
  const scriptless = await page.request.post(page.url(), {
    headers: { Origin: new URL(page.url()).origin },
    form: { intent: "recount", creditor: new URL(page.url()).searchParams.get("creditor")! },
    maxRedirects: 0,
  });
  expect(scriptless.status()).toBe(303);
  expect(scriptless.headers()["location"]).toMatch(/^\/staff\/figures\?creditor=/);
  await expect(page.getByTestId("figure-counted")).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  // A chart (an image with its title) and its table beside it, in staff words.
  await expect(page.getByRole("img", { name: "Claims received" })).toBeVisible();
  const table = page.getByRole("table", { name: "Claims received" });
  await expect(table.getByRole("columnheader", { name: "Under NOK 200" })).toBeVisible();
  expect(await receivedThisMonth(page)).toBeGreaterThanOrEqual(principals.length);
  await expect(page.getByRole("table", { name: "Claims filed for enforcement" })).toBeVisible();
  const texts = (await visibleTexts(page)).join("\n");
  expect(texts).not.toMatch(/\d{4}-\d{2}-\d{2}|READY_FOR_ENFORCEMENT|WRITTEN_OFF|upTo:|\bb[0-4]\b/);
  await expectNoAxeViolations(page);

  // A threshold that is not a number is refused, and nothing is saved.
  await page.getByLabel("Up more than (percent) 1", { exact: true }).fill("lots");
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Save thresholds" }).click(),
  ]);
  expect(bad.status()).toBe(400);
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toBeVisible({
    timeout: 30_000,
  });
  await page.getByLabel("Up more than (percent) 1", { exact: true }).fill("50");
  await page.getByRole("button", { name: "Save thresholds" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Thresholds saved." })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByLabel("Up more than (percent) 1", { exact: true })).toHaveValue("50");

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `figures-${width}`);
  }

  // The CSV, with JavaScript on: its name, its header in staff words, this month's claims.
  const on = await downloadCsv(page);
  expect(on.name).toMatch(/^figures-elvdal-received-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
  const lines = on.text.replace(/^\uFEFF/, "").split("\r\n");
  expect(lines[0]).toBe(
    'Month,Claims,Principal,Under 200 NOK,200 NOK to 500 NOK,"500 NOK to 1,000 NOK","1,000 NOK to 5,000 NOK","5,000 NOK or more"',
  );
  const row = lines.find((l) => l.startsWith(`${MONTH},`))!.split(",");
  expect(Number(row[1])).toBeGreaterThanOrEqual(principals.length);
  expect(Number(row[3])).toBeGreaterThanOrEqual(1);
  const csvHref = await page.getByTestId("csv-received").getAttribute("href");

  // And with JavaScript off: the same link, the same file.
  const plain = await staffPage(browser, "supervisor@elvdal.example", { javaScriptEnabled: false });
  await plain.goto("/staff/figures?months=24");
  await expect(plain.getByRole("img", { name: "Claims received" })).toBeVisible();
  const off = await downloadCsv(plain);
  expect(off.name).toMatch(/^figures-elvdal-received-/);
  expect(off.text.split("\r\n")).toHaveLength(24 + 2);

  // A case worker of another creditor reaches neither the page nor the file of this one.
  const outsider = await staffPage(browser, "agent@vastkust.example", {
    creditor: "Region Västkust",
  });
  const creditor = new URL(`http://x${csvHref}`).searchParams.get("creditor")!;
  const other = await outsider.goto(`/staff/figures?creditor=${creditor}`);
  expect(other?.status()).toBe(404);
  const file = await outsider.request.get(`/staff/figures.csv?creditor=${creditor}&table=received`);
  expect(file.status()).toBe(404);
  // Their own figures are there, and do not name Elvdal.
  await outsider.goto("/staff/figures");
  await expect(outsider.getByTestId("figure-scope")).toContainText("Region Västkust");
  await expect(outsider.getByRole("combobox", { name: "Creditor" })).not.toContainText("Elvdal");
});
