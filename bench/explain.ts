// Query plans on generated data: `npx tsx bench/explain.ts [--claims N] [--residents N]`
// (default 100,000 claims). Generates the data (`kravportal generate`'s code), then runs the real
// code paths (the sweep's due-claims selection and batch loading, a resident's claim list and
// claim page, the staff start page's queue counts, the staff search by name, identity number,
// reference and invoice number, the resident view, the figures' recount and page) with auto_explain reporting every statement's
// EXPLAIN (ANALYZE, BUFFERS) back to this process, and prints each distinct statement's plan.
// Sequential scans of the big tables are listed at the end. Needs a superuser connection (the
// throwaway embedded server's is). Prints figures; asserts nothing.
import pg from "pg";
import {
  argNumber,
  describeData,
  fmt,
  loadAverage,
  log,
  machine,
  scaleDatabase,
} from "./scale-setup.ts";

const BIG = [
  "Resident",
  "Claim",
  "Charge",
  "Event",
  "ClaimStep",
  "Notice",
  "Outbox",
  "Payment",
  "Hold",
];

type Plan = { scenario: string; text: string; ms: number; query: string };

/**
 * Runs the real code paths on `url`'s generated data with auto_explain on, and prints each
 * distinct statement's plan and the sequential scans of big tables. `admin` must be a superuser
 * connection to the same database. Reconnects the app's pool (db()) to pick up the settings.
 */
export async function explainPaths(url: string, admin: pg.Client, asOf: string) {
  const name = new URL(url).pathname.slice(1);
  // Every new connection of the app's pool explains what it runs and tells the client.
  for (const setting of [
    `session_preload_libraries = 'auto_explain'`,
    `auto_explain.log_min_duration = 0`,
    `auto_explain.log_analyze = on`,
    `auto_explain.log_buffers = on`,
    `auto_explain.log_level = notice`,
  ])
    await admin.query(`ALTER DATABASE "${name}" SET ${setting}`);
  const { pgPool, pgReadsPool, disconnectDb } = await import("../app/infra/db.server.ts");
  await disconnectDb();
  let scenario = "";
  const plans: Plan[] = [];
  // Both pools: Prisma's and the transactions', and the plain reads' (generic plans).
  const explainNotices = (client: pg.PoolClient) =>
    client.on("notice", (n) => {
      const m = /^duration: ([\d.]+) ms\s+plan:\s*\nQuery Text: ([\s\S]*)$/.exec(n.message ?? "");
      if (!m) return;
      // The statement's text ends where the plan's first node (with its cost) begins.
      const rest = m[2]!;
      const end = rest.search(/\n(Query Parameters:|\S[^\n]*\(cost=)/);
      const query = (end < 0 ? rest : rest.slice(0, end)).replace(/\s+/g, " ").trim();
      plans.push({ scenario, ms: Number(m[1]), query, text: n.message! });
    });
  for (const p of [pgPool(), pgReadsPool()]) p.on("connect", explainNotices);
  try {
    const { runSweep } = await import("../app/services/escalation/sweep.server.ts");
    const { listResidentClaims, getResidentClaim } =
      await import("../app/services/portal/claims.server.ts");
    const { queueCounts } = await import("../app/services/backoffice/queues.server.ts");
    const now = new Date(`${asOf}T10:00:00Z`);
    // A resident with several open claims, as the portal would show them.
    const { rows } = await admin.query<{ resident: string; claim: string }>(
      `SELECT "residentId" AS resident, (array_agg(id ORDER BY id))[1]::text AS claim
       FROM "Claim" WHERE status = 'OPEN' GROUP BY 1 HAVING count(*) BETWEEN 3 AND 10 LIMIT 1`,
    );
    const who = rows[0]!;
    const creditors = (await admin.query<{ id: string }>(`SELECT id FROM "Creditor"`)).rows;
    const { staffSearch } = await import("../app/services/backoffice/search.server.ts");
    const { residentView } = await import("../app/services/backoffice/resident-view.server.ts");
    const { revealNationalId } = await import("../app/services/identity/residents.server.ts");
    const { loadFigures } = await import("../app/services/backoffice/figures.server.ts");
    const { recountFigures } = await import("../app/services/backoffice/figures-queries.server.ts");
    // The figures page for the creditor with the most claims, and its commonest claim type.
    const [biggest] = (
      await admin.query<{ id: string; type: string }>(
        `SELECT "creditorId"::text AS id, (mode() WITHIN GROUP (ORDER BY "claimTypeId"))::text AS type
           FROM "Claim" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows as [{ id: string; type: string }];
    const staff = {
      staffId: "00000000-0000-4000-8000-000000000000",
      role: "AGENT" as const,
      creditorIds: creditors.map((c) => c.id),
    };
    // What a case worker would type for that resident: a name, an identity number, a reference.
    const [facts] = (
      await admin.query<{ name: string; cipher: string; ref: string; invoice: string }>(
        `SELECT r.name, r."nationalIdCipher" AS cipher, c."paymentReference" AS ref,
                c."externalId" AS invoice
           FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId" WHERE c.id = $1::uuid`,
        [who.claim],
      )
    ).rows;
    const words = facts!.name.split(" ");
    const namePrefix = `${words[0]!.slice(0, 3)} ${words[words.length - 1]!.slice(0, 4)}`;

    const scenarios: [string, () => Promise<unknown>][] = [
      ["sweep (dry run)", () => runSweep({ asOf, dryRun: true, publicUrl: "http://x" })],
      ["My claims: listResidentClaims", () => listResidentClaims(who.resident, now)],
      ["claim page: getResidentClaim", () => getResidentClaim(who.resident, who.claim, now)],
      [
        "staff start page: queueCounts",
        () =>
          queueCounts({
            staffId: "00000000-0000-4000-8000-000000000000",
            role: "SUPERVISOR",
            creditorIds: creditors.map((c) => c.id),
          }),
      ],
      [`staff search: name "${namePrefix}"`, () => staffSearch(staff, namePrefix, now)],
      [
        "staff search: identity number",
        () => staffSearch(staff, revealNationalId(facts!.cipher), now),
      ],
      ["staff search: payment reference", () => staffSearch(staff, facts!.ref, now)],
      ["staff search: invoice number", () => staffSearch(staff, facts!.invoice, now)],
      ["staff resident view", () => residentView(staff, who.resident, now)],
      ["figures: recount every creditor (REFRESH MATERIALIZED VIEW)", () => recountFigures()],
      [
        "figures page: one creditor, all claim types, 12 months",
        () => loadFigures(staff, { creditorId: biggest.id, claimTypeId: null, months: 12 }, now),
      ],
      [
        "figures page: one creditor, one claim type, 24 months",
        () =>
          loadFigures(
            staff,
            { creditorId: biggest.id, claimTypeId: biggest.type, months: 24 },
            now,
          ),
      ],
    ];
    for (const [label, run] of scenarios) {
      scenario = label;
      const t0 = performance.now();
      const result = await run();
      const examined =
        label.startsWith("sweep") && result
          ? ` (${(result as { examined: number }).examined} claims due)`
          : "";
      log(`\n=== ${label}: ${(performance.now() - t0).toFixed(1)} ms wall${examined} ===`);
      const seen = new Set<string>();
      for (const p of plans.filter((x) => x.scenario === label)) {
        if (seen.has(p.query)) continue;
        seen.add(p.query);
        log(`\n-- ${p.ms.toFixed(2)} ms (first run of this statement)\n${p.text}`);
      }
    }
    log("\n=== Sequential scans of big tables ===");
    const scans = new Map<string, { scenario: string; table: string; ms: number; query: string }>();
    for (const p of plans) {
      for (const m of p.text.matchAll(/Seq Scan on "?(\w+)"?/g)) {
        if (!BIG.includes(m[1]!)) continue;
        const key = `${p.scenario}|${m[1]}|${p.query}`;
        if (!scans.has(key))
          scans.set(key, { scenario: p.scenario, table: m[1]!, ms: p.ms, query: p.query });
      }
    }
    if (scans.size === 0) log("none");
    for (const s of scans.values())
      log(
        `${s.scenario}: Seq Scan on ${s.table} (${s.ms.toFixed(1)} ms): ${s.query.slice(0, 160)}`,
      );
  } finally {
    for (const setting of ["session_preload_libraries", "auto_explain.log_min_duration"])
      await admin.query(`ALTER DATABASE "${name}" RESET ${setting}`);
    await disconnectDb();
  }
}

/** The last weekday on or before today: steps fall due on bank days, so a sweep finds some. */
export function lastWeekday(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

async function main() {
  const claims = argNumber("claims", 100_000);
  const residents = argNumber("residents", Math.ceil(claims / 3));
  log(`Query plans on ${fmt(claims)} generated claims`);
  log(`machine: ${machine()}; load average ${loadAverage()}`);
  const asOf = lastWeekday();
  const database = await scaleDatabase({ name: "bench_explain", residents, claims, asOf });
  const admin = new pg.Client({ connectionString: database.url });
  try {
    await admin.connect();
    await describeData((sql) => admin.query(sql));
    await explainPaths(database.url, admin, asOf);
  } finally {
    await admin.end().catch(() => {});
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, "/"))) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
