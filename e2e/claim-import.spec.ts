import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { norwegianIds } from "../server/test-support/claim-rows";
import { createApiKey, expectNoAxeViolations, screenshot, staffPage } from "./support";

// A supervisor hands over a creditor's claims file in the back office: the upload goes on in the
// background while its page shows a progress bar (polled with JavaScript; a refresh link without
// it), then the per-line report of the lines that were refused. The good lines are stored; the
// same file again stores nothing twice.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);
const HEADER =
  "externalId,claimType,nationalId,name,description,currency,principal,issuedOn,dueOn,email";

function claimsCsv(prefix: string, good: number, offset: number): { csv: string; bad: number[] } {
  const ids = norwegianIds(good, offset);
  const line = (n: number, nationalId: string, principal = "125000", dueOn = addDays(TODAY, -5)) =>
    [
      `${prefix}-${n}`,
      "water",
      nationalId,
      `"Berg, Ola ${n}"`,
      "Vann og avløp",
      "NOK",
      principal,
      addDays(TODAY, -35),
      dueOn,
      "",
    ].join(",");
  const lines = [HEADER, ...ids.map((id, n) => line(n, id))];
  // Three bad lines among the good ones, at known line numbers (the header is line 1).
  lines.splice(3, 0, line(good + 1, "14876810184")); // line 4: identity number check digit
  lines.splice(6, 0, `${prefix}-${good + 2},water,${ids[0]},Too short`); // line 7
  lines.splice(9, 0, line(good + 3, ids[1]!, "12.50")); // line 10: not whole øre
  return { csv: `${lines.join("\n")}\n`, bad: [4, 7, 10] };
}

async function upload(page: Page, name: string, csv: string) {
  await page.goto("/staff/imports");
  await expect(page.getByRole("heading", { level: 1, name: "Claim imports" })).toBeVisible();
  await page.getByLabel("Creditor").selectOption({ label: "Elvdal kommune" });
  await page.getByLabel("Claims file").setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await page.getByRole("button", { name: "Import the claims" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Import of ${name}` })).toBeVisible();
}

async function expectReport(page: Page, good: number, bad: number[]) {
  const progress = page.locator("progress#import-progress");
  await expect(progress).toBeVisible();
  expect(await progress.getAttribute("value")).toBe(await progress.getAttribute("max"));
  await expect(page.getByTestId("import-counts")).toContainText(`New claims stored: ${good}`);
  await expect(page.getByTestId("import-counts")).toContainText(`Lines with errors: ${bad.length}`);
  const rows = page.getByTestId("import-problems").locator("tbody tr");
  await expect(rows).toHaveCount(bad.length);
  for (const [i, line] of bad.entries())
    await expect(rows.nth(i).getByRole("rowheader")).toHaveText(String(line));
  // Each reason in the staff member's words, not the API's English (decision 0110).
  await expect(rows.nth(0)).toContainText(
    "nationalId: is not a valid identity number from Norway.",
  );
  await expect(rows.nth(1)).toContainText("The line has 4 fields; the header has 10.");
  await expect(rows.nth(2)).toContainText(
    "principal: must be a whole number of øre or öre (125000 is 1,250.00).",
  );
  await expect(rows.nth(0)).not.toContainText("fødselsnummer");
}

test("with JavaScript, the bar moves by itself and the report follows", async ({ browser }) => {
  const page = await staffPage(browser, "supervisor@elvdal.example");
  const good = 2500;
  const { csv, bad } = claimsCsv(`IMP-JS-${tag}`, good, 100_000);
  await upload(page, `claims-${tag}.csv`, csv);
  const url = page.url();
  // No reload: the status resource is polled until the import ends.
  await expect(page.getByTestId("import-status")).toContainText("Finished", { timeout: 90_000 });
  expect(page.url()).toBe(url);
  await expectReport(page, good, bad);
  await expect(page.getByRole("link", { name: "Show the latest progress" })).toHaveCount(0);
  await expectNoAxeViolations(page);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `claim-import-report-${width}`);
  }
  // The same file again: every good line was received before, nothing is stored twice.
  await upload(page, `claims-${tag}-again.csv`, csv);
  await expect(page.getByTestId("import-status")).toContainText("Finished", { timeout: 90_000 });
  await expect(page.getByTestId("import-counts")).toContainText("New claims stored: 0");
  await expect(page.getByTestId("import-counts")).toContainText(
    `Received before (left as they were): ${good}`,
  );
  await page.goto("/staff/imports");
  await expect(page.getByTestId("claim-imports")).toContainText(`claims-${tag}.csv`);
  await page.setViewportSize({ width: 390, height: 900 });
  await screenshot(page, "claim-import-list-390");
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, "claim-import-list-1280");
});

test("without JavaScript, the page is read again by a link until the report is there", async ({
  browser,
}) => {
  const page = await staffPage(browser, "admin@elvdal.example", { javaScriptEnabled: false });
  const good = 1500;
  const { csv, bad } = claimsCsv(`IMP-NOJS-${tag}`, good, 110_000);
  await upload(page, `nojs-${tag}.csv`, csv);
  await expect(page.locator("progress#import-progress")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 900 });
  await screenshot(page, "claim-import-progress-nojs-390");
  for (let i = 0; i < 90; i++) {
    const refresh = page.getByRole("link", { name: "Show the latest progress" });
    if ((await refresh.count()) === 0) break;
    await page.waitForTimeout(1000);
    await refresh.click();
  }
  await expect(page.getByTestId("import-status")).toContainText("Finished");
  await expectReport(page, good, bad);
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, "claim-import-report-nojs-1280");
});

test("an agent cannot import claims files", async ({ browser }) => {
  const page = await staffPage(browser, "agent@elvdal.example");
  const res = await page.goto("/staff/imports");
  expect(res?.status()).toBe(403);
});

test("the batch API takes a body larger than a single claim's 64 KiB, and answers per claim", async ({
  request,
}) => {
  const key = await createApiKey("elvdal");
  const ids = norwegianIds(400, 120_000);
  const claims = ids.map((id, n) => ({
    externalId: `BATCH-${tag}-${n}`,
    claimType: "water",
    resident: {
      nationalId: id,
      name: `Ola Berg ${n}`,
      address: { lines: ["Nordre gate 21"], postalCode: "2406", city: "Elverum" },
    },
    description: "Vann og avløp, 4. termin 2026, fakturert etter avlest måler",
    currency: "NOK",
    principal: 125_000,
    issuedOn: addDays(TODAY, -35),
    dueOn: addDays(TODAY, -5),
  }));
  claims.push({ ...claims[0]!, principal: 1 });
  const body = JSON.stringify({ claims });
  expect(body.length).toBeGreaterThan(64 * 1024);
  const res = await request.post("/api/v1/claims/batch", {
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    data: body,
  });
  expect(res.status()).toBe(200);
  const answer = (await res.json()) as {
    summary: Record<string, number>;
    results: { result: string }[];
  };
  expect(answer.summary).toEqual({
    received: 401,
    created: 400,
    unchanged: 0,
    conflict: 1,
    invalid: 0,
  });
  expect(answer.results[400]!.result).toBe("conflict");
});
