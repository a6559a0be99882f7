// `kravportal generate` on a database of its own (the shared test database holds the demo, whose
// claims a sweep over every creditor would move): counts, every stage, logins, statements, and a
// sweep over what was generated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateReference, type ReferenceScheme } from "../app/domain/payment-reference.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";

const AS_OF = "2026-10-14";
const NOW = new Date(`${AS_OF}T10:00:00Z`);
let database: ThrowawayDatabase;
const output: string[] = [];

beforeAll(async () => {
  database = await createThrowawayDatabase({
    serverUrl: process.env.DATABASE_URL,
    name: "generate",
    port: 0,
  });
  await migrateDeploy({ databaseUrl: database.url, cwd: process.cwd() });
  // Before anything opens the pool: this file's processes use the new database only.
  process.env.DATABASE_URL = database.url;
  const { run } = await import("./cli.ts");
  const errors: string[] = [];
  const code = await run(["generate", "--residents", "200", "--claims", "1000", "--as-of", AS_OF], {
    log: (l) => output.push(l),
    error: (l) => errors.push(l),
  });
  expect(errors).toEqual([]);
  expect(code).toBe(0);
}, 180_000);

afterAll(async () => {
  await (await import("../app/infra/db.server.ts")).disconnectDb();
  await database?.drop();
});

const db = async () => (await import("../app/infra/db.server.ts")).db();

describe("kravportal generate", () => {
  it("prints progress with rows per second and logins", () => {
    const text = output.join("\n");
    expect(text).toMatch(/residents: 200 rows in .* rows\/s/);
    expect(text).toMatch(/Done: [\d,]+ rows in [\d.]+ s \([\d,]+ rows\/s\)/);
    expect(text).toMatch(/Log in as/);
  });

  it("writes the residents and claims asked for, in every stage and status", async () => {
    expect(await (await db()).resident.count()).toBe(200);
    expect(await (await db()).claim.count()).toBe(1000);
    const stages = await (await db()).claim.groupBy({ by: ["stage"], _count: true });
    expect(stages.map((s) => s.stage).sort()).toEqual(
      [
        "COLLECTION_NOTICE",
        "FILED",
        "INVOICED",
        "PAYMENT_DEMAND",
        "READY_FOR_ENFORCEMENT",
        "REMINDER",
      ].sort(),
    );
    const statuses = await (await db()).claim.groupBy({ by: ["status"], _count: true });
    expect(statuses.map((s) => s.status).sort()).toEqual(["OPEN", "PAID"]);
    // Part payments (open claims with a payment), active holds, fees, notices, steps.
    expect(
      await (await db()).payment.count({ where: { claim: { status: "OPEN" } } }),
    ).toBeGreaterThan(0);
    expect(await (await db()).hold.count({ where: { releasedOn: null } })).toBeGreaterThan(0);
    const fees = await (await db()).charge.count({ where: { kind: { not: "PRINCIPAL" } } });
    expect(fees).toBeGreaterThan(0);
    const steps = await (await db()).claimStep.count();
    const noticeSteps = await (
      await db()
    ).claimStep.count({
      where: { key: { not: "READY_FOR_ENFORCEMENT" } },
    });
    expect(await (await db()).notice.count()).toBe(noticeSteps);
    expect(steps).toBeGreaterThan(noticeSteps);
    // Every fee has the step (and event) that charged it.
    const orphanFees = await (
      await db()
    ).$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "Charge" ch WHERE ch.kind <> 'PRINCIPAL' AND NOT EXISTS
         (SELECT 1 FROM "ClaimStep" s WHERE s."eventId" = ch."causeEventId")`,
    );
    expect(orphanFees[0]!.n).toBe(0);
  });

  it("gives every claim a valid payment reference from claim_reference_seq", async () => {
    const rows = await (
      await db()
    ).claim.findMany({
      select: { paymentReference: true, creditor: { select: { referenceScheme: true } } },
    });
    for (const r of rows)
      expect(
        validateReference(r.creditor.referenceScheme as ReferenceScheme, r.paymentReference),
      ).toEqual({ ok: true });
    const seq = await (
      await db()
    ).$queryRawUnsafe<{ last: bigint }[]>(`SELECT last_value AS last FROM claim_reference_seq`);
    expect(Number(seq[0]!.last)).toBeGreaterThanOrEqual(1000 + 1000 - 1);
  });

  it("stores the next look the evaluator gives for every open claim", async () => {
    const { decisionOf, statementOf, nextActionOn } = await import("../app/domain/claim.ts");
    const { loadClaims } = await import("../app/services/claims/load-claims.server.ts");
    const { loadLawBook } = await import("../app/services/law/legal-figures.server.ts");
    const law = await loadLawBook();
    const open = await (
      await db()
    ).claim.findMany({ where: { status: "OPEN" }, select: { id: true } });
    const states = await loadClaims(undefined, { ids: open.map((c) => c.id) });
    const wrong = states.filter((row) => {
      const expected = nextActionOn(
        decisionOf(row, statementOf(row, law, AS_OF), law, AS_OF),
        AS_OF,
      );
      return row.nextActionOn !== expected;
    });
    expect(wrong.map((r) => [r.id, r.stage, r.nextActionOn])).toEqual([]);
  });

  it("lets a generated resident log in and read consistent statements; paid claims owe 0", async () => {
    const { findResidentByNationalId } =
      await import("../app/services/identity/residents.server.ts");
    const { listResidentClaims, getResidentClaim } =
      await import("../app/services/portal/claims.server.ts");
    const logins = output.filter((l) => /^ {2}\d{11,12} \((SE|NO)\)/.test(l));
    expect(logins.length).toBeGreaterThan(0);
    let seen = 0;
    for (const line of logins) {
      const [, id, country] = /^ {2}(\d+) \((SE|NO)\)/.exec(line)!;
      const resident = await findResidentByNationalId(country as "SE" | "NO", id!);
      expect(resident).not.toBeNull();
      const claims = await listResidentClaims(resident!.id, NOW);
      for (const c of claims) {
        const b = c.statement.balance;
        expect(b.total).toBe(b.principal + b.fees + b.interest);
        expect(b.total).toBeGreaterThan(0);
        const detail = await getResidentClaim(resident!.id, c.id, NOW);
        expect(detail?.events[0]?.type).toBe("claim.received");
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(0);
    const paid = await (
      await db()
    ).claim.findMany({
      where: { status: "PAID" },
      select: { id: true, residentId: true },
      take: 100,
    });
    expect(paid.length).toBeGreaterThan(0);
    for (const p of paid) {
      const detail = await getResidentClaim(p.residentId, p.id, NOW);
      expect(detail?.statement.balance.total).toBe(0);
      expect(detail?.events.map((e) => e.type)).toContain("claim.paid");
    }
  });

  it("runs the sweep over the generated data; a re-run does nothing", async () => {
    const { runSweep } = await import("../app/services/escalation/sweep.server.ts");
    const first = await runSweep({ asOf: AS_OF, publicUrl: "http://localhost:3000" });
    expect(first.examined).toBeGreaterThan(0);
    const again = await runSweep({ asOf: AS_OF, publicUrl: "http://localhost:3000" });
    expect(again.examined).toBe(0);
  });
});
