import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "~/generated/prisma/client.ts";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from "~/domain/national-id";
import {
  FilingDataError,
  jurisdictionOf,
  type EnforcementFormat,
} from "~/integrations/enforcement";
import { db, disconnectDb } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { decryptFile } from "~/infra/pii.server";
import { loader as fileLoader } from "~/routes/staff.export.$exportId_.file";
import { DEMO_PLAN_RULES, NO_STEPS } from "../../../prisma/demo-data";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { fileDispute } from "../disputes/disputes.server";
import { revealNationalId } from "../identity/residents.server";
import { createStaff } from "../identity/staff-auth.server";
import { startStaffSession } from "../identity/staff-session.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { savePolicy } from "../law/policies.server";
import { runRetention } from "../operations/retention.server";
import { requestPlan } from "../plans/plans.server";
import { staffPlaceHold } from "./staff-holds.server";
import { approveEnforcement, sendBackFromEnforcement } from "./enforcement.server";
import {
  enforcementExportFile,
  enforcementExportView,
  exportRow,
  listEnforcementExports,
} from "./enforcement-batches.server";
import { exportOverview, makeEnforcementExport } from "./enforcement-exports.server";
import { recordExportReceipt, undoEnforcementExport } from "./enforcement-receipts.server";
import type { StaffContext } from "./queues.server";

/*
 * Enforcement export batches on PostgreSQL: a batch holds exactly the approved claims of its
 * route that may go today, stored with its file and checksum in one transaction with their moves;
 * the file is served unchanged again and again; the authority's receipt files the claims (and
 * writes each resident's letter); an undo gives them back; nothing of another creditor's is
 * reachable; agents can do none of it; a batch that fails half-way leaves nothing behind.
 */

const NOW = new Date("2026-11-22T10:00:00Z");
const LATER = new Date("2026-11-24T10:00:00Z");
const run = Date.now().toString(36);

let no: { id: string; slug: string; caller: ApiCaller };
let se: { id: string; slug: string; caller: ApiCaller };
let supervisor: StaffContext & { cookie: string };
let agent: StaffContext & { cookie: string };
let outsider: StaffContext & { cookie: string };
let seSupervisor: StaffContext;

let serial = 100 + (process.pid % 400);
/** A resident of their own for every claim: no flag or hold of another test reaches them. */
function nationalId(country: "NO" | "SE"): string {
  for (;;) {
    serial += 1;
    const day = addDays("1970-01-01", serial * 7);
    if (country === "SE") return makeSwedishPersonnummer(day, serial % 1000);
    const id = makeNorwegianFodselsnummer(day, 100 + (serial % 400));
    if (id) return id;
  }
}

async function staffOf(role: StaffRole, creditorSlug: string) {
  const email = `export-${run}-${role.toLowerCase()}-${creditorSlug}@example.test`;
  const { staffId } = await createStaff({
    email,
    name: `${role} of ${creditorSlug}`,
    creditorSlugs: [creditorSlug],
    role,
  });
  await db().staff.update({ where: { id: staffId }, data: { mustChangePassword: false } });
  const res = await startStaffSession(
    new Request("http://localhost/staff/login"),
    { staffId, mustChangePassword: false },
    "/staff",
  );
  const creditor = await db().creditor.findUniqueOrThrow({ where: { slug: creditorSlug } });
  return {
    staffId,
    role,
    creditorIds: [creditor.id],
    cookie: res.headers.get("Set-Cookie")!.split(";")[0]!,
  };
}

/** A claim the engine queued, then approved by a supervisor of its creditor. */
async function approvedClaim(
  creditor: { caller: ApiCaller },
  opts: { claimType?: string; principal?: number; approve?: boolean; by?: StaffContext } = {},
) {
  const country = creditor.caller.country;
  const result = await receiveClaim(
    creditor.caller,
    {
      externalId: `EXP-${run}-${randomUUID().slice(0, 8)}`,
      claimType: opts.claimType ?? "water",
      resident: { nationalId: nationalId(country), name: `Resident ${serial}` },
      description: "Unpaid invoice",
      currency: creditor.caller.currency,
      principal: opts.principal ?? 250_000,
      issuedOn: "2026-01-01",
      dueOn: "2026-02-01",
    },
    new Date("2026-02-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const id = result.claim.id;
  await db().claim.update({ where: { id }, data: { stage: "READY_FOR_ENFORCEMENT" } });
  if (opts.approve !== false)
    expect(await approveEnforcement(opts.by ?? supervisor, id, NOW)).toEqual({ ok: true });
  return id;
}

const claimRow = (id: string) =>
  db().claim.findUniqueOrThrow({ where: { id }, include: { resident: true } });
const stageOf = async (id: string) => (await db().claim.findUniqueOrThrow({ where: { id } })).stage;
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Every row an export could write, counted. */
async function counts() {
  const [exports, filings, events, notices] = await Promise.all([
    db().enforcementExport.count(),
    db().enforcementFiling.count({ where: { exportId: { not: null } } }),
    db().event.count(),
    db().notice.count(),
  ]);
  return { exports, filings, events, notices };
}

async function download(cookie: string, exportId: string): Promise<Response> {
  try {
    return await fileLoader({
      request: new Request(`http://localhost/staff/export/${exportId}/file`, {
        headers: { Cookie: cookie },
      }),
      params: { exportId },
      context: { cspNonce: "" },
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  await seedDemo();
  const n = await createTestCreditor(`exp-no-${run}`, "NO");
  const s = await createTestCreditor(`exp-se-${run}`, "SE");
  await db().creditor.update({ where: { id: n.creditor.id }, data: { orgNumber: "998877665" } });
  await db().creditor.update({ where: { id: s.creditor.id }, data: { orgNumber: "2120001234" } });
  no = { id: n.creditor.id, slug: n.creditor.slug, caller: n.caller };
  se = { id: s.creditor.id, slug: s.creditor.slug, caller: s.caller };
  // Water the municipality enforces itself (særnamsmann); kindergarten fees go to namsmannen.
  await db().claimType.updateMany({
    where: { creditorId: no.id, slug: "water" },
    data: { ownEnforcement: true },
  });
  await db().claimType.create({
    data: { creditorId: no.id, slug: "kindergarten", name: "Barnehage" },
  });
  const saved = await savePolicy({
    creditorSlug: no.slug,
    claimTypeSlug: "kindergarten",
    policy: {
      steps: NO_STEPS,
      enforcementMinimum: 20_000,
      chargesInterest: false,
      allocationOrder: ["costs", "interest", "principal"],
      resumeDeadlineDays: 14,
      planRules: DEMO_PLAN_RULES.NO,
    },
    actor: "test",
    now: new Date("2026-01-01T12:00:00Z"),
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  supervisor = await staffOf("SUPERVISOR", no.slug);
  agent = await staffOf("AGENT", no.slug);
  outsider = await staffOf("SUPERVISOR", se.slug);
  seSupervisor = outsider;
});
afterAll(() => disconnectDb());

describe("making a batch", () => {
  it("takes exactly the approved claims of its route that may go today, and stores their file", async () => {
    const [water1, water2] = [await approvedClaim(no), await approvedClaim(no)];
    const kindergarten = await approvedClaim(no, { claimType: "kindergarten" });
    const queued = await approvedClaim(no, { approve: false });
    // Paused after its approval: it stays approved and out of the batch.
    const heldSince = await approvedClaim(no);
    expect(
      (
        await staffPlaceHold(supervisor, {
          claimId: heldSince,
          kind: "MANUAL",
          reason: "Resident phoned about it",
          now: NOW,
        })
      ).ok,
    ).toBe(true);

    const overview = (await exportOverview(supervisor, NOW)).find((c) => c.creditorId === no.id)!;
    const own = overview.routes.find((r) => r.route === "saernamsmann")!;
    expect(own).toMatchObject({ ready: 2, heldBack: 1, reasons: { held: 1 } });
    expect(overview.routes.find((r) => r.route === "namsmann")).toMatchObject({ ready: 1 });

    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    expect(made).toMatchObject({ ok: true, claims: 2, leftOut: 1 });
    if (!made.ok) return;
    expect(await stageOf(water1)).toBe("ENFORCEMENT_EXPORTED");
    expect(await stageOf(water2)).toBe("ENFORCEMENT_EXPORTED");
    expect(await stageOf(kindergarten)).toBe("ENFORCEMENT_APPROVED");
    expect(await stageOf(heldSince)).toBe("ENFORCEMENT_APPROVED");
    expect(await stageOf(queued)).toBe("READY_FOR_ENFORCEMENT");

    // One move and one event per claim, the batch's own event, no letter yet.
    const moved = await db().event.findMany({
      where: { type: "enforcement.exported", claimId: { in: [water1, water2] } },
    });
    expect(moved.map((e) => (e.data as { exportId: string }).exportId)).toEqual([
      made.exportId,
      made.exportId,
    ]);
    expect(
      await db().event.count({
        where: {
          type: "enforcement_export.made",
          data: { path: ["exportId"], equals: made.exportId },
        },
      }),
    ).toBe(1);
    expect(
      await db().notice.count({
        where: { claimId: { in: [water1, water2] }, kind: "ENFORCEMENT_FILED" },
      }),
    ).toBe(0);
    const next = await db().claim.findMany({
      where: { id: { in: [water1, water2] } },
      select: { nextActionOn: true },
    });
    expect(next.every((c) => c.nextActionOn === null)).toBe(true);

    const stored = await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } });
    expect(stored).toMatchObject({
      creditorId: no.id,
      status: "EXPORTED",
      claims: 2,
      format: "kravportal-enforcement-no-saernamsmann-v1",
      contentType: "text/csv; charset=utf-8",
      createdBy: `staff:${supervisor.staffId}`,
    });
    expect(stored.fileName).toMatch(/^kravportal-enforcement-no-saernamsmann-v1_.*\.csv$/);
    // Stored encrypted: the residents' identity numbers are not in the row.
    expect(stored.contentEncrypted).toBe(true);
    expect(stored.claimIds.sort()).toEqual([water1, water2].sort());
    const plain = decryptFile(stored.content, env().PII_ENCRYPTION_KEY);
    expect(stored.sha256).toBe(sha256(plain));
    expect(stored.size).toBe(plain.length);
    for (const id of [water1, water2]) {
      const nationalId = revealNationalId((await claimRow(id)).resident.nationalIdCipher);
      expect(plain.toString("utf8")).toContain(nationalId);
      expect(Buffer.from(stored.content).toString("latin1")).not.toContain(nationalId);
    }
    const lines = plain.toString("utf8").trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    // The batch's total is what its rows come to (principal, fees and interest on the day).
    const totalAt = lines[0]!.split(",").indexOf("total");
    const totals = lines.slice(1).map((l) => Math.round(Number(l.split(",")[totalAt]) * 100));
    expect(Number(stored.total)).toBe(totals[0]! + totals[1]!);
    expect(totals.every((t) => t >= 250_000)).toBe(true);
    expect(lines[0]).toContain("debtor_national_identity_number");
    const externalIds = await db().claim.findMany({
      where: { id: { in: [water1, water2] } },
      select: { externalId: true },
    });
    for (const { externalId } of externalIds)
      expect(lines.some((l) => l.includes(externalId))).toBe(true);
    expect(lines[1]).toContain("998877665");
    expect(lines[1]).toContain("2500.00");

    // The other route's claim goes in a batch of its own.
    const other = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "namsmann" },
      NOW,
    );
    expect(other).toMatchObject({ ok: true, claims: 1 });
    expect(await stageOf(kindergarten)).toBe("ENFORCEMENT_EXPORTED");
    // Nothing is waiting any more: a second batch is refused and changes nothing.
    const before = await counts();
    expect(
      await makeEnforcementExport(supervisor, { creditorId: no.id, route: "saernamsmann" }, NOW),
    ).toEqual({ ok: false, error: "nothing_to_export" });
    expect(await counts()).toEqual(before);
  });

  it("refuses a route the creditor's country does not have, and a filing that lacks a fact", async () => {
    await approvedClaim(se, { by: seSupervisor });
    expect(
      await makeEnforcementExport(seSupervisor, { creditorId: se.id, route: "namsmann" }, NOW),
    ).toEqual({ ok: false, error: "bad_route" });
    await db().creditor.update({ where: { id: se.id }, data: { orgNumber: null } });
    const before = await counts();
    expect(
      await makeEnforcementExport(seSupervisor, { creditorId: se.id, route: "kronofogden" }, NOW),
    ).toMatchObject({ ok: false, error: "missing_data" });
    expect(await counts()).toEqual(before);
    await db().creditor.update({ where: { id: se.id }, data: { orgNumber: "2120001234" } });
    const made = await makeEnforcementExport(
      seSupervisor,
      { creditorId: se.id, route: "kronofogden" },
      NOW,
    );
    expect(made).toMatchObject({ ok: true });
    if (!made.ok) return;
    const stored = await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } });
    expect(stored.fileName).toMatch(/^kravportal-enforcement-se-v1_/);
    expect(decryptFile(stored.content, env().PII_ENCRYPTION_KEY).toString("utf8")).toContain(
      "räntelagen (1975:635) 6 §",
    );
  });

  it("changes nothing when the file cannot be made for one claim half-way", async () => {
    const ids = [await approvedClaim(no), await approvedClaim(no), await approvedClaim(no)];
    const real = jurisdictionOf("NO").format("saernamsmann");
    let rows = 0;
    const failing = (missing: boolean): EnforcementFormat => ({
      ...real,
      row(claim) {
        rows += 1;
        if (rows === 2) {
          if (missing) throw new FilingDataError(claim.externalId, "a test's missing fact");
          throw new Error("the disk is full");
        }
        return real.row(claim);
      },
    });
    const before = await counts();
    const refused = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
      { format: () => failing(true) },
    );
    expect(refused).toMatchObject({
      ok: false,
      error: "missing_data",
      missing: "a test's missing fact",
    });
    rows = 0;
    await expect(
      makeEnforcementExport(supervisor, { creditorId: no.id, route: "saernamsmann" }, NOW, {
        format: () => failing(false),
      }),
    ).rejects.toThrow("the disk is full");
    expect(await counts()).toEqual(before);
    for (const id of ids) expect(await stageOf(id)).toBe("ENFORCEMENT_APPROVED");
    const filings = await db().enforcementFiling.findMany({ where: { claimId: { in: ids } } });
    expect(filings.every((f) => f.exportId === null && f.exportedAt === null)).toBe(true);
    // Made for real, the same claims go in one batch.
    expect(
      await makeEnforcementExport(supervisor, { creditorId: no.id, route: "saernamsmann" }, NOW),
    ).toMatchObject({ ok: true, claims: 3 });
  });
});

describe("the stored file", () => {
  it("is served byte for byte, again and again, to its creditor's supervisors only", async () => {
    await approvedClaim(no);
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const stored = await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } });
    // Made is not sent: until its file is downloaded nothing has left for the authority.
    const fresh = (await listEnforcementExports(supervisor)).find((b) => b.id === made.exportId)!;
    expect(exportRow(fresh)).toMatchObject({ stateWords: "MADE", downloadedAt: null });
    for (let i = 0; i < 2; i += 1) {
      const res = await download(supervisor.cookie, made.exportId);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("Content-Disposition")).toContain("attachment;");
      expect(res.headers.get("Content-Disposition")).toContain(stored.fileName);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(sha256(body)).toBe(stored.sha256);
      expect(res.headers.get("Repr-Digest")).toBe(
        `sha-256=:${Buffer.from(stored.sha256, "hex").toString("base64")}:`,
      );
    }
    expect(
      await db().event.count({
        where: {
          type: "staff.downloaded_enforcement_export",
          data: { path: ["exportId"], equals: made.exportId },
        },
      }),
    ).toBe(2);
    expect((await download(outsider.cookie, made.exportId)).status).toBe(404);
    expect((await download(agent.cookie, made.exportId)).status).toBe(403);
    expect((await download(supervisor.cookie, randomUUID())).status).toBe(404);
    expect((await download(supervisor.cookie, "not-an-id")).status).toBe(404);
    const listed = (await listEnforcementExports(supervisor)).find((b) => b.id === made.exportId);
    expect(listed).toMatchObject({ sha256: stored.sha256, claims: 1, route: "saernamsmann" });
    expect(listed?.createdByName).toBe(`SUPERVISOR of ${no.slug}`);
    // Downloaded (the first time counts), and by whom; the batch page says the same.
    const first = await db().event.findFirstOrThrow({
      where: {
        type: "staff.downloaded_enforcement_export",
        data: { path: ["exportId"], equals: made.exportId },
      },
      orderBy: { id: "asc" },
    });
    expect(exportRow(listed!)).toMatchObject({
      stateWords: "DOWNLOADED",
      downloadedAt: first.createdAt.toISOString(),
      downloadedByName: `SUPERVISOR of ${no.slug}`,
    });
    const page = (await enforcementExportView(supervisor, made.exportId))!;
    expect(exportRow(page).stateWords).toBe("DOWNLOADED");
  });
});

describe("retention", () => {
  it("removes the file once every claim in it is anonymised, and not before", async () => {
    const [first, second] = [await approvedClaim(no), await approvedClaim(no)];
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(made.claims).toBe(2);
    // Paid in full in 2026: past the creditor's retention period by 2034.
    const close = (id: string) =>
      db().claim.update({
        where: { id },
        data: { status: "PAID", closedOn: new Date("2026-11-30T00:00:00Z") },
      });
    const removedOn = async () =>
      (await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } }))
        .contentRemovedOn;

    await close(first!);
    await runRetention({ asOf: "2034-06-01", actor: "test" });
    expect(await removedOn()).toBeNull();
    expect((await download(supervisor.cookie, made.exportId)).status).toBe(200);

    await close(second!);
    await runRetention({ asOf: "2034-06-01", actor: "test" });
    expect(await removedOn()).toEqual(new Date("2034-06-01T00:00:00Z"));
    const stored = await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } });
    expect(stored.content.length).toBe(0);
    const gone = await download(supervisor.cookie, made.exportId);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("removed on 2034-06-01 under the retention rules");
    // The batch stays, with what it was, and says why its file is gone.
    const view = await enforcementExportView(supervisor, made.exportId);
    expect(view).toMatchObject({ claims: 2, sha256: stored.sha256, fileRemovedOn: "2034-06-01" });
  });
});

describe("the authority's receipt", () => {
  it("files the batch's claims and writes each resident one letter, once", async () => {
    const ids = [await approvedClaim(no), await approvedClaim(no)];
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const before = await counts();
    expect(await recordExportReceipt(supervisor, made.exportId, "   ", LATER)).toEqual({
      ok: false,
      error: "receipt_required",
    });
    expect(await recordExportReceipt(supervisor, made.exportId, "x".repeat(101), LATER)).toEqual({
      ok: false,
      error: "receipt_required",
    });
    expect(await counts()).toEqual(before);

    expect(await recordExportReceipt(supervisor, made.exportId, " SN-2026-0042 ", LATER)).toEqual({
      ok: true,
      filed: 2,
      closed: 0,
    });
    for (const id of ids) expect(await stageOf(id)).toBe("FILED");
    // Handed over: its receipt is recorded (not "sent", the word it had while only made).
    expect(exportRow((await enforcementExportView(supervisor, made.exportId))!).stateWords).toBe(
      "FILED",
    );
    const letters = await db().notice.findMany({
      where: { claimId: { in: ids }, kind: "ENFORCEMENT_FILED" },
    });
    expect(letters).toHaveLength(2);
    expect(letters.every((l) => l.status === "PENDING")).toBe(true);
    const filed = await db().event.findMany({
      where: { type: "enforcement.filed", claimId: { in: ids } },
    });
    expect(filed.map((e) => e.data)).toEqual([
      { exportId: made.exportId, receipt: "SN-2026-0042" },
      { exportId: made.exportId, receipt: "SN-2026-0042" },
    ]);
    const view = await enforcementExportView(supervisor, made.exportId);
    expect(view).toMatchObject({ status: "FILED", receipt: "SN-2026-0042" });
    expect(view?.receiptByName).toBe(`SUPERVISOR of ${no.slug}`);

    // Recorded once: a second receipt or an undo is refused and changes nothing.
    const after = await counts();
    expect(await recordExportReceipt(supervisor, made.exportId, "again", LATER)).toEqual({
      ok: false,
      error: "wrong_state",
    });
    expect(await undoEnforcementExport(supervisor, made.exportId, "Too late now", LATER)).toEqual({
      ok: false,
      error: "wrong_state",
    });
    expect(await counts()).toEqual(after);
  });

  it("leaves a claim that was paid meanwhile as it is", async () => {
    const [paid, open] = [await approvedClaim(no), await approvedClaim(no)];
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    // Paid in full after the file was made (the move the ledger makes).
    await db().$executeRaw`UPDATE "Claim" SET status = 'PAID' WHERE id = ${paid}::uuid`;
    expect(await recordExportReceipt(supervisor, made.exportId, "R-1", LATER)).toEqual({
      ok: true,
      filed: 1,
      closed: 1,
    });
    expect(await stageOf(open)).toBe("FILED");
    expect(await db().notice.count({ where: { claimId: paid, kind: "ENFORCEMENT_FILED" } })).toBe(
      0,
    );
  });
});

describe("undoing a batch", () => {
  it("gives its claims back as approved, and they can be exported again", async () => {
    const id = await approvedClaim(no, { claimType: "kindergarten" });
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "namsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const before = await counts();
    // Under five characters, or over 2,000 (the page's message gives both limits): refused.
    for (const reason of ["no", "x".repeat(2_001)])
      expect(await undoEnforcementExport(supervisor, made.exportId, reason, LATER)).toEqual({
        ok: false,
        error: "reason_required",
      });
    expect(await counts()).toEqual(before);
    expect(
      await undoEnforcementExport(
        supervisor,
        made.exportId,
        "The upload to the desk failed",
        LATER,
      ),
    ).toEqual({ ok: true, returned: 1, closed: 0 });
    expect(await stageOf(id)).toBe("ENFORCEMENT_APPROVED");
    expect(
      await db().enforcementFiling.findUniqueOrThrow({ where: { claimId: id } }),
    ).toMatchObject({ exportId: null, exportedAt: null });
    const undone = await db().event.findFirstOrThrow({
      where: { type: "enforcement.export_undone", claimId: id },
    });
    expect(undone.data).toEqual({
      exportId: made.exportId,
      reason: "The upload to the desk failed",
    });
    expect(
      await db().enforcementExport.findUniqueOrThrow({ where: { id: made.exportId } }),
    ).toMatchObject({
      status: "UNDONE",
      undoReason: "The upload to the desk failed",
      undoneBy: `staff:${supervisor.staffId}`,
    });
    // The file of the undone batch stays as it was made.
    expect((await download(supervisor.cookie, made.exportId)).status).toBe(200);

    const again = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "namsmann" },
      LATER,
    );
    expect(again).toMatchObject({ ok: true, claims: 1 });
    expect(await stageOf(id)).toBe("ENFORCEMENT_EXPORTED");
    expect(await recordExportReceipt(supervisor, made.exportId, "R-2", LATER)).toEqual({
      ok: false,
      error: "wrong_state",
    });
  });
});

describe("who may", () => {
  it("shows another creditor's staff nothing, and lets them change nothing", async () => {
    const id = await approvedClaim(no);
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const before = await counts();
    expect(
      await makeEnforcementExport(outsider, { creditorId: no.id, route: "saernamsmann" }, NOW),
    ).toEqual({ ok: false, error: "not_found" });
    expect(await enforcementExportView(outsider, made.exportId)).toBeNull();
    expect(await enforcementExportFile(outsider, made.exportId, NOW)).toBeNull();
    expect(await recordExportReceipt(outsider, made.exportId, "R-3", LATER)).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(await undoEnforcementExport(outsider, made.exportId, "Not mine at all", LATER)).toEqual({
      ok: false,
      error: "not_found",
    });
    expect((await listEnforcementExports(outsider)).some((b) => b.id === made.exportId)).toBe(
      false,
    );
    expect((await exportOverview(outsider, NOW)).some((c) => c.creditorId === no.id)).toBe(false);
    expect(await counts()).toEqual(before);
    expect(await stageOf(id)).toBe("ENFORCEMENT_EXPORTED");
  });

  it("lets no agent make, file or undo a batch", async () => {
    const id = await approvedClaim(no);
    const before = await counts();
    expect(
      await makeEnforcementExport(agent, { creditorId: no.id, route: "saernamsmann" }, NOW),
    ).toEqual({ ok: false, error: "role" });
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const after = await counts();
    expect(after.exports).toBe(before.exports + 1);
    expect(await recordExportReceipt(agent, made.exportId, "R-4", LATER)).toEqual({
      ok: false,
      error: "role",
    });
    expect(await undoEnforcementExport(agent, made.exportId, "An agent tries", LATER)).toEqual({
      ok: false,
      error: "role",
    });
    expect(await enforcementExportView(agent, made.exportId)).toBeNull();
    expect(await exportOverview(agent, NOW)).toEqual([]);
    expect(await counts()).toEqual(after);
    expect(await stageOf(id)).toBe("ENFORCEMENT_EXPORTED");
  });
});

describe("a claim on its way to the authority, or with it", () => {
  it("is not sent back, approved or exported again, planned or objected to", async () => {
    const id = await approvedClaim(no);
    const made = await makeEnforcementExport(
      supervisor,
      { creditorId: no.id, route: "saernamsmann" },
      NOW,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const residentId = (await db().claim.findUniqueOrThrow({ where: { id } })).residentId;
    const check = async () => {
      expect(
        await sendBackFromEnforcement(supervisor, id, "Resident phoned us", NOW, "http://x"),
      ).toEqual({ ok: false, error: "not_found" });
      expect(await approveEnforcement(supervisor, id, NOW)).toMatchObject({
        ok: false,
        reasons: expect.arrayContaining(["not_ready"]),
      });
      expect(
        await fileDispute({
          residentId,
          claimId: id,
          reason: "OTHER",
          text: "I do not owe this",
          files: [],
          now: NOW,
        }),
      ).toEqual({
        ok: false,
        errors: [{ field: "claimId", message: "dispute.error.withEnforcement" }],
      });
      expect(
        await requestPlan({ residentId, claimIds: [id], by: { months: 6 }, now: NOW }),
      ).toEqual({ ok: false, error: "with_enforcement" });
      expect(await db().hold.count({ where: { claimId: id } })).toBe(0);
      expect((await db().claim.findUniqueOrThrow({ where: { id } })).nextActionOn).toBeNull();
    };
    await check();
    expect(
      await makeEnforcementExport(supervisor, { creditorId: no.id, route: "saernamsmann" }, NOW),
    ).toEqual({ ok: false, error: "nothing_to_export" });
    await recordExportReceipt(supervisor, made.exportId, "R-5", LATER);
    expect(await stageOf(id)).toBe("FILED");
    await check();
  });
});
