import { todayIn } from "~/domain/calendar-date";
import { CREDITOR_MACHINE } from "~/domain/creditor-transitions";
import { checkMove, IllegalMoveError } from "~/domain/state-machine";
import { Prisma } from "~/generated/prisma/client.ts";
import { db, type Tx } from "~/infra/db.server";
import { recordEvent } from "../events/events.server";
import { log } from "~/infra/log.server";
import { recountFigures } from "../backoffice/figures-queries.server";

/*
 * Merging one creditor (municipality) into another (decision 0107), in one transaction: every row
 * that names the old creditor in a "creditorId" column moves to the new one, except the few kept
 * on purpose (CREDITOR_TABLES). The old Creditor row stays as a tombstone (mergedIntoId,
 * mergedAt): its name stays on the letters that left before the merge, and its reference prefix
 * stays taken, so no later creditor can issue references its residents may still pay with. A
 * dry run does all of it and rolls back, so it shows exactly what the merge would do.
 */

/**
 * What a merge does with each table that has a "creditorId" column. A table added later that is
 * not listed here is moved like "moved" and reported as `unruled`; a test fails until it is
 * listed, so someone decides.
 */
export const CREDITOR_TABLES = {
  // Before moving: a slug the new creditor already has is renamed "<slug>-<old creditor's slug>".
  ClaimType: "moved",
  // Each claim keeps its policy row and version; the policies move with their claim types.
  Policy: "moved",
  // Before moving: an invoice number the new creditor already has becomes "<old slug>/<number>".
  Claim: "moved",
  CaseNote: "moved",
  PaymentPlan: "moved",
  StaffTask: "moved",
  EnforcementExport: "moved",
  PrintBatch: "moved",
  // The claims files handed over: their reports go with the claims they stored.
  ClaimImport: "moved",
  // The old creditor's history and figures become the new creditor's (the log's scope, not its
  // content, changes; the append-only trigger allows exactly that).
  Event: "moved",
  // Staff of the old creditor work for the new one; one who had both keeps one row.
  StaffCreditor: "joined",
  // A key speaks for one billing system of one creditor: revoked, kept on the tombstone.
  ApiKey: "revoked",
  // The daily sweeps that ran for the old creditor: a log (one per creditor and day), kept.
  SweepRun: "kept",
} as const;

export type MergeRefusal =
  | "same_creditor"
  | "unknown_creditor"
  | "already_merged"
  | "different_country"
  | "different_currency"
  | "conflict";

export type MergeReport = {
  dryRun: boolean;
  from: { slug: string; name: string };
  into: { slug: string; name: string };
  /** Rows moved to the new creditor, per table, in CREDITOR_TABLES order then unruled ones. */
  moved: { table: string; rows: number }[];
  /** Rows left on the old creditor on purpose (SweepRun; ApiKey, all revoked). */
  kept: { table: string; rows: number }[];
  revokedApiKeys: number;
  renamedClaimTypes: { from: string; to: string }[];
  /** Invoice numbers of the old creditor the new one also had: prefixed "<old slug>/". */
  renamedInvoiceNumbers: number;
  /** Letters that had left: they keep the old creditor's name and contact details. */
  lettersKeepingOldName: number;
  /** Staff who already worked for both. */
  staffInBoth: number;
  /** Tables with a "creditorId" column that CREDITOR_TABLES does not name (moved as they are). */
  unruled: string[];
};

export type MergeResult =
  { ok: true; report: MergeReport } | { ok: false; error: MergeRefusal; detail?: string };

class DryRunDone extends Error {
  constructor(readonly report: MergeReport) {
    super("dry run: rolled back");
  }
}

class Refused extends Error {
  constructor(
    readonly error: MergeRefusal,
    readonly detail?: string,
  ) {
    super(error);
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The operator's command line, or an administrator on the staff pages. */
const roleOf = (actor: string) => (actor.startsWith("staff:") ? "admin" : "operator");

/** Every table of the public schema with a "creditorId" column. */
export async function creditorTables(conn: Pick<Tx, "$queryRaw"> = db()): Promise<string[]> {
  const rows = await conn.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'creditorId'
     ORDER BY table_name`;
  return rows.map((r) => r.table_name);
}

type CreditorRow = {
  id: string;
  slug: string;
  name: string;
  country: string;
  currency: string;
  timeZone: string;
  mergedAt: Date | null;
};

async function lockCreditors(tx: Tx, fromSlug: string, intoSlug: string, actor: string) {
  // Both rows locked in one order: two merges at once wait for each other, and a second merge of
  // the same creditor sees the first one's tombstone.
  const rows = await tx.$queryRaw<CreditorRow[]>`
    SELECT id::text, slug, name, country::text, currency, "timeZone", "mergedAt" FROM "Creditor"
     WHERE slug IN (${fromSlug}, ${intoSlug}) ORDER BY id FOR UPDATE`;
  const from = rows.find((r) => r.slug === fromSlug);
  const into = rows.find((r) => r.slug === intoSlug);
  if (!from || !into)
    throw new Refused(
      "unknown_creditor",
      [fromSlug, intoSlug].find((s) => !rows.some((r) => r.slug === s)),
    );
  try {
    checkMove(CREDITOR_MACHINE, from.mergedAt ? "MERGED" : "ACTIVE", "merge", roleOf(actor));
  } catch (error) {
    if (error instanceof IllegalMoveError) throw new Refused("already_merged", from.slug);
    throw error;
  }
  if (into.mergedAt) throw new Refused("already_merged", into.slug);
  if (from.country !== into.country) throw new Refused("different_country");
  if (from.currency !== into.currency) throw new Refused("different_currency");
  return { from, into };
}

async function moveRows(tx: Tx, table: string, from: string, into: string): Promise<number> {
  if (!IDENT.test(table)) throw new Error(`unexpected table name ${table}`);
  return tx.$executeRawUnsafe(
    `UPDATE "${table}" SET "creditorId" = $2::uuid WHERE "creditorId" = $1::uuid`,
    from,
    into,
  );
}

async function mergeIn(
  tx: Tx,
  input: { fromSlug: string; intoSlug: string; actor: string; now: Date; dryRun: boolean },
): Promise<MergeReport> {
  const { from, into } = await lockCreditors(tx, input.fromSlug, input.intoSlug, input.actor);
  const f = from.id;
  const i = into.id;
  const tables = await creditorTables(tx);
  const rules = CREDITOR_TABLES as Record<string, string>;
  const unruled = tables.filter((t) => !Object.hasOwn(rules, t));

  // The tombstone first: the event log's and case notes' triggers allow a move only to it.
  await tx.$executeRaw`
    UPDATE "Creditor" SET "mergedIntoId" = ${i}::uuid, "mergedAt" = ${input.now} WHERE id = ${f}::uuid`;

  // Letters that left keep the sender they had; pending ones go out in the new creditor's name.
  const lettersKeepingOldName = await tx.$executeRaw`
    UPDATE "Notice" n SET letterhead = jsonb_build_object(
        'name', cr.name, 'orgNumber', cr."orgNumber", 'postalAddress', cr."postalAddress",
        'phone', cr.phone, 'email', cr.email, 'web', cr.web, 'openingHours', cr."openingHours",
        'bankAccount', cr."bankAccount", 'iban', cr.iban, 'bic', cr.bic)
      FROM "Claim" c JOIN "Creditor" cr ON cr.id = c."creditorId"
     WHERE c.id = n."claimId" AND c."creditorId" = ${f}::uuid
       AND n."dispatchedOn" IS NOT NULL AND n.letterhead IS NULL`;

  const renamedClaimTypes = await tx.$queryRaw<{ from: string; to: string }[]>`
    UPDATE "ClaimType" t
       SET slug = t.slug || '-' || ${from.slug},
           name = t.name || ' (' || ${from.name} || ')',
           names = COALESCE((SELECT jsonb_object_agg(k, v || ' (' || ${from.name} || ')')
                               FROM jsonb_each_text(t.names) AS e(k, v)), '{}'::jsonb)
     WHERE t."creditorId" = ${f}::uuid
       AND EXISTS (SELECT 1 FROM "ClaimType" o WHERE o."creditorId" = ${i}::uuid AND o.slug = t.slug)
    RETURNING substring(t.slug FOR length(t.slug) - length(${from.slug}) - 1) AS "from", t.slug AS "to"`;

  const renamedInvoiceNumbers = await tx.$executeRaw`
    UPDATE "Claim" c SET "externalId" = ${from.slug} || '/' || c."externalId"
     WHERE c."creditorId" = ${f}::uuid
       AND EXISTS (SELECT 1 FROM "Claim" o WHERE o."creditorId" = ${i}::uuid AND o."externalId" = c."externalId")`;

  const [{ both }] = await tx.$queryRaw<[{ both: number }]>`
    SELECT count(*)::int AS both FROM "StaffCreditor" a
      JOIN "StaffCreditor" b ON b."staffId" = a."staffId" AND b."creditorId" = ${i}::uuid
     WHERE a."creditorId" = ${f}::uuid`;

  const moved: { table: string; rows: number }[] = [];
  const kept: { table: string; rows: number }[] = [];
  let revokedApiKeys = 0;
  const order = [...Object.keys(rules).filter((t) => tables.includes(t)), ...unruled];
  for (const table of order) {
    const rule = rules[table] ?? "moved";
    if (rule === "moved") moved.push({ table, rows: await moveRows(tx, table, f, i) });
    else if (rule === "joined") {
      await tx.$executeRaw`
        INSERT INTO "StaffCreditor" ("staffId", "creditorId")
        SELECT "staffId", ${i}::uuid FROM "StaffCreditor" WHERE "creditorId" = ${f}::uuid
        ON CONFLICT DO NOTHING`;
      // Counted as the old creditor's staff, whether or not they had the new one already.
      const rows =
        await tx.$executeRaw`DELETE FROM "StaffCreditor" WHERE "creditorId" = ${f}::uuid`;
      moved.push({ table, rows });
    } else if (rule === "revoked") {
      revokedApiKeys = await tx.$executeRaw`
        UPDATE "ApiKey" SET "revokedAt" = ${input.now} WHERE "creditorId" = ${f}::uuid AND "revokedAt" IS NULL`;
      const [{ n }] = await tx.$queryRaw<[{ n: number }]>`
        SELECT count(*)::int AS n FROM "ApiKey" WHERE "creditorId" = ${f}::uuid`;
      kept.push({ table, rows: n });
    } else {
      if (!IDENT.test(table)) throw new Error(`unexpected table name ${table}`);
      const [{ n }] = await tx.$queryRawUnsafe<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "creditorId" = $1::uuid`,
        f,
      );
      kept.push({ table, rows: n });
    }
  }

  const report: MergeReport = {
    dryRun: input.dryRun,
    from: { slug: from.slug, name: from.name },
    into: { slug: into.slug, name: into.name },
    moved,
    kept,
    revokedApiKeys,
    renamedClaimTypes,
    renamedInvoiceNumbers,
    lettersKeepingOldName,
    staffInBoth: both,
    unruled,
  };
  await recordEvent(tx, {
    creditorId: i,
    type: "creditor.merged",
    actor: input.actor,
    on: todayIn(into.timeZone, input.now),
    data: {
      fromCreditorId: f,
      from: from.slug,
      into: into.slug,
      moved: Object.fromEntries(moved.map((m) => [m.table, m.rows])),
      revokedApiKeys,
      renamedClaimTypes,
      renamedInvoiceNumbers,
      lettersKeepingOldName,
    },
  });
  if (input.dryRun) throw new DryRunDone(report);
  return report;
}

/**
 * Merges the creditor `fromSlug` into `intoSlug`, or with `dryRun` shows what that would do and
 * changes nothing. Refused: the same creditor, an unknown one, one already merged, another country
 * or currency; a move that breaks a constraint (a table needing a rule of its own) changes nothing.
 */
export async function mergeCreditors(input: {
  fromSlug: string;
  intoSlug: string;
  actor: string;
  now: Date;
  dryRun: boolean;
}): Promise<MergeResult> {
  if (input.fromSlug === input.intoSlug) return { ok: false, error: "same_creditor" };
  try {
    const report = await db().$transaction((tx) => mergeIn(tx, input), {
      timeout: 600_000,
      maxWait: 30_000,
    });
    // The Figures page counts per creditor in a view: the old creditor's months join the new
    // one's now, not at the next hourly recount (which heals it should this one fail).
    await recountFigures().catch((error: unknown) =>
      log.warn("figures recount after a creditor merge failed", { error: String(error) }),
    );
    return { ok: true, report };
  } catch (error) {
    if (error instanceof DryRunDone) return { ok: true, report: error.report };
    if (error instanceof Refused) return { ok: false, error: error.error, detail: error.detail };
    // A unique or check constraint broken by a move: nothing was changed.
    if (
      error instanceof Prisma.PrismaClientKnownRequestError ||
      (error instanceof Error && /violates|duplicate key/.test(error.message))
    )
      return { ok: false, error: "conflict", detail: error.message };
    throw error;
  }
}

/** The creditors an admin may merge: those they belong to that are not merged themselves. */
export async function mergeableCreditors(creditorIds: readonly string[]) {
  return db().creditor.findMany({
    where: { id: { in: [...creditorIds] }, mergedAt: null },
    select: { id: true, slug: true, name: true },
    orderBy: { name: "asc" },
  });
}
