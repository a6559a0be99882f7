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

// A resident no earlier run flagged: the e2e database outlives a run.
function freshResident(): string {
  for (;;) {
    const born = addDays("1945-01-01", Math.floor(Math.random() * 18_000));
    const id = makeNorwegianFodselsnummer(born, Math.floor(Math.random() * 500), {
      synthetic: true,
    });
    if (id) return id;
  }
}

test("an agent flags a resident for debt respite from the resident view, and the case shows it", async ({
  browser,
  request,
}) => {
  const name = `Frida Flagg ${tag}`;
  const key = await createApiKey("elvdal");
  await createClaimViaApi(request, key, {
    externalId: `FLAG-${tag}`,
    resident: { nationalId: freshResident(), name },
    description: "Barnehage",
    principal: 80_000,
    issuedOn: addDays(TODAY, -40),
    dueOn: addDays(TODAY, -10),
  });
  const agent = await staffPage(browser, "agent@elvdal.example", { javaScriptEnabled: false });
  await search(agent, `frida flagg ${tag}`);
  await agent.getByTestId("search-resident").getByRole("link", { name }).click();
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText(`Resident: ${name}`);
  const flags = () => agent.getByRole("region", { name: "Vulnerability flags" });
  await expect(flags()).toContainText("No flags.");

  // A note of four letters and spaces (the browser lets it through; the server counts it
  // trimmed): refused beside the note, what was written and the kind kept, nothing raised.
  await flags().getByLabel("Kind of flag").selectOption({ label: "Debt respite" });
  const note = flags().getByLabel("What you know (kept with the flag)");
  await note.fill("Debt    ");
  await flags().getByRole("button", { name: "Raise flag" }).click();
  await expect(note).toHaveAttribute("aria-invalid", "true");
  await expect(flags().getByTestId("field-error")).toHaveText(
    "Write a reason of at least five characters.",
  );
  await expect(flags().getByLabel("Kind of flag")).toHaveValue("DEBT_RESPITE");
  await expect(note).toHaveValue("Debt    ");
  await expect(flags()).toContainText("No flags.");

  await note.fill("Gjeldsordning opened by the enforcement office; letter seen today.");
  await flags().getByRole("button", { name: "Raise flag" }).click();
  await expect(agent.getByTestId("flag-result")).toHaveText(
    "Flag raised. None of this resident's claims goes to enforcement until someone resolves it.",
  );
  const listed = flags().getByTestId("resident-flags").getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Debt respite: raised");
  await expect(listed).toContainText("open");
  await expect(listed).toContainText("Gjeldsordning opened by the enforcement office");
  await expect(listed).not.toContainText(/\d{4}-\d{2}-\d{2}|DEBT_RESPITE/);
  await screenshot(agent, "staff-resident-flag");

  // The same kind again: nothing new.
  await flags().getByLabel("Kind of flag").selectOption({ label: "Debt respite" });
  await flags().getByLabel("What you know (kept with the flag)").fill("Told again by phone.");
  await flags().getByRole("button", { name: "Raise flag" }).click();
  await expect(agent.getByTestId("flag-result")).toHaveText(
    "A flag of this kind is already open for this resident. Nothing new was raised.",
  );
  await expect(flags().getByTestId("resident-flags").getByRole("listitem")).toHaveCount(1);

  // Crafted posts: a kind there is no such flag for, and another creditor's case worker, are
  // refused (400, 404) and raise nothing.
  const residentUrl = agent.url().replace(/[?#].*$/, "");
  // From the portal's own origin, as the browser's form would be (another is refused first).
  const headers = { Origin: new URL(residentUrl).origin };
  const bad = await agent.request.post(residentUrl, {
    headers,
    form: { intent: "flag", kind: "GAMBLING", reason: "A good long reason" },
  });
  expect(bad.status()).toBe(400);
  const other = await staffPage(browser, "agent@vastkust.example", {
    javaScriptEnabled: false,
    creditor: "Region Västkust",
  });
  const foreign = await other.request.post(residentUrl, {
    headers,
    form: { intent: "flag", kind: "WELFARE_CONCERN", reason: "A good long reason" },
  });
  expect(foreign.status()).toBe(404);
  await agent.reload();
  await expect(flags().getByTestId("resident-flags").getByRole("listitem")).toHaveCount(1);

  // On the case, where it is resolved.
  await agent.getByRole("link", { name: `FLAG-${tag}` }).click();
  const caseFlags = agent.getByRole("region", { name: "Vulnerability flags" });
  await expect(caseFlags).toContainText(
    "Debt respite: Gjeldsordning opened by the enforcement office",
  );
  await expect(caseFlags.getByRole("button", { name: "Resolve flag" })).toBeVisible();
});
