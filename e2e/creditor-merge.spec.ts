import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  DATABASE_URL,
  expectNoAxeViolations,
  postClaim,
  screenshot,
  staffPage,
} from "./support";

// Two municipalities merge: an administrator of both sees what would move (a dry run that changes
// nothing), confirms, and the claims, staff and claim types are the new creditor's; the old
// creditor's API key no longer works. Two creditors of the journey's own (copies of Elvdal's setup),
// not the demo ones, which other journeys use. Without JavaScript, as the forms must work without
// it; axe with it on.

const tag = Date.now().toString(36);
const FROM = { slug: `sorvik-${tag}`, name: `Sørvik kommune ${tag}` };
const INTO = { slug: `fjordvik-${tag}`, name: `Fjordvik kommune ${tag}` };
const ADMIN = `merge-admin-${tag}@example.test`;
const ADMIN_JS = `merge-admin-js-${tag}@example.test`;

async function withDb<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A creditor set up like Elvdal (its water claim type and case flow), under its own name. */
async function creditorLikeElvdal(c: pg.Client, slug: string, name: string, prefix: string) {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO "Creditor" (id, slug, name, country, currency, "timeZone", "bankAccount",
       "referenceScheme", "referencePrefix", "postalAddress", phone, email, "openingHours")
     SELECT gen_random_uuid(), $1, $2, country, currency, "timeZone", "bankAccount",
       "referenceScheme", $3, "postalAddress", phone, email, "openingHours"
       FROM "Creditor" WHERE slug = 'elvdal' RETURNING id`,
    [slug, name, prefix],
  );
  const id = rows[0]!.id;
  await c.query(
    `WITH t AS (
       INSERT INTO "ClaimType" (id, "creditorId", slug, name, names)
       SELECT gen_random_uuid(), $1::uuid, slug, name, names FROM "ClaimType"
        WHERE slug = 'water' AND "creditorId" = (SELECT id FROM "Creditor" WHERE slug = 'elvdal')
       RETURNING id)
     INSERT INTO "Policy" (id, "creditorId", "claimTypeId", version, "chargesInterest",
       "enforcementMinimum", "allocationOrder", steps, "resumeDeadlineDays", "postalDays", "planRules")
     SELECT gen_random_uuid(), $1::uuid, t.id, 1, p."chargesInterest", p."enforcementMinimum",
       p."allocationOrder", p.steps, p."resumeDeadlineDays", p."postalDays", p."planRules"
       FROM t, "Policy" p JOIN "ClaimType" ct ON ct.id = p."claimTypeId"
      WHERE ct.slug = 'water' AND ct."creditorId" = (SELECT id FROM "Creditor" WHERE slug = 'elvdal')
      ORDER BY p.version DESC LIMIT 1`,
    [id],
  );
  return id;
}

/** An administrator of both creditors, signing in with the demo staff's password and TOTP. */
async function adminOfBoth(c: pg.Client, email: string, ids: string[]) {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO "Staff" (id, email, name, "passwordHash", "mustChangePassword", "totpSecretCipher", role)
     SELECT gen_random_uuid(), $1, 'Merge Administrator', "passwordHash", false, "totpSecretCipher", 'ADMIN'
       FROM "Staff" WHERE email = 'admin@elvdal.example' RETURNING id`,
    [email],
  );
  for (const creditorId of ids)
    await c.query(`INSERT INTO "StaffCreditor" ("staffId", "creditorId") VALUES ($1, $2)`, [
      rows[0]!.id,
      creditorId,
    ]);
}

function ownResident(): string {
  for (let i = 230; ; i++) {
    const id = makeNorwegianFodselsnummer("1969-02-11", i, { synthetic: true });
    if (id) return id;
  }
}

async function choosePair(page: Page) {
  await page.goto("/staff/admin");
  await page.getByRole("link", { name: "Merge two creditors" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Merge two creditors");
  await page.getByLabel("Merge this creditor").selectOption({ label: FROM.name });
  await page.getByLabel("into this creditor").selectOption({ label: INTO.name });
  await page.getByRole("button", { name: "Show what would move" }).click();
}

test("an administrator of both merges one municipality into another after a dry run", async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const width = testInfo.project.use.viewport?.width ?? 1280;
  const today = todayIn("Europe/Oslo", new Date());
  const prefixBase = String(600 + (Date.now() % 300));
  const ids = await withDb(async (c) => {
    const from = await creditorLikeElvdal(c, FROM.slug, FROM.name, `${prefixBase}1`);
    const into = await creditorLikeElvdal(c, INTO.slug, INTO.name, `${prefixBase}2`);
    await adminOfBoth(c, ADMIN, [from, into]);
    await adminOfBoth(c, ADMIN_JS, [from, into]);
    return { from, into };
  });
  const key = await createApiKey(FROM.slug);
  const claim = (externalId: string) => ({
    externalId,
    resident: { nationalId: ownResident(), name: `Sigrid Sammenslått ${tag}` },
    description: "Vann og avløp",
    principal: 75_000,
    issuedOn: addDays(today, -40),
    dueOn: addDays(today, -10),
  });
  const { paymentReference: reference } = await createClaimViaApi(
    request,
    key,
    claim(`MRG-${tag}-1`),
  );

  const admin = await staffPage(browser, ADMIN, { javaScriptEnabled: false, creditor: INTO.name });
  await admin.setViewportSize({ width, height: 900 });

  // A creditor cannot be merged into itself: a clear 400, nothing changed.
  const refused = await admin.goto(`/staff/admin/merge?from=${FROM.slug}&into=${FROM.slug}`);
  expect(refused?.status()).toBe(400);
  await expect(admin.getByRole("alert")).toContainText("cannot be merged into itself");

  // The dry run: what would move, the claim type in both, the key to be revoked.
  await choosePair(admin);
  const preview = admin.getByTestId("merge-preview");
  await expect(preview).toContainText("nothing has changed yet");
  await expect(admin.getByTestId("merge-moved-Claim")).toContainText(/Claims\s*1/);
  await expect(admin.getByTestId("merge-moved-ClaimType")).toContainText(/Claim types\s*1/);
  await expect(preview).toContainText(`Claim type “water” is in both`);
  await expect(preview).toContainText("1 API key of the old creditor's billing system is revoked");
  await expect(preview.getByRole("table")).toHaveAccessibleName(
    `Records moving from ${FROM.name} to ${INTO.name}`,
  );
  await screenshot(admin, `creditor-merge-preview-${width}`);
  // Nothing changed: the old creditor's key still posts claims.
  await createClaimViaApi(request, key, claim(`MRG-${tag}-2`));

  // The same page with JavaScript on passes axe.
  const withJs = await staffPage(browser, ADMIN_JS, { creditor: INTO.name });
  await withJs.setViewportSize({ width, height: 900 });
  await choosePair(withJs);
  await expect(withJs.getByTestId("merge-preview")).toBeVisible();
  await expectNoAxeViolations(withJs);
  await withJs.context().close();

  // Confirmed: merged; the counts are what was shown (two claims now).
  await admin.getByLabel(/I have read what would move/).check();
  await admin.getByRole("button", { name: "Merge now" }).click();
  const done = admin.getByTestId("merge-done");
  await expect(done).toContainText(`${FROM.name} has been merged into ${INTO.name}.`);
  await expect(admin.getByTestId("merge-moved-Claim")).toContainText(/Claims\s*2/);
  await expect(admin.getByTestId("merge-moved-StaffCreditor")).toContainText(/now to both\s*2/);
  await expect(admin.getByRole("alert")).toHaveCount(0);
  await screenshot(admin, `creditor-merge-done-${width}`);

  // The claims are the new creditor's, with their references; the old key is refused.
  const claims = await withDb(
    async (c) =>
      (
        await c.query<{ creditorId: string; paymentReference: string }>(
          `SELECT "creditorId", "paymentReference" FROM "Claim" WHERE "externalId" LIKE $1`,
          [`MRG-${tag}-%`],
        )
      ).rows,
  );
  expect(claims.map((c) => c.creditorId)).toEqual([ids.into, ids.into]);
  expect(claims.map((c) => c.paymentReference)).toContain(reference);
  expect((await postClaim(request, key, claim(`MRG-${tag}-3`))).status()).toBe(401);

  // The old creditor is no longer offered; merging it again is refused.
  await admin.goto("/staff/admin/merge");
  await expect(admin.getByText("you belong to fewer than two")).toBeVisible();
  await admin.context().close();
});
