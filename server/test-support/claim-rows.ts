import { makeNorwegianFodselsnummer } from "../../app/domain/national-id.ts";

/**
 * `count` distinct valid Norwegian identity numbers (people born 1950–1999), starting at `from`,
 * for tests and benches that need many residents of their own. Deterministic: the same `from`
 * gives the same numbers, so pick a `from` no other file uses.
 */
export function norwegianIds(count: number, from = 0): string[] {
  const out: string[] = [];
  let n = 0;
  for (let day = 0; out.length < count; day++) {
    const d = new Date(Date.UTC(1950, 0, 1) + (day % 18250) * 86_400_000);
    const iso = d.toISOString().slice(0, 10);
    for (let ind = 0; ind < 500 && out.length < count; ind++) {
      const id = makeNorwegianFodselsnummer(iso, ind);
      if (!id) continue;
      if (n++ >= from) out.push(id);
    }
  }
  return out;
}

/** A claim body as the intake API takes it, for creditor NOK claim type "water". */
export function intakeBody(
  externalId: string,
  nationalId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    externalId,
    claimType: "water",
    resident: { nationalId, name: `Resident ${nationalId.slice(-5)}` },
    description: "Vann og avløp 2026",
    currency: "NOK",
    principal: 125_000,
    issuedOn: "2026-08-01",
    dueOn: "2026-09-01",
    ...overrides,
  };
}
