import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import { readPdf } from "../app/integrations/letters/pdf-test-support";
import { DEMO_PLAN_RULES } from "../prisma/demo-data";
import {
  cli,
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  loginAs,
  screenshot,
  staffSignIn,
} from "./support";

// Payment plans at phone size: a resident sets one up within the rules and pays the first
// instalment (JavaScript on and off); a request outside the rules waits for staff, held, and the
// decision reaches the resident; a missed instalment, run through `escalate` day by day, ends the
// plan and escalation resumes with a fresh deadline. Every decision reaches the resident as a
// letter, listed on the bill's page (on paper here: they have a postal address and nothing else).

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);
let counter = 0;

/** A synthetic fødselsnummer (never a real person), new for every claim's resident. */
function newResident() {
  for (let i = 100 + ((Date.now() / 1000) % 300) + counter * 7; ; i++) {
    counter += 1;
    const id = makeNorwegianFodselsnummer("1985-03-14", Math.floor(i) % 500, { synthetic: true });
    // With a postal address from the billing system: their letters go on paper.
    if (id)
      return {
        nationalId: id,
        name: `Plan Tester ${tag}-${counter}`,
        address: { lines: [`Testveien ${counter}`], postalCode: "2406", city: "Elverum" },
      };
  }
}

type View = { id: string; stage: string; notices: { kind: string }[]; holds: { kind: string }[] };

async function view(request: APIRequestContext, key: string, externalId: string): Promise<View> {
  const res = await request.get(`/api/v1/claims/${externalId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as View;
}

async function newClaim(
  request: APIRequestContext,
  key: string,
  resident: { nationalId: string; name: string },
  principal: number,
) {
  counter += 1;
  const externalId = `PLAN-${tag}-${counter}`;
  const { id } = await createClaimViaApi(request, key, {
    externalId,
    resident: { ...resident, email: `plan-${counter}@example.no` },
    principal,
    issuedOn: addDays(TODAY, -50),
    dueOn: addDays(TODAY, -20),
  });
  return { externalId, id };
}

async function phone(browser: Browser, javaScriptEnabled = true) {
  const context = await browser.newContext({
    javaScriptEnabled,
    locale: "en-GB",
    viewport: { width: 390, height: 844 },
  });
  return { context, page: await context.newPage() };
}

/** From the claim page: ask for a plan, see the schedule, confirm. */
async function askForPlan(p: Page, claimId: string, months: number) {
  await p.goto(`/claims/${claimId}`);
  await p.getByRole("link", { name: "Ask for a payment plan" }).click();
  await p.getByLabel("Over a number of months").check();
  await p.getByRole("textbox", { name: "Number of months" }).fill(String(months));
  await p.getByRole("button", { name: "See the schedule" }).click();
  await expect(p.getByTestId("schedule-row")).toHaveCount(months);
  // The schedule adds up to the total shown, to the øre.
  const amounts = await p
    .getByTestId("schedule-row")
    .locator("td[data-minor]")
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute("data-minor"))));
  const total = Number(await p.getByTestId("plan-total").getAttribute("data-minor"));
  expect(amounts.reduce((s, a) => s + a, 0)).toBe(total);
  await expectNoAxeViolations(p);
}

/** A new resident with a bill of 3,000 kr and an active three-month plan for it, on the plan's page. */
async function activePlan(request: APIRequestContext, browser: Browser) {
  const key = await createApiKey("elvdal");
  const resident = newResident();
  const claim = await newClaim(request, key, resident, 300_000);
  const { context, page: p } = await phone(browser);
  await loginAs(p, resident.nationalId);
  await askForPlan(p, claim.id, 3);
  await p.getByRole("button", { name: "Confirm the plan" }).click();
  await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "ACTIVE");
  return { key, claim, context, p, planUrl: p.url() };
}

async function reloadUntil(p: Page, check: () => Promise<boolean>) {
  for (let i = 0; i < 40 && !(await check()); i++) {
    await p.waitForTimeout(500);
    await p.reload();
  }
}

for (const javaScriptEnabled of [true, false]) {
  test(`a 6-month plan within the rules: schedule, first instalment paid, escalation held (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    request,
    browser,
  }) => {
    test.setTimeout(180_000);
    const key = await createApiKey("elvdal");
    const resident = newResident();
    const claim = await newClaim(request, key, resident, 600_000);
    const { context, page: p } = await phone(browser, javaScriptEnabled);
    await loginAs(p, resident.nationalId);

    await askForPlan(p, claim.id, 6);
    await expect(p.getByTestId("plan-verdict")).toContainText("within the rules");
    await p.getByRole("button", { name: "Confirm the plan" }).click();
    await expect(p).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
    await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "ACTIVE");
    await expect(p.getByTestId("plan-instalment")).toHaveCount(6);
    await expect(p.getByTestId("plan-progress")).toHaveText("0 of 6");
    await expect(
      p.getByRole("link", { name: "Add the due dates to your calendar" }),
    ).toHaveAttribute("href", /\.ics$/);
    const ics = await p.request.get(
      (await p
        .getByRole("link", { name: "Add the due dates to your calendar" })
        .getAttribute("href"))!,
    );
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect((await ics.text()).match(/BEGIN:VEVENT/g)).toHaveLength(6);
    await expectNoAxeViolations(p);
    const planUrl = p.url();

    // Pay the first instalment online.
    await p.getByRole("button", { name: /^Pay .* online$/ }).click();
    await expect(p).toHaveURL(/\/checkout\//);
    await p.getByRole("button", { name: "Pay", exact: true }).click();
    await expect(p).toHaveURL(/\/payments\//);
    await p.goto(planUrl);
    await reloadUntil(
      p,
      async () => (await p.getByTestId("plan-progress").textContent()) === "1 of 6",
    );
    await expect(p.getByTestId("plan-progress")).toHaveText("1 of 6");
    await expect(p.getByTestId("plan-instalment").first()).toHaveAttribute("data-settled", "true");

    // Without the plan the reminder was due already; with it, later sweeps leave the claim alone.
    for (const day of [TODAY, addDays(TODAY, 7), addDays(TODAY, 14)])
      await cli("escalate", "--as-of", day, "--creditor", "elvdal");
    const after = await view(request, key, claim.externalId);
    expect(after.stage).toBe("INVOICED");
    // No step of the ladder: only the letter saying the plan is in place, sent on paper.
    expect(after.notices.map((n) => n.kind)).toEqual(["PLAN_GRANTED"]);
    expect(after.holds.map((h) => h.kind)).toContain("ACTIVE_PLAN");
    await p.goto(`/claims/${claim.id}`);
    await expect(p.getByTestId("plan-link")).toHaveText("See your payment plan");
    // What happens next speaks of the plan, not of something to be "dealt with", and says it
    // once: no line of its own repeating the pause, no hint that asking for a plan pauses.
    const next = p.getByRole("region", { name: "What happens next, and when" });
    await expect(p.getByTestId("next-step")).toHaveText(
      /^Collection is paused while you pay by your payment plan: .* If the plan ends before everything is paid, you will first get a new deadline to pay\.$/,
    );
    await expect(next.getByRole("listitem")).toHaveCount(0);
    await expect(next).not.toContainText(/dealt with|you have a payment plan|pauses at once/);
    await screenshot(p, `plan-claim-held-phone-js-${javaScriptEnabled ? "on" : "off"}`);
    const letter = p.getByTestId("notice").filter({ hasText: "Payment plan granted" });
    await expect(letter.getByTestId("letter-status")).toContainText("Sent by post on");
    const pdf = await p.request.get(
      (await letter.getByTestId("letter-download").getAttribute("href"))!,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    // Worded in the resident's language (the creditor's written form until she chooses one);
    // her name and address read the same in any.
    const { text } = await readPdf(await pdf.body());
    expect(text).toContain(resident.name);
    expect(text).toContain(resident.address.lines[0]!);
    await context.close();
  });
}

test("a request outside the rules waits for staff, held; the decision reaches the resident", async ({
  request,
  browser,
}) => {
  test.setTimeout(180_000);
  const key = await createApiKey("elvdal");
  const resident = newResident();
  const claim = await newClaim(request, key, resident, 3_000_000);
  const { context, page: p } = await phone(browser);
  await loginAs(p, resident.nationalId);
  await askForPlan(p, claim.id, 30);
  await expect(p.getByTestId("plan-verdict")).toContainText("a member of staff decides");
  await expect(p.getByTestId("plan-verdict")).toContainText("More months than can be granted");
  await p.getByRole("button", { name: "Send the request" }).click();
  await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "REQUESTED");
  const planUrl = p.url();

  // Held while waiting: the sweep does nothing.
  await cli("escalate", "--as-of", TODAY, "--creditor", "elvdal");
  const held = await view(request, key, claim.externalId);
  expect(held.stage).toBe("INVOICED");
  expect(held.holds.map((h) => h.kind)).toEqual(["PLAN_REQUEST"]);

  // A supervisor approves it with changes.
  const staff = await phone(browser);
  const s = staff.page;
  await staffSignIn(s, "supervisor@elvdal.example");
  await expect(s.getByTestId("queue-plans")).toContainText("Payment plan requests");
  await s.getByRole("link", { name: "Payment plans" }).click();
  await s.getByTestId("plan-request").getByRole("link", { name: resident.name }).click();
  await s.getByLabel("Reason (the resident sees it)").fill("We can offer 24 months instead");
  await s.getByLabel("Months (for changes)").fill("24");
  await s.getByRole("button", { name: "Approve with changes" }).click();
  await expect(s.getByRole("status")).toContainText("offered to the resident");
  await staff.context.close();

  // The resident sees the offer and the reason, and accepts it.
  await p.goto(planUrl);
  await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "OFFERED");
  await expect(p.getByTestId("plan-decision")).toContainText("We can offer 24 months instead");
  await expect(p.getByTestId("plan-instalment")).toHaveCount(24);
  await p.getByRole("button", { name: "Accept the plan" }).click();
  await expect(p.getByTestId("plan-status")).toHaveAttribute("data-status", "ACTIVE");
  const active = await view(request, key, claim.externalId);
  expect(active.stage).toBe("INVOICED");
  // The offer reached her as a letter too (not sent yet: letters leave with the day's run).
  expect(active.notices.map((n) => n.kind)).toEqual(["PLAN_OFFERED"]);
  await p.goto(`/claims/${claim.id}`);
  await expect(
    p
      .getByTestId("notice")
      .filter({ hasText: "Offer of a payment plan" })
      .getByTestId("letter-status"),
  ).toContainText("Being sent");
  await context.close();
});

test("a missed instalment, day by day: reminder, grace, plan ended, escalation resumed with a fresh deadline", async ({
  request,
  browser,
}) => {
  // About 45 days of `escalate`, each sending its letters (a print batch on the days with one).
  test.setTimeout(540_000);
  const { key, claim, context, p, planUrl } = await activePlan(request, browser);
  const reference = (await p.getByTestId("plan-reference").textContent())!.replace(/\s/g, "");
  const firstDue = await p
    .getByTestId("plan-instalment")
    .first()
    .locator("td")
    .first()
    .textContent();
  expect(firstDue).toBeTruthy();

  let reminded = false;
  let ended: string | null = null;
  for (let day = TODAY; day <= addDays(TODAY, 45) && !ended; day = addDays(day, 1)) {
    await cli("escalate", "--as-of", day, "--creditor", "elvdal");
    const v = await view(request, key, claim.externalId);
    await p.goto(planUrl);
    const status = await p.getByTestId("plan-status").getAttribute("data-status");
    if (!reminded && (await p.getByText(/Reminder sent: pay by/).count()) > 0) {
      reminded = true;
      expect(status).toBe("ACTIVE");
      // In the grace period the claim is still held: no step at all, only the plan's letters.
      expect(v.stage).toBe("INVOICED");
      expect(v.notices.map((n) => n.kind)).toEqual(["PLAN_GRANTED", "PLAN_INSTALMENT_MISSED"]);
    }
    if (status === "ENDED") ended = day;
    else expect(v.notices.filter((n) => !n.kind.startsWith("PLAN_"))).toEqual([]);
  }
  expect(reminded).toBe(true);
  expect(ended).not.toBeNull();

  // The reminder reached her as a letter: what is still owed, by when, with the plan's reference.
  await p.goto(`/claims/${claim.id}`);
  const reminder = p
    .getByTestId("notice")
    .filter({ hasText: "Payment plan: an instalment is unpaid" });
  await expect(reminder.getByTestId("letter-status")).toContainText("Sent by post on");
  const pdf = await p.request.get(
    (await reminder.getByTestId("letter-download").getAttribute("href"))!,
  );
  const { text } = await readPdf(await pdf.body());
  expect(text.replace(/\s/g, "")).toContain(reference);

  // The resident sees the end and why, by letter too; the claim gets its fresh deadline once that
  // letter has left: the next day.
  await p.goto(planUrl);
  await expect(p.getByTestId("plan-end-reason")).toContainText("A payment was not made");
  const history = await p
    .getByTestId("plan-event")
    .evaluateAll((items) => items.map((i) => i.getAttribute("data-type")));
  expect(history).toEqual([
    "plan.requested",
    "plan.granted",
    "plan.instalment_missed",
    "plan.ended",
  ]);
  const letters = ["PLAN_GRANTED", "PLAN_INSTALMENT_MISSED", "PLAN_ENDED"];
  expect((await view(request, key, claim.externalId)).notices.map((n) => n.kind)).toEqual(letters);
  await cli("escalate", "--as-of", addDays(ended!, 1), "--creditor", "elvdal");
  const resumed = await view(request, key, claim.externalId);
  expect(resumed.notices.map((n) => n.kind)).toEqual([...letters, "FRESH_DEADLINE"]);
  await p.goto(`/claims/${claim.id}`);
  await expect(p.getByTestId("notice").first()).toContainText("New deadline");
  await expect(p.getByTestId("notice").nth(1)).toContainText("Payment plan ended");

  // Escalation goes on from where it stood once the fresh deadline has run out.
  for (let day = addDays(ended!, 2); day <= addDays(ended!, 21); day = addDays(day, 1))
    await cli("escalate", "--as-of", day, "--creditor", "elvdal");
  const later = await view(request, key, claim.externalId);
  expect(later.notices.map((n) => n.kind)).toEqual([...letters, "FRESH_DEADLINE", "REMINDER"]);
  await context.close();
});

// The request form says the creditor's limits next to the fields they limit before anything is
// typed, and each problem next to its field (which points to it), with a summary at the top
// linking there: the same without JavaScript.
for (const javaScriptEnabled of [true, false]) {
  test(`the request form: limits up front, each error beside its field (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    request,
    browser,
  }) => {
    const key = await createApiKey("elvdal");
    const resident = newResident();
    const claim = await newClaim(request, key, resident, 600_000);
    const { context, page: p } = await phone(browser, javaScriptEnabled);
    await loginAs(p, resident.nationalId);
    await p.goto(`/claims/${claim.id}`);
    await p.getByRole("link", { name: "Ask for a payment plan" }).click();

    // The demo creditor's rules, as the page's language writes them, before any preview.
    const rules = DEMO_PLAN_RULES.NO;
    const min = new Intl.NumberFormat("en-GB", { style: "currency", currency: "NOK" }).format(
      rules.minInstalment / 100,
    );
    const months = p.getByRole("textbox", { name: "Number of months" });
    const monthly = p.getByRole("textbox", { name: "Amount each month" });
    const defer = p.getByRole("textbox", { name: "Months to wait" });
    await expect(p.getByTestId("schedule")).toHaveCount(0);
    await expect(months).toHaveAccessibleDescription(
      `From 1 to 120 months. Granted at once: up to ${rules.maxMonths} months, with each payment at least ${min}.`,
    );
    await expect(monthly).toHaveAccessibleDescription(
      `Granted at once: at least ${min} a month, paid within ${rules.maxMonths} months. Write it as a number, for example 250 or 250.50.`,
    );
    await expect(defer).toHaveAccessibleDescription(
      `From 1 to 12 months. Granted at once: up to ${rules.maxDeferralMonths} months.`,
    );
    await expect(p.getByTestId("form-errors")).toHaveCount(0);
    await expectNoAxeViolations(p);

    // Every bill unticked: the form again (not a page saying "not found"), refused as sent, the
    // problem said at the bills, which point to it; nothing previewed, nothing written.
    const bills = p.getByRole("group", { name: "Bills in the plan" });
    await bills.getByRole("checkbox").uncheck();
    const refused = p.waitForResponse((r) => new URL(r.url()).pathname === "/plans/new");
    await p.getByRole("button", { name: "See the schedule" }).click();
    expect((await refused).status()).toBe(400);
    const noBill = "Choose at least one bill.";
    await expect(p.getByTestId("form-errors").getByRole("link")).toHaveText([noBill]);
    await expect(p.getByTestId("form-errors").getByRole("link")).toHaveAttribute("href", "#claims");
    await expect(p.locator("#claims-error")).toHaveText(noBill);
    await expect(bills).toHaveAccessibleDescription(noBill);
    await expect(bills.getByRole("checkbox")).toHaveAttribute("aria-invalid", "true");
    await expect(bills.getByRole("checkbox")).not.toBeChecked();
    await expect(p.locator("#claims")).toHaveCount(1);
    await expect(p.getByTestId("schedule")).toHaveCount(0);
    await expect(p.getByRole("heading", { level: 1 })).toContainText("Elvdal");
    await expectNoAxeViolations(p);
    expect((await view(request, key, claim.externalId)).holds).toEqual([]);
    await bills.getByRole("checkbox").check();

    const fields = { months, monthly, defer };
    const cases = [
      [
        "months",
        "Over a number of months",
        "0",
        "Write the number of months as a whole number from 1 to 120.",
      ],
      [
        "months",
        "Over a number of months",
        "6.5",
        "Write the number of months as a whole number from 1 to 120.",
      ],
      [
        "monthly",
        "An amount each month",
        "a lot",
        "Write the amount each month as a number, for example 250 or 250.50.",
      ],
      [
        "monthly",
        "An amount each month",
        "40",
        "At this amount the plan would last more than 120 months. Write a larger amount.",
      ],
      [
        "defer",
        "Everything later, in one payment (deferral)",
        "13",
        "Write the months to wait as a whole number from 1 to 12.",
      ],
    ] as const;
    for (const [name, way, typed, message] of cases) {
      await p.getByLabel(way).check();
      await fields[name].fill(typed);
      await p.getByRole("button", { name: "See the schedule" }).click();
      // At the top, a link to the field; at the field, the message, above it and in its description.
      const summary = p.getByTestId("form-errors");
      await expect(summary.getByRole("link")).toHaveText([message]);
      await expect(summary.getByRole("link")).toHaveAttribute("href", `#${name}`);
      await expect(p.locator(`#${name}-error + input#${name}`)).toHaveCount(1);
      await expect(p.locator(`#${name}-error`)).toHaveText(message);
      await expect(fields[name]).toHaveAttribute("aria-invalid", "true");
      await expect(fields[name]).toHaveAccessibleDescription(new RegExp(`^${escape(message)} `));
      // The other fields are not marked, and keep their limits as their description.
      for (const other of Object.keys(fields) as (keyof typeof fields)[])
        if (other !== name) await expect(fields[other]).not.toHaveAttribute("aria-invalid");
      await expect(fields[name]).toHaveValue(typed);
      await expect(p.getByTestId("schedule")).toHaveCount(0);
      await expectNoAxeViolations(p);
    }

    // An amount a month as English writes it, digit groups and all, is read as written.
    await p.getByLabel("An amount each month").check();
    await monthly.fill("1,200.00");
    await p.getByRole("button", { name: "See the schedule" }).click();
    await expect(p.getByTestId("form-errors")).toHaveCount(0);
    await expect(monthly).not.toHaveAttribute("aria-invalid");
    await expect(p.getByTestId("schedule-row").first().locator("td[data-minor]")).toHaveAttribute(
      "data-minor",
      "120000",
    );

    // The language switched between the preview and the confirm: the amount is still the one
    // typed, read as English writes it and shown again as Bokmål does; the plan confirmed is it.
    await p.getByRole("button", { name: "Norsk (bokmål)" }).click();
    await expect(p.locator("html")).toHaveAttribute("lang", "nb");
    await expect(p.getByTestId("form-errors")).toHaveCount(0);
    await expect(p.locator("#monthly")).toHaveValue("1200,00");
    await expect(p.getByTestId("schedule-row").first().locator("td[data-minor]")).toHaveAttribute(
      "data-minor",
      "120000",
    );
    await p.getByTestId("plan-confirm").click();
    await expect(p).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
    await expect(p.getByTestId("plan-instalment").first().locator("td").nth(1)).toHaveText(
      /^1\s200,00\skr$/,
    );
    await p.getByRole("button", { name: "English" }).click();
    await context.close();
  });
}

// The plan page's buttons send no typed figure; what the server cannot take from them is said
// beside the button it came from (its description), with a summary at the top linking there.
test("the plan page: a refused button says why, beside it", async ({ request, browser }) => {
  const { context, p, planUrl } = await activePlan(request, browser);
  const pay = p.getByRole("button", { name: /^Pay .* online$/ });

  for (const [input, value, message] of [
    [
      "requestId",
      "not-an-id",
      "The payment was not started: the page was out of date. Press the button again to pay.",
    ],
    [
      "intent",
      "nonsense",
      "We could not tell what you wanted to do. Press one of the buttons again.",
    ],
  ] as const) {
    await p.goto(planUrl);
    // A page out of date, or a request made by hand: the button's form carries something else.
    await p
      .locator(`form:has(#pay) input[name=${input}]`)
      .evaluate((el, v) => ((el as HTMLInputElement).value = v), value);
    const refused = p.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === new URL(planUrl).pathname && r.request().method() === "POST",
    );
    await pay.click();
    expect((await refused).status()).toBe(400);
    const summary = p.getByTestId("form-errors");
    await expect(summary.getByRole("link")).toHaveText([message]);
    await expect(summary.getByRole("link")).toHaveAttribute("href", "#pay");
    await expect(p.locator("#pay-error")).toHaveText(message);
    await expect(pay).toHaveAccessibleDescription(message);
    await expect(p.getByText("Please check what you typed.")).toHaveCount(0);
    await expectNoAxeViolations(p);
  }
  // Nothing was started: the button, pressed as the page wrote it, still pays.
  await p.goto(planUrl);
  await pay.click();
  await expect(p).toHaveURL(/\/checkout\//);
  await context.close();
});

/** `text` as a pattern, any space in it matching any space (Intl puts no-break ones in amounts). */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s");
