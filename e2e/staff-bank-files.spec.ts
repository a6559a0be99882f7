import { expect, test, type APIRequestContext } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { camt054 } from "../server/test-support/camt054";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  screenshot,
  staffPage,
} from "./support";

// Bank money in the back office: a supervisor uploads the bank's camt.054 file; the payment with
// a known KID lands on its claim at once, the one with an unknown KID becomes a task; the
// supervisor opens that task and matches it to the claim by hand. With JavaScript off, as the
// forms must work without it; axe checks the pages with it on.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);
const UNKNOWN_KID = `7${Date.now()}`.slice(0, 12);

type View = { id: string; paymentReference: string; balance: { total: number } };
async function view(request: APIRequestContext, key: string, externalId: string): Promise<View> {
  const res = await request.get(`/api/v1/claims/${externalId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return (await res.json()) as View;
}

test("a supervisor imports a bank file and matches the unknown payment to its claim", async ({
  browser,
  request,
}) => {
  const key = await createApiKey("elvdal");
  const externalId = `BANK-${tag}`;
  await createClaimViaApi(request, key, {
    externalId,
    resident: { nationalId: "14876810183", name: "Per Olsen" },
    principal: 200_000,
    issuedOn: addDays(TODAY, -5),
    dueOn: addDays(TODAY, 25), // not due: no fees or interest, so the balance moves by what is paid
  });
  const claim = await view(request, key, externalId);
  expect(claim.balance.total).toBe(200_000);
  const file = camt054(`E2E-${tag}`, [
    { reference: claim.paymentReference, amount: 50_000, bookedOn: TODAY },
    { reference: UNKNOWN_KID, amount: 12_300, bookedOn: TODAY },
  ]);

  // With JavaScript on: the pages pass axe.
  const page = await staffPage(browser, "supervisor@elvdal.example");
  await page.getByRole("link", { name: "Bank files" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bank files" })).toBeVisible();
  await expectNoAxeViolations(page);

  // The same session with JavaScript off: the forms post plainly.
  const noJs = await browser.newContext({
    locale: "en-GB",
    javaScriptEnabled: false,
    storageState: await page.context().storageState(),
  });
  const staff = await noJs.newPage();
  await staff.goto("/staff/bank-files");
  await staff
    .getByLabel("Bank file")
    .setInputFiles({ name: "camt054-today.xml", mimeType: "text/xml", buffer: Buffer.from(file) });
  await staff.getByRole("button", { name: "Import the file" }).click();
  const result = staff.getByTestId("import-result");
  await expect(result).toContainText("camt054-today.xml: camt.054");
  await expect(result).toContainText("Matched and allocated to their claims: 1");
  await expect(result).toContainText("Matched no claim (sent to the staff queue): 1");
  await expect(staff.getByTestId("bank-import").first()).toContainText("camt054-today.xml");
  await screenshot(staff, "staff-bank-file-imported");
  expect((await view(request, key, externalId)).balance.total).toBe(150_000);

  // The same file again adds nothing.
  await staff
    .getByLabel("Bank file")
    .setInputFiles({ name: "camt054-today.xml", mimeType: "text/xml", buffer: Buffer.from(file) });
  await staff.getByRole("button", { name: "Import the file" }).click();
  await expect(staff.getByTestId("import-result")).toContainText(
    "This file was imported before: nothing added.",
  );
  expect((await view(request, key, externalId)).balance.total).toBe(150_000);

  // A damaged file: the error names the line, nothing is stored.
  await staff.getByLabel("Bank file").setInputFiles({
    name: "broken.xml",
    mimeType: "text/xml",
    buffer: Buffer.from(file.replace("<Sum>623.00</Sum>", "<Sum>1.00</Sum>")),
  });
  await staff.getByRole("button", { name: "Import the file" }).click();
  await expect(staff.getByTestId("import-result")).toContainText(/could not be read at line \d+/);
  await expect(staff.getByTestId("import-result")).toContainText("Nothing was imported.");

  // The case view shows the lower balance.
  await staff.goto(`/staff/cases/${claim.id}`);
  await expect(staff.locator(".facts")).toContainText(/1,500\.00/);

  // The unknown payment waits in its queue; the supervisor finds the claim by the payer's name
  // (typed without care for case) and matches it.
  await staff.goto("/staff");
  await expect(staff.getByTestId("queue-unmatched")).toContainText(/[1-9]/);
  await staff.getByRole("link", { name: "Unmatched bank payments" }).click();
  await staff.getByRole("link", { name: UNKNOWN_KID }).click();
  await expect(staff.getByTestId("task-facts")).toContainText(/123\.00/);
  await staff
    .getByLabel("The payer’s name, identity number, the invoice number or a reference")
    .fill("per olsen");
  await staff.getByRole("button", { name: "Find", exact: true }).click();
  const candidates = staff.getByTestId("claim-candidates");
  await expect(candidates.getByRole("radio").first()).toBeVisible();
  await candidates.getByRole("radio", { name: new RegExp(`^${externalId}: Per Olsen`) }).check();
  await staff
    .getByLabel("Why (kept in the audit log)")
    .fill("The payer mistyped the KID; name and amount fit this bill.");
  await staff.getByRole("button", { name: "Match and record the payment" }).click();
  await expect(staff.getByTestId("action-result")).toContainText("The task has left its queue.");
  await expect(staff.getByTestId("task-status")).toHaveText("Done");
  await expect(staff.getByTestId("task-resolution")).toContainText("Matched to a claim");
  await expect(staff.getByRole("button", { name: "Match and record the payment" })).toHaveCount(0);
  expect((await view(request, key, externalId)).balance.total).toBe(137_700);
  const taskUrl = staff.url();

  // The settled task left the queue; the task page passes axe with JavaScript on.
  await staff.goto("/staff/queues/unmatched");
  await expect(staff.getByRole("link", { name: UNKNOWN_KID })).toHaveCount(0);
  await page.goto(taskUrl);
  await expectNoAxeViolations(page);
  await noJs.close();
});

test("an agent cannot open the bank-file page", async ({ browser }) => {
  const agent = await staffPage(browser, "agent@elvdal.example");
  await expect(agent.getByRole("link", { name: "Bank files" })).toHaveCount(0);
  expect((await agent.goto("/staff/bank-files"))?.status()).toBe(403);
  // Said as a refusal, in the back office, with the way back to the queues.
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText("Not open to you");
  await expect(agent).toHaveTitle("Not open to you – Kravportal");
  await agent.getByRole("link", { name: "Back to the queues" }).click();
  await expect(agent).toHaveURL(/\/staff$/);
});
