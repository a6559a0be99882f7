import { statSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { cli, createApiKey, createClaimViaApi, PORT, screenshot, staffSignIn } from "./support";

// Every letter reaches the resident, on the staff side: a paper reminder to Ingrid leaves in the
// day's print batch; the post brings it back; a case worker records that, finds the claim under
// "Letters that did not arrive" and sends it again to a corrected address; the new letter waits
// for the next batch and the old one reads as sent again. A supervisor downloads the print batch
// archive and the letter as it left.

const INGRID = { nationalId: "27829010068", name: "Ingrid Johansen" };
const TODAY = todayIn("Europe/Oslo", new Date());
const externalId = `LETTER-${Date.now().toString(36)}`;

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), size: saved ? statSync(saved).size : 0 };
}

test("a returned paper letter is recorded, found in the queue and sent again to a new address", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const key = await createApiKey("elvdal");
  const { id: claimId } = await createClaimViaApi(request, key, {
    externalId,
    resident: {
      ...INGRID,
      address: { lines: ["Vestbyveien 3"], postalCode: "2411", city: "Elverum" },
    },
    principal: 180_000,
    issuedOn: addDays(TODAY, -50),
    dueOn: addDays(TODAY, -20),
  });
  // The sweep writes the reminder; with no register answering for the command line, it goes on
  // paper in today's print batch.
  expect(await cli("escalate", "--as-of", TODAY, "--creditor", "elvdal")).toMatch(/on paper in 1/);

  const staff = await browser.newPage({ locale: "en-GB", javaScriptEnabled: false });
  await staffSignIn(staff, "agent@elvdal.example");
  await staff.goto(`/staff/cases/${claimId}`);
  const letters = staff.getByTestId("staff-letter");
  await expect(letters).toHaveCount(1);
  await expect(letters.first()).toContainText("Reminder – Sent (paper)");
  await expect(letters.first()).not.toContainText(/\d{4}-\d{2}-\d{2}|PRINT|DISPATCHED/);

  // The post brings it back. A reason longer than a letter's 500 characters (the field takes no
  // more; a crafted post does) is refused saying that limit, not another form's, and what was
  // written is there again, in the form opened again.
  await letters.first().getByText("Record that it came back").click();
  const what = letters.first().getByLabel(/What happened/);
  await expect(what).toHaveAccessibleDescription("At least 5 and at most 500 characters.");
  await what.evaluate((el) => el.removeAttribute("maxlength"));
  const long = "Returned by the post. ".repeat(23);
  await what.fill(long);
  const [tooLong] = await Promise.all([
    staff.waitForResponse((r) => r.request().method() === "POST"),
    letters.first().getByRole("button", { name: "Record returned letter" }).click(),
  ]);
  expect(tooLong.status()).toBe(400);
  await expect(what).toHaveAccessibleDescription(
    "A reason can be at most 500 characters. Nothing was changed. At least 5 and at most 500 characters.",
  );
  await expect(what).toHaveValue(long);
  await expect(letters.first()).toContainText("Reminder – Sent (paper)");
  await what.fill("Returned by the post: addressee unknown");
  await letters.first().getByRole("button", { name: "Record returned letter" }).click();
  await expect(staff.getByTestId("action-result")).toContainText("Recorded as returned");
  await expect(letters.first()).toContainText("Reminder – Came back (paper)");

  await staff.goto("/staff");
  await staff.getByRole("link", { name: "Letters that did not arrive" }).click();
  const row = staff.getByTestId("queue-item").filter({ hasText: externalId });
  await expect(row).toContainText(INGRID.name);
  await expect(row).toContainText("Reminder");
  await expect(row).toContainText("Came back (paper)");
  await expect(row).toContainText("Returned by the post: addressee unknown");
  await screenshot(staff, "staff-letters-queue");
  await row.getByRole("link", { name: externalId }).click();

  // Sent again, on paper, to the address the population register gives.
  const returned = staff.getByTestId("staff-letter").first();
  await returned.getByLabel("Paper", { exact: true }).check();
  await returned.getByLabel("Street address").fill("Nyveien 22 H0101");
  await returned.getByLabel("Postal code").fill("2409");
  await returned.getByLabel("Town or city").fill("Elverum");
  await returned
    .getByLabel("Why it is sent again")
    .fill("New address from the population register");
  await returned.getByRole("button", { name: "Send again" }).click();
  await expect(staff.getByTestId("action-result")).toContainText("A new letter is waiting");
  await expect(staff.getByTestId("staff-letter")).toHaveCount(2);
  await expect(staff.getByTestId("staff-letter").nth(0)).toContainText(
    "Reminder – Sent again as a new letter (paper)",
  );
  await expect(staff.getByTestId("staff-letter").nth(1)).toContainText(
    "Reminder – Waiting to be sent (paper)",
  );
  await screenshot(staff, "staff-case-letters");

  // A bad address is refused with a 4xx, and nothing changes.
  const bad = await staff.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "letter-resend", noticeId: claimId, reason: "x", channel: "PRINT" },
  });
  expect(bad.status()).toBe(400);
  await staff.reload();
  await expect(staff.getByTestId("staff-letter")).toHaveCount(2);

  // The old letter as it left, as a PDF.
  const pdf = await download(staff, () =>
    staff.getByTestId("staff-letter").nth(0).getByText("Open the letter as sent (PDF)").click(),
  );
  expect(pdf.name).toMatch(new RegExp(`^${externalId}-reminder-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
  expect(pdf.size).toBeGreaterThan(1000);

  // Print batches are a supervisor's: the agent is turned away, the supervisor downloads.
  expect((await staff.goto("/staff/print-batches"))?.status()).toBe(403);
  const supervisor = await browser.newPage({ locale: "en-GB" });
  await staffSignIn(supervisor, "supervisor@elvdal.example");
  await supervisor.getByRole("link", { name: "Print batches" }).first().click();
  const batch = supervisor.getByTestId("print-batch").first();
  await expect(batch).toContainText("Elvdal kommune");
  const zip = await download(supervisor, () =>
    batch.getByRole("link", { name: /^Download elvdal-/ }).click(),
  );
  expect(zip.name).toMatch(/^elvdal-\d{4}-\d{2}-\d{2}-[0-9a-f-]+\.zip$/);
  expect(zip.size).toBeGreaterThan(1000);
  await screenshot(supervisor, "staff-print-batches");
});
