import { expect, test, type Page } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  runTag,
  screenshot,
  staffPage,
} from "./support";

// A case worker's search: an agent finds a resident by name (typed without the accents), by
// identity number and by payment reference from the box on every staff page, opens the resident
// view with all of the resident's claims, and adds a note; a case worker of another creditor
// finds none of it. With JavaScript off, as the forms must work without it; axe with it on.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = runTag();
const NAME = `Åse Ødegård ${tag}`;

function ownResident(): string {
  for (let i = 320; ; i++) {
    const id = makeNorwegianFodselsnummer("1972-08-19", i, { synthetic: true });
    if (id) return id;
  }
}

async function search(page: Page, term: string) {
  await page.getByRole("searchbox", { name: "Search residents and claims" }).first().fill(term);
  await page.getByRole("button", { name: "Search", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();
}

test("an agent finds a resident by name, identity number and reference, and notes the case", async ({
  browser,
  request,
}) => {
  const nationalId = ownResident();
  const key = await createApiKey("elvdal");
  const references: string[] = [];
  for (const n of [1, 2]) {
    const { paymentReference } = await createClaimViaApi(request, key, {
      externalId: `SRCH-${tag}-${n}`,
      resident: { nationalId, name: NAME },
      description: `Vann og avløp ${n}`,
      principal: 50_000 * n,
      issuedOn: addDays(TODAY, -40),
      dueOn: addDays(TODAY, -10),
    });
    references.push(paymentReference);
  }

  const agent = await staffPage(browser, "agent@elvdal.example", { javaScriptEnabled: false });
  // By name, typed without the accents and in part.
  await search(agent, `ase odeg ${tag}`);
  await expect(agent.getByRole("status").first()).toHaveText("Found by name");
  const row = agent.getByTestId("search-resident").filter({ hasText: NAME });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Elvdal kommune");

  // By identity number: the same resident, and only them.
  await search(agent, nationalId);
  await expect(agent.getByRole("status").first()).toHaveText("Found by identity number");
  await expect(agent.getByTestId("search-resident")).toHaveCount(1);
  await expect(agent.getByTestId("search-resident")).toContainText(NAME);

  // By payment reference (KID): the claim.
  await search(agent, references[1]!);
  await expect(agent.getByRole("status").first()).toHaveText("Found by payment reference");
  const claim = agent.getByTestId("search-claim");
  await expect(claim).toHaveCount(1);
  await expect(claim).toContainText(`SRCH-${tag}-2`);
  await screenshot(agent, "staff-search");

  // The resident view: both claims, with what they owe, and no raw codes.
  await claim.getByRole("link", { name: NAME }).click();
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText(`Resident: ${NAME}`);
  const claims = agent.getByTestId("resident-claim");
  await expect(claims).toHaveCount(2);
  await expect(agent.getByTestId("resident-claims")).toContainText(`SRCH-${tag}-1`);
  await expect(agent.getByTestId("resident-claims")).toContainText("Elvdal kommune");
  await expect(agent.getByTestId("resident-claims")).not.toContainText(/[A-Z]+_[A-Z]+/);

  // A note: an empty one is refused and nothing is written; then one that is saved.
  const notes = agent.getByRole("region", { name: "Case notes" });
  await expect(notes).toContainText("No notes yet.");
  await notes.getByLabel("About claim (optional)").selectOption({ label: `SRCH-${tag}-2` });
  await notes.getByLabel("Note", { exact: true }).fill("   ");
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(agent.getByTestId("note-result")).toHaveText("Write the note first.");
  await expect(agent.getByTestId("case-note")).toHaveCount(0);
  // What was chosen is kept.
  await expect(notes.getByLabel("About claim (optional)")).toHaveValue(/.+/);
  await agent
    .getByRole("region", { name: "Case notes" })
    .getByLabel("Note", { exact: true })
    .fill("Called the resident: she will pay the larger bill on Friday.");
  await agent
    .getByRole("region", { name: "Case notes" })
    .getByRole("button", { name: "Add note" })
    .click();
  await expect(agent.getByTestId("note-result")).toHaveText("The note was added.");
  const note = agent.getByTestId("case-note");
  await expect(note).toHaveCount(1);
  await expect(note).toContainText("Called the resident: she will pay the larger bill on Friday.");
  await expect(note).toContainText("Anne Agent");
  await expect(note).toContainText("Elvdal kommune");
  await expect(note).toContainText(`on invoice SRCH-${tag}-2`);
  await expect(note).not.toContainText(/\d{4}-\d{2}-\d{2}T/);
  await screenshot(agent, "staff-resident-view");
  const residentUrl = agent.url().replace(/[?#].*$/, "");

  // The same page passes axe with JavaScript on.
  const axe = await staffPage(browser, "agent@elvdal.example");
  await axe.goto(residentUrl);
  await expect(axe.getByTestId("case-note")).toHaveCount(1);
  await expectNoAxeViolations(axe);

  // Another creditor's case worker finds nothing of her, and cannot open her page.
  const other = await staffPage(browser, "agent@vastkust.example", {
    javaScriptEnabled: false,
    creditor: "Region Västkust",
  });
  for (const term of [`ase odeg ${tag}`, nationalId, references[0]!]) {
    await search(other, term);
    await expect(other.getByTestId("search-results")).toContainText(
      "Nothing found among your creditors’ residents and claims.",
    );
    await expect(other.getByTestId("search-resident")).toHaveCount(0);
    await expect(other.getByTestId("search-claim")).toHaveCount(0);
  }
  const res = await other.goto(residentUrl);
  expect(res?.status()).toBe(404);
});
