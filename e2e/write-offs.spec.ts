import { expect, test } from "@playwright/test";
import pg from "pg";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  cli,
  createApiKey,
  createClaimViaApi,
  DATABASE_URL,
  expectNoAxeViolations,
  loginAs,
  PORT,
  screenshot,
  staffPage,
} from "./support";

// Write-offs (issue 16, decision 0106): a supervisor writes off the reminder fee of a claim on the
// case view, with JavaScript off and a reason; an agent is shown no such form and is refused with
// a 403; the resident then sees on their claim page that the fee was written off and that it is
// no longer in what they owe. Screenshots at 390 and 1280 px.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);
const externalId = `WO-${tag}`;

function ownResident(from = 340): string {
  for (let i = from; ; i++) {
    const id = makeNorwegianFodselsnummer("1968-03-21", i, { synthetic: true });
    if (id) return id;
  }
}

test("a supervisor writes off a fee with a reason; the resident sees it explained", async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const nationalId = ownResident();
  const key = await createApiKey("elvdal");
  const { id: claimId } = await createClaimViaApi(request, key, {
    externalId,
    resident: {
      nationalId,
      name: `Wenche Avskriv ${tag}`,
      address: { lines: ["Storgata 1"], postalCode: "2408", city: "Elverum" },
    },
    principal: 120_000,
    issuedOn: addDays(TODAY, -50),
    dueOn: addDays(TODAY, -20),
  });
  // The reminder and its fee, sent on paper today.
  await cli("escalate", "--as-of", TODAY, "--creditor", "elvdal");

  // An agent sees no write-off form, and a posted one is refused with a 403.
  const agent = await staffPage(browser, "agent@elvdal.example", { javaScriptEnabled: false });
  await agent.goto(`/staff/cases/${claimId}`);
  await expect(agent.getByRole("heading", { level: 1 })).toContainText(externalId);
  await expect(agent.getByRole("button", { name: "Write off this fee" })).toHaveCount(0);
  const refused = await agent.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "write-off", reason: "An agent trying to write off" },
  });
  expect(refused.status()).toBe(403);

  const supervisor = await staffPage(browser, "supervisor@elvdal.example", {
    javaScriptEnabled: false,
  });
  await supervisor.goto(`/staff/cases/${claimId}`);
  const section = supervisor.getByTestId("case-write-off");
  await expect(section.getByRole("heading", { name: "Write off" })).toBeVisible();
  // Without a reason the browser would stop the form; posted anyway, it is a 400 and nothing changes.
  const noReason = await supervisor.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "write-off", reason: "" },
  });
  expect(noReason.status()).toBe(400);
  const fee = section.getByLabel(/Reminder fee, NOK\s?35\.00/);
  await fee.check();
  await section
    .getByLabel("Reason")
    .first()
    .fill("The reminder went to an address the resident had left");
  await section.getByRole("button", { name: "Write off this fee" }).click();
  await expect(supervisor.getByTestId("action-result")).toContainText("The fee is written off");
  await expect(supervisor.getByTestId("written-off-fees")).toContainText(
    /Reminder fee of NOK\s?35\.00 written off/,
  );
  await expect(supervisor.getByTestId("case-write-off")).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await supervisor.setViewportSize({ width: 1280, height: 900 });
  await screenshot(supervisor, "write-offs-staff-1280");
  await supervisor.setViewportSize({ width: 390, height: 844 });
  await screenshot(supervisor, "write-offs-staff-390");

  // The resident: the fee explained, not in the amount to pay, and nothing asked of it.
  // The test's own page (axe opens its helper page in the page's context).
  const resident = page;
  await resident.setViewportSize({ width: 390, height: 844 });
  await loginAs(resident, nationalId, `/claims/${claimId}`);
  await resident.goto(`/claims/${claimId}`);
  const explained = resident.getByTestId("fees-written-off");
  await expect(explained).toContainText(/Reminder fee of NOK\s?35\.00 was written off on/);
  await expect(explained).toContainText("you do not owe it");
  const total = Number(await resident.getByTestId("total-due").getAttribute("data-minor"));
  expect(total).toBeGreaterThanOrEqual(120_000);
  expect(total).toBeLessThan(120_000 + 3_500);
  await expect(resident.getByTestId("charge-line").filter({ hasText: "Reminder fee" })).toHaveCount(
    0,
  );
  await expectNoAxeViolations(resident);
  await screenshot(resident, "write-offs-resident-390");
  await resident.setViewportSize({ width: 1280, height: 900 });
  await screenshot(resident, "write-offs-resident-1280");
});

test("a supervisor answers a queued small balance with keep collecting; an agent cannot", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const key = await createApiKey("elvdal");
  const ext = `WOK-${tag}`;
  const { id: claimId } = await createClaimViaApi(request, key, {
    externalId: ext,
    resident: { nationalId: ownResident(380), name: `Kjell Fortsett ${tag}` },
    principal: 4_000,
    issuedOn: addDays(TODAY, -50),
    dueOn: addDays(TODAY, -20),
  });
  // In the small-balances queue, as a queue-mode write-off rule's sweep leaves it (the sweep's
  // part is tested in app/services/escalation and backoffice tests).
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO "StaffTask" (id, kind, "creditorId", "claimId", "sourceKey", data)
       SELECT gen_random_uuid(), 'WRITE_OFF', c."creditorId", c.id, $2, $3::jsonb
         FROM "Claim" c WHERE c.id = $1::uuid`,
      [claimId, `write-off:${claimId}:${TODAY}`, JSON.stringify({ amount: 4_000, since: TODAY })],
    );
    await db.query(`UPDATE "Claim" SET "nextActionOn" = NULL WHERE id = $1::uuid`, [claimId]);
  } finally {
    await db.end();
  }

  const agent = await staffPage(browser, "agent@elvdal.example", { javaScriptEnabled: false });
  await agent.goto(`/staff/cases/${claimId}`);
  await expect(agent.getByRole("button", { name: "Keep collecting" })).toHaveCount(0);
  const refused = await agent.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "keep-collecting", reason: "An agent trying to keep it" },
  });
  expect(refused.status()).toBe(403);

  const supervisor = await staffPage(browser, "supervisor@elvdal.example", {
    javaScriptEnabled: false,
  });
  const noReason = await supervisor.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "keep-collecting", reason: "" },
  });
  expect(noReason.status()).toBe(400);
  await supervisor.goto(`/staff/cases/${claimId}`);
  const form = supervisor.getByTestId("keep-collecting");
  await form.getByLabel("Reason").fill("The resident called and will pay the rest");
  await form.getByRole("button", { name: "Keep collecting" }).click();
  await expect(supervisor.getByTestId("action-result")).toContainText("Kept collecting");
  await expect(supervisor.getByRole("button", { name: "Keep collecting" })).toHaveCount(0);
  await expectNoAxeViolations(supervisor);
  // Asked again: nothing is queued any more, a 409, nothing changes.
  const again = await supervisor.request.post(`/staff/cases/${claimId}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "keep-collecting", reason: "The resident called and will pay the rest" },
  });
  expect(again.status()).toBe(409);
});
