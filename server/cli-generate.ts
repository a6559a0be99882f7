import { parseArgs } from "node:util";
import { isIsoDate, todayIn } from "../app/domain/calendar-date.ts";
import { db } from "../app/infra/db.server.ts";
import { DEMO_CREDITORS } from "../prisma/demo-data.ts";

type Out = { log(line: string): void; error(line: string): void };

export const GENERATE_USAGE = `  generate --residents N --claims N [--as-of YYYY-MM-DD]
                                   Synthetic residents and claims in every stage, for benchmarks
                                   and trying the portal at scale. Loads the legal figures and the
                                   demo creditors and policies first when missing. Needs the web
                                   server's PII_ENCRYPTION_KEY and NATIONAL_ID_HASH_KEY, so the
                                   residents can log in. Never on a production database.`;

const count = (s: string | undefined, fallback: number) => {
  const n = Number((s ?? String(fallback)).replaceAll("_", ""));
  return Number.isInteger(n) && n >= 1 && n <= 10_000_000 ? n : null;
};

export async function generate(args: string[], out: Out, usage: string): Promise<number> {
  let v: { residents?: string; claims?: string; "as-of"?: string };
  try {
    v = parseArgs({
      args,
      options: {
        residents: { type: "string" },
        claims: { type: "string" },
        "as-of": { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const claims = count(v.claims, 1000);
  const residents = count(v.residents, Math.ceil((claims ?? 3) / 3));
  if (!claims || !residents) {
    out.error("--residents and --claims must be whole numbers from 1 to 10,000,000.");
    return 2;
  }
  if (residents > 1_000_000) {
    out.error("--residents: at most 1,000,000 (the supply of official test identity numbers).");
    return 2;
  }
  const asOf = v["as-of"] ?? todayIn("Europe/Stockholm", new Date());
  if (!isIsoDate(asOf)) {
    out.error("--as-of must be a calendar date as YYYY-MM-DD.");
    return 2;
  }
  const piiKey = process.env.PII_ENCRYPTION_KEY;
  const hashKey = process.env.NATIONAL_ID_HASH_KEY;
  if (!piiKey || !hashKey) {
    out.error(
      "PII_ENCRYPTION_KEY and NATIONAL_ID_HASH_KEY must be the web server's own: identity " +
        "numbers are stored encrypted and looked up by their keyed hash.",
    );
    return 2;
  }
  const { loadLegalRates, ensureCreditors } = await import("../prisma/seed.ts");
  const present = await db().creditor.count({
    where: { slug: { in: DEMO_CREDITORS.map((c) => c.slug) }, policies: { some: {} } },
  });
  if ((await db().legalRate.count()) === 0 || present < DEMO_CREDITORS.length) {
    out.log("Loading the legal figures and the demo creditors, claim types and policies.");
    await loadLegalRates();
    await ensureCreditors();
  }
  const { generateData } = await import("./generate-data.ts");
  out.log(
    `Generating ${residents.toLocaleString("en-US")} residents and ` +
      `${claims.toLocaleString("en-US")} claims as of ${asOf}:`,
  );
  try {
    const r = await generateData({
      residents,
      claims,
      asOf,
      piiKey,
      hashKey,
      publicUrl: process.env.PUBLIC_URL ?? "http://localhost:3000",
      log: out.log,
    });
    out.log(
      `Done: ${r.rows.toLocaleString("en-US")} rows in ${r.seconds.toFixed(1)} s ` +
        `(${Math.round(r.rows / r.seconds).toLocaleString("en-US")} rows/s).`,
    );
    out.log("Log in as, for example (test eID):");
    for (const s of r.sampleLogins) out.log(`  ${s.nationalId} (${s.country}) ${s.name}`);
    return 0;
  } catch (error) {
    if (error instanceof Error && /already holds generated claims/.test(error.message)) {
      out.error(`${error.message}: generate on a fresh database.`);
      return 1;
    }
    throw error;
  }
}
