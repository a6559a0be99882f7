import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { cli, createApiKey, createClaimViaApi, loginAs } from "./support";

// Claims handed over through the intake API with due dates in the past, then the sweep run as
// an operator runs it (`kravportal escalate --as-of`) day by day up to today. At every step the
// creditor's API and the resident's page must tell the same story.

const INGRID = { nationalId: "27829010068", name: "Ingrid Johansen" };
const tag = Date.now().toString(36);
const TODAY = todayIn("Europe/Oslo", new Date());
const DUE = addDays(TODAY, -80);

const CLAIMS = {
  main: {
    externalId: `E2E-${tag}-MAIN`,
    principal: 150_000,
    description: `Vann og avløp ${tag} A`,
  },
  small: {
    externalId: `E2E-${tag}-SMALL`,
    principal: 15_000,
    description: `Vann og avløp ${tag} B`,
  },
  held: { externalId: `E2E-${tag}-HELD`, principal: 90_000, description: `Vann og avløp ${tag} C` },
};
const HOLD_FROM = addDays(DUE, 5);
const HOLD_RELEASED = addDays(DUE, 35);

type View = {
  id: string;
  stage: string;
  balance: { total: number };
  charges: { kind: string }[];
  notices: {
    kind: string;
    deadline: string | null;
    channel: string | null;
    status: string;
    dispatchedOn: string | null;
  }[];
  holds: unknown[];
};

async function view(request: APIRequestContext, key: string, externalId: string): Promise<View> {
  const res = await request.get(`/api/v1/claims/${externalId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as View;
}

/** The resident's page for a claim agrees with the API: stage, every line, total, notices. */
async function expectPageAgrees(page: Page, api: View) {
  await page.goto(`/claims/${api.id}`);
  await expect(page.getByTestId("detail-total")).toHaveCount(1);
  const total = await page.getByTestId("total-due").getAttribute("data-minor");
  expect(Number(total)).toBe(api.balance.total);
  const stored = api.charges.length;
  const lines = await page.getByTestId("charge-line").count();
  // The page adds one line for interest so far when the claim charges interest.
  expect([stored, stored + 1]).toContain(lines);
  await expect(page.getByTestId("notice")).toHaveCount(api.notices.length);
}

test("escalation day by day: API and resident page agree; floor and hold are respected", async ({
  page,
  request,
}) => {
  test.setTimeout(420_000);
  const key = await createApiKey("elvdal");
  for (const c of Object.values(CLAIMS)) {
    await createClaimViaApi(request, key, {
      externalId: c.externalId,
      resident: { nationalId: INGRID.nationalId, name: INGRID.name, email: "ingrid@example.no" },
      description: c.description,
      principal: c.principal,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    });
  }
  await loginAs(page, INGRID.nationalId);

  const seen = new Map<string, string>();
  const letterLines: string[] = [];
  for (let day = addDays(DUE, 1); day <= TODAY; day = addDays(day, 1)) {
    if (day === HOLD_FROM) {
      await cli(
        "hold",
        "place",
        "--creditor",
        "elvdal",
        "--claim",
        CLAIMS.held.externalId,
        "--kind",
        "DISPUTE",
        "--reason",
        "Resident says the meter was read wrong",
        "--from",
        day,
      );
    }
    if (day === HOLD_RELEASED) {
      await cli(
        "hold",
        "release",
        "--creditor",
        "elvdal",
        "--claim",
        CLAIMS.held.externalId,
        "--on",
        day,
        "--reason",
        "Meter reading confirmed",
      );
    }
    const summary = await cli("escalate", "--as-of", day, "--creditor", "elvdal");
    expect(summary).toContain(`Escalation sweep as of ${day}`);
    letterLines.push(...summary.split("\n").filter((l) => l.startsWith("Letters:")));

    for (const c of Object.values(CLAIMS)) {
      const api = await view(request, key, c.externalId);
      const state = `${api.stage}/${api.notices.length}/${api.holds.length}`;
      if (seen.get(c.externalId) !== state) {
        seen.set(c.externalId, state);
        await expectPageAgrees(page, api);
      }
      if (c === CLAIMS.held && day >= HOLD_FROM && day < HOLD_RELEASED) {
        expect(api.stage).toBe("INVOICED"); // held: nothing moves
        expect(api.notices).toEqual([]);
      }
      if (c === CLAIMS.small) expect(api.stage).not.toBe("READY_FOR_ENFORCEMENT");
    }
  }

  const main = await view(request, key, CLAIMS.main.externalId);
  expect(main.stage).toBe("READY_FOR_ENFORCEMENT");
  expect(main.notices.map((n) => n.kind)).toEqual([
    "REMINDER",
    "COLLECTION_NOTICE",
    "PAYMENT_DEMAND",
  ]);
  await page.goto(`/claims/${main.id}`);
  await expect(page.getByTestId("next-step")).toContainText("review this bill");

  const small = await view(request, key, CLAIMS.small.externalId);
  expect(small.stage).toBe("PAYMENT_DEMAND");
  await page.goto(`/claims/${small.id}`);
  await expect(page.getByTestId("next-step")).toContainText("below the limit");

  // After the hold: a fresh deadline first, and the reminder only after it has run out.
  const held = await view(request, key, CLAIMS.held.externalId);
  expect(held.notices[0]?.kind).toBe("FRESH_DEADLINE");
  expect(held.notices[1]?.kind).toBe("REMINDER");
  await page.goto(`/claims/${held.id}`);
  // Letters are listed newest first: the first one it got is the last.
  await expect(page.getByTestId("notice").last()).toContainText("New deadline");

  // The letters left on the day they were written: Ingrid has no digital mailbox known to the
  // command line and did not ask for email, so on paper, in that day's print batch.
  expect(main.notices.map((n) => n.channel)).toEqual(["PRINT", "PRINT", "PRINT"]);
  for (const n of main.notices) {
    expect(n.status).toBe("DISPATCHED");
    // Its deadline counts from the day it left, plus postal days: never before it.
    expect(n.dispatchedOn! < n.deadline!).toBe(true);
  }
  expect(letterLines.some((l) => /[1-9]\d* on paper in 1 print batch/.test(l))).toBe(true);
});
