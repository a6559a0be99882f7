import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id.ts";
import { db } from "../app/infra/db.server.ts";
import { receiveClaim } from "../app/services/claims/intake.server.ts";
import { run } from "./cli.ts";
import { createTestCreditor, seedDemo } from "./test-support/fixtures.ts";

const tag = `${process.pid}${Date.now().toString(36)}`.slice(-10);
const fromSlug = `cfrom-${tag}`;
const intoSlug = `cinto-${tag}`;

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    text: () => lines.join("\n"),
    errorText: () => errors.join("\n"),
    out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) },
  };
}

let claimId: string;

beforeAll(async () => {
  await seedDemo();
  const from = await createTestCreditor(fromSlug);
  await createTestCreditor(intoSlug);
  let nationalId: string | null = null;
  for (let k = 311; !nationalId; k++)
    nationalId = makeNorwegianFodselsnummer("1966-05-17", k, { synthetic: true });
  const r = await receiveClaim(
    from.caller,
    {
      externalId: `CLI-${tag}`,
      claimType: "water",
      resident: { nationalId, name: "Odd Overført" },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 90_000,
      issuedOn: "2026-09-01",
      dueOn: "2027-12-31",
    },
    new Date("2026-09-02T10:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  claimId = r.claim.id;
});
afterAll(async () => (await import("../app/infra/db.server.ts")).disconnectDb());

const creditorOf = async () =>
  (await db().claim.findUniqueOrThrow({ where: { id: claimId } })).creditorId;

describe("kravportal creditor merge", () => {
  it("needs both slugs, and refuses what cannot be merged with a clear message", async () => {
    const missing = capture();
    expect(await run(["creditor", "merge", "--from", fromSlug], missing.out)).toBe(2);
    expect(missing.errorText()).toContain("--into SLUG");
    const same = capture();
    expect(await run(["creditor", "merge", "--from", fromSlug, "--into", fromSlug], same.out)).toBe(
      1,
    );
    expect(same.errorText()).toContain("cannot be merged into itself");
    const unknown = capture();
    expect(
      await run(["creditor", "merge", "--from", fromSlug, "--into", `nowhere-${tag}`], unknown.out),
    ).toBe(1);
    expect(unknown.errorText()).toContain(`No creditor with that slug: "nowhere-${tag}"`);
    expect(unknown.errorText()).toContain("Nothing was changed.");
  });

  it("--dry-run prints the counts and changes nothing; the merge then moves them", async () => {
    const before = await creditorOf();
    const dry = capture();
    expect(
      await run(
        ["creditor", "merge", "--from", fromSlug, "--into", intoSlug, "--dry-run"],
        dry.out,
      ),
    ).toBe(0);
    expect(dry.text()).toContain(`Dry run: merging "${fromSlug}"`);
    expect(dry.text()).toMatch(/^ {2}Claim +1$/m);
    expect(dry.text()).toContain(
      `claim type "water" is in both: the moved one is renamed "water-${fromSlug}"`,
    );
    expect(dry.text()).toContain("Nothing was changed.");
    expect(await creditorOf()).toBe(before);

    const real = capture();
    expect(await run(["creditor", "merge", "--from", fromSlug, "--into", intoSlug], real.out)).toBe(
      0,
    );
    expect(real.text()).toContain(`Merged "${fromSlug}"`);
    expect(real.text()).toMatch(/^ {2}Claim +1$/m);
    const into = await db().creditor.findUniqueOrThrow({ where: { slug: intoSlug } });
    expect(await creditorOf()).toBe(into.id);
    const event = await db().event.findFirstOrThrow({
      where: { type: "creditor.merged", creditorId: into.id },
    });
    expect(event.actor).toBe("cli");

    const again = capture();
    expect(
      await run(["creditor", "merge", "--from", fromSlug, "--into", intoSlug], again.out),
    ).toBe(1);
    expect(again.errorText()).toContain(`Already merged: ${fromSlug}. Nothing was changed.`);
    // A merged creditor takes no new API keys.
    const key = capture();
    expect(await run(["api-key", "create", "--creditor", fromSlug], key.out)).toBe(1);
    // ... and no new staff.
    const staff = capture();
    expect(
      await run(
        [
          "staff",
          "create",
          "--email",
          `m-${tag}@example.test`,
          "--creditor",
          fromSlug,
          "--role",
          "agent",
        ],
        staff.out,
      ),
    ).toBe(1);
    expect(staff.errorText()).toContain(`No creditor with slug "${fromSlug}"`);
  });
});
