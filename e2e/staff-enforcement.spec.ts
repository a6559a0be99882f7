import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Download, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  cli,
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  loginAs,
  PORT,
  screenshot,
  staffSignIn,
} from "./support";

// Filing that loses nothing (issue 15): a supervisor approves two claims, makes an enforcement
// export batch and downloads its file in the browser with JavaScript on and with it off, gets
// the same bytes again from the list, and records the authority's receipt. The claims are
// approved, then exported, then filed; the resident's page says so at each point and offers no
// plan or objection once the claim is on its way.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);
const DUE = addDays(TODAY, -150);
const minDate = (a: string, b: string) => (a < b ? a : b);
// Water and sewage: Elvdal enforces it itself, as særnamsmann.
const OWN = "the municipality's own enforcement office (særnamsmann)";

type View = { id: string; stage: string; notices: { kind: string; status: string }[] };

async function view(request: APIRequestContext, key: string, externalId: string): Promise<View> {
  const res = await request.get(`/api/v1/claims/${externalId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as View;
}

/** A resident of this run's own, so nothing another journey did stands in the way. */
function freshResident(n: number) {
  for (let i = 0; ; i += 1) {
    const id = makeNorwegianFodselsnummer(
      addDays("1980-01-01", (Date.now() % 3000) + n * 97 + i),
      100 + ((Date.now() + n * 13 + i) % 400),
    );
    if (id) return { nationalId: id, name: `Enforcement ${tag} ${n}` };
  }
}

/** Claims handed over long overdue, swept on the days the engine names until they are queued. */
async function queuedClaims(request: APIRequestContext, key: string) {
  const claims = [1, 2].map((n) => ({ externalId: `ENF-${tag}-${n}`, resident: freshResident(n) }));
  for (const c of claims) {
    await createClaimViaApi(request, key, {
      externalId: c.externalId,
      resident: {
        ...c.resident,
        address: { lines: ["Storgata 7"], postalCode: "2406", city: "Elverum" },
      },
      principal: 300_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    });
  }
  // A sweep a week, as of that day (its letters leave that day, on paper): each takes the steps
  // then due, until both claims wait in the enforcement queue.
  for (
    let day = addDays(DUE, 7);
    day <= TODAY;
    day = day === TODAY ? addDays(day, 1) : minDate(addDays(day, 7), TODAY)
  ) {
    await cli("escalate", "--as-of", day, "--creditor", "elvdal");
    const views = await Promise.all(claims.map((c) => view(request, key, c.externalId)));
    if (views.every((v) => v.stage === "READY_FOR_ENFORCEMENT"))
      return claims.map((c, i) => ({ ...c, id: views[i]!.id }));
  }
  throw new Error("the claims did not reach the enforcement queue");
}

async function download(page: Page, click: () => Promise<void>) {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent("download"), click()]);
  const saved = await file.path();
  const bytes = readFileSync(saved);
  return {
    name: file.suggestedFilename(),
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

async function residentSees(page: Page, claimId: string, stage: string) {
  await page.goto(`/claims/${claimId}`);
  await expect(page.getByText(stage, { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("plan-link")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Object to this bill" })).toHaveCount(0);
  await expect(page.getByTestId("objection-with-enforcement")).toContainText(
    "can no longer be objected to here",
  );
  await expect(page.getByTestId("enforcement-options")).toContainText(
    "You can still pay the whole amount",
  );
  await expect(page.getByRole("link", { name: "Pay online" })).toBeVisible();
}

test("a batch is stored, downloaded with JavaScript on and off, and filed by its receipt", async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(300_000);
  const key = await createApiKey("elvdal");
  const claims = await queuedClaims(request, key);

  // A supervisor approves both, each after the checks of that moment.
  await staffSignIn(page, "supervisor@elvdal.example");
  // An approval posted without its confirmation is refused, and the claim stays in the queue.
  const unconfirmed = await page.request.post(`/staff/cases/${claims[0]!.id}`, {
    headers: { Origin: `http://localhost:${PORT}` },
    form: { intent: "approve" },
  });
  expect(unconfirmed.status()).toBe(400);
  expect((await view(request, key, claims[0]!.externalId)).stage).toBe("READY_FOR_ENFORCEMENT");
  for (const c of claims) {
    await page.goto(`/staff/cases/${c.id}`);
    // Why it qualifies: every check the approval makes, each met for this bill.
    const checks = page.getByTestId("approval-checks");
    await expect(checks.getByTestId("approval-check")).toHaveCount(5);
    await expect(checks.locator('[data-ok="yes"]')).toHaveCount(5);
    await expect(checks).toContainText(
      "every letter of the ladder has been sent, and none failed or came back",
    );
    await expect(checks).toContainText("is at or above the policy's minimum of");
    await expect(checks).toContainText("nothing pauses the bill");
    await expect(checks).toContainText("no unresolved vulnerability flag");
    await screenshot(page, "enforcement-approval-checks");
    // Not by a click alone: the form asks for the check to be confirmed first.
    await page.getByLabel("I have checked this bill, and it is to go to enforcement.").check();
    await page.getByRole("button", { name: "Approve for enforcement" }).click();
    await expect(page.getByTestId("action-result")).toBeVisible();
    expect((await view(request, key, c.externalId)).stage).toBe("ENFORCEMENT_APPROVED");
  }

  // The batch: made by a plain form post, then the export page again (POST-redirect-GET).
  await page.goto("/staff/export");
  await expectNoAxeViolations(page);
  const route = page.getByTestId("export-route").filter({ hasText: "særnamsmann" });
  await expect(route).toContainText("2 approved claims are ready to go");
  await route.getByRole("button", { name: `Make a batch for ${OWN}` }).click();
  await expect(page).toHaveURL(/\/staff\/export\?made=/);
  await expect(page.getByTestId("export-result")).toContainText("Batch made with 2 claims");
  await screenshot(page, "enforcement-export-made");
  for (const c of claims)
    expect((await view(request, key, c.externalId)).stage).toBe("ENFORCEMENT_EXPORTED");
  // Reloading the page after the redirect makes nothing twice.
  const batches = await page.getByTestId("export-batch").count();
  await page.reload();
  await expect(page.getByTestId("export-batch")).toHaveCount(batches);
  await expect(route).toContainText("No approved claims are waiting");
  // Made is not sent: until its file is downloaded nothing has left for the authority.
  await expect(page.getByTestId("export-batch").first().getByTestId("export-state")).toHaveText(
    "Made, not downloaded yet: download the file and hand it to the authority",
  );

  // The resident: on its way, no plan, no objection here; paying still possible.
  const resident = await browser.newPage({ locale: "en-GB" });
  await loginAs(resident, claims[0]!.resident.nationalId);
  await residentSees(resident, claims[0]!.id, `On its way to ${OWN}`);
  await screenshot(resident, "enforcement-resident-exported");

  // Downloaded with JavaScript on, from the notice of the batch just made.
  const first = await download(page, () => page.getByTestId("download-made").click());
  expect(first.name).toMatch(/^kravportal-enforcement-no-saernamsmann-v1_elvdal_.*\.csv$/);
  const text = first.bytes.toString("utf8");
  const lines = text.trimEnd().split("\r\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toContain("debtor_national_identity_number");
  for (const c of claims) {
    expect(text).toContain(c.externalId);
    expect(text).toContain(c.resident.nationalId);
  }

  // Again from the list, with JavaScript on: the same bytes. Downloaded now, not yet received.
  await page.reload();
  const row = page.getByTestId("export-batch").first();
  await expect(row).toContainText("Elvdal kommune");
  await expect(row.getByTestId("export-state")).toContainText("Downloaded ");
  await expect(row.getByTestId("export-state")).toContainText(
    "not yet received: record the authority's receipt when it comes",
  );
  const again = await download(page, () => row.getByRole("link", { name: /Download/ }).click());
  expect(again.sha256).toBe(first.sha256);

  // With JavaScript off, in a context of its own: the same bytes, and the checksum the batch
  // page shows.
  const plain = await browser.newContext({ locale: "en-GB", javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await staffSignIn(noJs, "supervisor@elvdal.example");
  await noJs.goto("/staff/export");
  const plainRow = noJs.getByTestId("export-batch").first();
  const third = await download(noJs, () =>
    plainRow.getByRole("link", { name: /Download/ }).click(),
  );
  expect(third.sha256).toBe(first.sha256);
  expect(third.name).toBe(first.name);
  await plainRow.getByRole("rowheader").getByRole("link").click();
  await expect(noJs.getByRole("heading", { level: 1 })).toContainText(
    "Own enforcement (særnamsmann): batch of",
  );
  await expect(noJs.locator("code")).toHaveText(first.sha256);
  // Downloaded, not yet received: the day and time of the first download said once, with who.
  const state = noJs.getByRole("definition").filter({ has: noJs.getByTestId("batch-state") });
  await expect(noJs.getByTestId("batch-state")).toContainText("Downloaded");
  await expect(noJs.getByTestId("batch-downloaded")).toHaveText(/^Downloaded by .+\.$/);
  expect((await state.innerText()).match(/\d{1,2}:\d{2}/g)).toHaveLength(1);
  await screenshot(noJs, "enforcement-batch-exported");
  const fourth = await download(noJs, () =>
    noJs.getByRole("link", { name: `Download ${first.name}` }).click(),
  );
  expect(fourth.sha256).toBe(first.sha256);

  // A receipt is required; without one nothing changes.
  await noJs.getByLabel("Receipt or case number").fill("   ");
  await noJs.getByRole("button", { name: "Record the receipt" }).click();
  await expect(noJs.getByTestId("batch-result")).toContainText("Write the authority's receipt");
  for (const c of claims)
    expect((await view(request, key, c.externalId)).stage).toBe("ENFORCEMENT_EXPORTED");

  // The authority confirms: the receipt is recorded (JavaScript off), the claims are filed.
  await noJs.getByLabel("Receipt or case number").fill(`SN-${tag}`);
  await noJs.getByRole("button", { name: "Record the receipt" }).click();
  await expect(noJs).toHaveURL(/\?done=receipt/);
  await expect(noJs.getByTestId("batch-state")).toHaveText(
    "Handed over: the authority's receipt is recorded",
  );
  await expect(noJs.getByTestId("batch-receipt")).toContainText(`SN-${tag}`);
  await expect(noJs.getByTestId("batch-claim-stage")).toHaveText([
    `Sent to ${OWN}`,
    `Sent to ${OWN}`,
  ]);
  await expect(noJs.getByRole("button", { name: "Record the receipt" })).toHaveCount(0);
  await screenshot(noJs, "enforcement-batch-filed");
  for (const c of claims) {
    const filed = await view(request, key, c.externalId);
    expect(filed.stage).toBe("FILED");
    // The resident hears of it now, in a letter of its own, once.
    expect(filed.notices.filter((n) => n.kind === "ENFORCEMENT_FILED")).toHaveLength(1);
  }
  await page.goto(`/staff/export`);
  await expect(page.getByTestId("export-batch").first().getByTestId("export-state")).toHaveText(
    "Handed over: the authority's receipt is recorded",
  );
  await page.getByTestId("export-batch").first().getByRole("rowheader").getByRole("link").click();
  await expectNoAxeViolations(page);
  // The file is still there, unchanged.
  const fifth = await download(page, () =>
    page.getByRole("link", { name: `Download ${first.name}` }).click(),
  );
  expect(fifth.sha256).toBe(first.sha256);

  await residentSees(resident, claims[0]!.id, `Sent to ${OWN}`);
  await expect(resident.getByTestId("next-step")).toContainText(`This bill is now with ${OWN}`);
  await plain.close();
});
