import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { addDays, nextBankDay, todayIn } from "../app/domain/calendar-date";
import { cli, createApiKey, createClaimViaApi, loginAs, screenshot, staffSignIn } from "./support";

// The whole dispute story across both sides: a resident objects to a fee with a document, the
// claim pauses and the engine leaves it alone; a case worker signs in with password and TOTP,
// finds it in the queue and decides; the resident reads the decision; escalation resumes only
// after the new deadline. Then the same for an upheld objection: the fee goes, the balance drops.

const PER = { nationalId: "14876810183", name: "Per Olsen" };
const TODAY = todayIn("Europe/Oslo", new Date());
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const tag = Date.now().toString(36);
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
    "trailer << /Root 1 0 R >>\n%%EOF\n",
);

type View = {
  id: string;
  stage: string;
  notices: { kind: string; deadline: string | null }[];
  balance: { total: number };
  nextAction: { kind: string; on: string | null; step: string | null };
  events: { type: string; data: Record<string, unknown> }[];
};
async function view(request: APIRequestContext, key: string, externalId: string): Promise<View> {
  const res = await request.get(`/api/v1/claims/${externalId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return (await res.json()) as View;
}

/** A claim of Per's that the engine has just sent a reminder for, with its fee. */
async function claimWithReminder(request: APIRequestContext, key: string, suffix: string) {
  const externalId = `STAFF-${tag}-${suffix}`;
  await createClaimViaApi(request, key, {
    externalId,
    resident: { nationalId: PER.nationalId, name: PER.name },
    principal: 200_000,
    issuedOn: addDays(TODAY, -50),
    dueOn: addDays(TODAY, -20),
  });
  await cli("escalate", "--as-of", TODAY, "--creditor", "elvdal");
  const v = await view(request, key, externalId);
  expect(v.stage).toBe("REMINDER");
  return { externalId, id: v.id };
}

async function objectToFee(page: Page, claimId: string, words: string) {
  await page.goto(`/claims/${claimId}`);
  await page.getByRole("link", { name: "Object to this bill" }).click();
  const what = page.getByLabel("What do you object to?");
  await what.selectOption(
    await what.locator("option:not([value=''])").first().getAttribute("value"),
  );
  await page.getByLabel("The fee is not justified").check();
  await page.getByLabel("Describe what is wrong").fill(words);
  await page
    .getByLabel("Documents (optional)")
    .setInputFiles({ name: "letter.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Send objection" }).click();
  await expect(page.getByText("paused").first()).toBeVisible();
}

async function decide(page: Page, externalId: string, decision: RegExp, reason: string) {
  await page.goto("/staff");
  await page.getByRole("link", { name: "Open disputes" }).click();
  await page.getByRole("link", { name: externalId }).click();
  const dispute = page.getByTestId("staff-dispute").first();
  await expect(dispute.getByRole("link", { name: "letter.pdf" })).toBeVisible();
  // The case speaks to staff: the objection's state in words, the bill in the office's voice.
  await expect(dispute.getByRole("heading")).toContainText("Open, waiting for a decision");
  await expect(
    page.getByRole("heading", { name: "What the resident owes, line by line" }),
  ).toBeVisible();
  await expect(page.getByTestId("breakdown")).not.toContainText("sent to you");
  await dispute.getByLabel(decision).check();
  await dispute.getByLabel("Reason, as the resident will read it").fill(reason);
  await dispute.getByRole("button", { name: "Record the decision" }).click();
  await expect(page.getByTestId("action-result")).toBeVisible();
}

test("a rejected objection: paused, decided by a person, then a new deadline before anything else", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const key = await createApiKey("elvdal");
  const claim = await claimWithReminder(request, key, "R");

  const resident = await browser.newPage({ locale: "en-GB" });
  await loginAs(resident, PER.nationalId);
  await objectToFee(resident, claim.id, "The meter was read twice");

  // Held: later sweeps leave it where it is.
  await cli("escalate", "--as-of", addDays(TODAY, 25), "--creditor", "elvdal");
  expect((await view(request, key, claim.externalId)).stage).toBe("REMINDER");

  const staff = await browser.newPage({ locale: "en-GB", javaScriptEnabled: false });
  await staffSignIn(staff, "agent@elvdal.example");
  await decide(
    staff,
    claim.externalId,
    /^Reject/,
    "The meter readings were checked and are right.",
  );
  // The case speaks in words: the objection's hold named by the objection and its day (a link
  // to it), the decision by its day and the new deadline as a date; no ids, no ISO dates.
  const holds = staff.getByRole("region", { name: "Holds" });
  await expect(holds.getByRole("link", { name: /^Objection of \d{1,2} \w+ \d{4}$/ })).toBeVisible();
  await expect(holds).not.toContainText(UUID);
  await expect(holds).not.toContainText(ISO_DATE);
  const decision = staff.getByTestId("dispute-decision");
  await expect(decision).toContainText(/^Decided on \d{1,2} \w+ \d{4}: /);
  await expect(decision).toContainText(/New last day to pay: \d{1,2} \w+ \d{4}\./);
  await expect(decision).not.toContainText(ISO_DATE);
  await screenshot(staff, "staff-case-decided");

  await resident.goto(`/claims/${claim.id}`);
  await expect(resident.getByText("The meter readings were checked and are right.")).toBeVisible();
  await expect(resident.getByText(/Your new last day to pay is/)).toBeVisible();

  // The decision is a letter too, and its deadline is the fresh deadline (issue 15): the engine
  // steps past no letter that has not left, gives no second deadline, and takes the next step
  // only after the rejection's.
  await cli("escalate", "--as-of", TODAY, "--creditor", "elvdal");
  const decided = await view(request, key, claim.externalId);
  expect(decided.notices.at(-1)?.kind).toBe("DISPUTE_REJECTED");
  const deadline = decided.events.find((e) => e.type === "dispute.rejected")!.data
    .freshDeadline as string;
  // One story on the claim page: the rejection's last day to pay, once, and no other deadline.
  await resident.goto(`/claims/${claim.id}`);
  await expect(resident.getByText(/Your new last day to pay is/)).toHaveCount(1);
  await expect(resident.getByTestId("next-step")).toContainText("collection notice");
  await expect(resident.getByTestId("next-step")).not.toContainText("new deadline");
  // The next step on the first bank day after the deadline (with the deadline in late December,
  // Christmas can put it days later), as the creditor's API announces; nothing before it.
  const firstDay = nextBankDay(addDays(deadline, 1), "NO");
  expect(decided.nextAction).toMatchObject({
    kind: "wait",
    on: firstDay,
    step: "COLLECTION_NOTICE",
  });
  for (const d of new Set([addDays(TODAY, 1), deadline, addDays(firstDay, -1)])) {
    await cli("escalate", "--as-of", d, "--creditor", "elvdal");
    expect((await view(request, key, claim.externalId)).stage).toBe("REMINDER");
  }
  await cli("escalate", "--as-of", firstDay, "--creditor", "elvdal");
  const after = await view(request, key, claim.externalId);
  expect(after.stage).toBe("COLLECTION_NOTICE");
  expect(after.notices.map((n) => n.kind)).not.toContain("FRESH_DEADLINE");
});

test("an upheld objection: the disputed fee is cancelled and the resident is told why", async ({
  browser,
  request,
}) => {
  const key = await createApiKey("elvdal");
  const claim = await claimWithReminder(request, key, "U");
  const before = (await view(request, key, claim.externalId)).balance.total;

  const resident = await browser.newPage({ locale: "en-GB", javaScriptEnabled: false });
  await loginAs(resident, PER.nationalId);
  await objectToFee(resident, claim.id, "I was never told about this fee");

  const staff = await browser.newPage({ locale: "en-GB" });
  await staffSignIn(staff, "supervisor@elvdal.example");
  await decide(
    staff,
    claim.externalId,
    /^Uphold/,
    "The reminder went to an old address; the fee is removed.",
  );

  const after = (await view(request, key, claim.externalId)).balance.total;
  expect(before - after).toBe(3_500);
  await resident.goto(`/claims/${claim.id}`);
  await expect(
    resident.getByText("The reminder went to an old address; the fee is removed."),
  ).toBeVisible();
  await expect(resident.getByTestId("charge-line").filter({ hasText: "Reminder fee" })).toHaveCount(
    0,
  );
});

test("staff of one creditor cannot open another creditor's case", async ({ browser, request }) => {
  const key = await createApiKey("elvdal");
  const res = await request.get("/api/v1/claims/EK-2026-5001", {
    headers: { Authorization: `Bearer ${key}` },
  });
  const { id } = (await res.json()) as { id: string };
  const staff = await browser.newPage({ locale: "en-GB" });
  await staffSignIn(staff, "agent@vastkust.example", "Region Västkust");
  expect((await staff.goto(`/staff/cases/${id}`))?.status()).toBe(404);
});
