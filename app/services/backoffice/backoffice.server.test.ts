import { randomUUID } from "node:crypto";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { readPdf } from "~/integrations/letters/pdf-test-support";
import { letterOf, noticesForLetters } from "../letters/letter-of.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptFile } from "~/infra/pii.server";
import { env } from "~/infra/env.server";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { caseView, staffAttachment } from "./case.server";
import { decideDispute } from "./decisions.server";
import { staffPlaceHold } from "./staff-holds.server";
import { queueCounts, queueItems, type StaffContext } from "./queues.server";
import { approveEnforcement } from "./enforcement.server";
import { makeEnforcementExport } from "./enforcement-exports.server";
import { receiveClaim } from "../claims/intake.server";

const NOW = new Date("2026-11-22T10:00:00Z");
const run = Date.now().toString(36);
let creditorId: string;
let otherCreditorId: string;
let supervisor: StaffContext;
let agent: StaffContext;
let outsider: StaffContext;

/** A claim already in the enforcement queue, as the engine left it before anything changed. */
async function queuedClaim(
  principal: number,
  resident: {
    nationalId: string;
    name: string;
    address?: { lines: string[]; postalCode: string; city: string };
  } = { nationalId: "06866120046", name: "Oda Outbox" },
) {
  const c = await db().creditor.findUniqueOrThrow({ where: { id: creditorId } });
  const result = await receiveClaim(
    { creditorId: c.id, keyId: "test", country: "NO", currency: "NOK", timeZone: "Europe/Oslo" },
    {
      externalId: `ENF-${run}-${randomUUID().slice(0, 8)}`,
      claimType: "water",
      resident,
      description: "Vann",
      currency: "NOK",
      principal,
      issuedOn: "2026-01-01",
      dueOn: "2026-02-01",
    },
    new Date("2026-02-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  await db().claim.update({
    where: { id: result.claim.id },
    data: { stage: "READY_FOR_ENFORCEMENT" },
  });
  return result.claim.id;
}

beforeAll(async () => {
  await seedDemo();
  const { creditor } = await createTestCreditor(`enf-${run}`, "NO");
  creditorId = creditor.id;
  otherCreditorId = (await db().creditor.findUniqueOrThrow({ where: { slug: "vastkust" } })).id;
  supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorId] };
  agent = { staffId: randomUUID(), role: "AGENT", creditorIds: [creditorId] };
  outsider = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [otherCreditorId] };
});
afterAll(() => disconnectDb());

describe("the back office", () => {
  it("counts a queue in the database and lists its oldest items first, a page at a time", async () => {
    // Three claims queued on different days; the staff of another creditor sees none of them.
    const ids = [
      await queuedClaim(210_000),
      await queuedClaim(220_000),
      await queuedClaim(230_000),
    ];
    const days = ["2026-03-03", "2026-03-01", "2026-03-02"];
    for (const [i, id] of ids.entries())
      await db().claim.update({ where: { id }, data: { stageEnteredOn: new Date(days[i]!) } });
    const before = (await queueCounts(supervisor)).enforcement;
    const all = await queueItems(supervisor, "enforcement");
    expect(before.count).toBe(all.length);
    expect(before.oldest?.toISOString().slice(0, 10)).toBe(
      all[0]!.since.toISOString().slice(0, 10),
    );
    const oldestTwo = await queueItems(supervisor, "enforcement", 2);
    expect(oldestTwo.map((i) => i.since.toISOString().slice(0, 10))).toEqual(
      all.slice(0, 2).map((i) => i.since.toISOString().slice(0, 10)),
    );
    expect(all.findIndex((i) => i.claimId === ids[1])).toBeLessThan(
      all.findIndex((i) => i.claimId === ids[2]),
    );
    expect(all.findIndex((i) => i.claimId === ids[2])).toBeLessThan(
      all.findIndex((i) => i.claimId === ids[0]),
    );
    const theirs = (await queueCounts(outsider, ["enforcement"])).enforcement;
    const theirItems = await queueItems(outsider, "enforcement");
    expect(theirs.count).toBe(theirItems.length);
    expect(theirItems.some((i) => ids.includes(i.claimId!))).toBe(false);
  });

  it("shows staff only their own creditors' claims and lets them act on nothing else", async () => {
    const claimId = await queuedClaim(300_000);
    expect(await caseView(outsider, claimId, NOW)).toBeNull();
    expect(
      (
        await staffPlaceHold(outsider, {
          claimId,
          kind: "MANUAL",
          reason: "Not mine to hold",
          now: NOW,
        })
      ).ok,
    ).toBe(false);
    expect(await approveEnforcement(outsider, claimId, NOW)).toEqual({
      ok: false,
      reasons: ["not_found"],
    });
    expect((await queueItems(outsider, "enforcement")).some((i) => i.claimId === claimId)).toBe(
      false,
    );
    expect((await queueItems(supervisor, "enforcement")).some((i) => i.claimId === claimId)).toBe(
      true,
    );
    const view = await caseView(supervisor, claimId, NOW);
    expect(view?.resident.nationalIdMasked).toMatch(/\*+$/);
    expect(await db().event.count({ where: { claimId, type: "staff.viewed_case" } })).toBe(1);
  });

  it("serves a dispute's document to no staff member of another creditor", async () => {
    const claimId = await queuedClaim(300_000);
    const residentId = (await db().claim.findUniqueOrThrow({ where: { id: claimId } })).residentId;
    const hold = await db().hold.create({
      data: { claimId, kind: "DISPUTE", reason: "dispute", startsOn: new Date("2026-11-01") },
    });
    const dispute = await db().dispute.create({
      data: { claimId, residentId, reason: "OTHER", text: "See letter", holdId: hold.id },
    });
    const attachment = await db().attachment.create({
      data: {
        disputeId: dispute.id,
        fileName: "letter.pdf",
        contentType: "application/pdf",
        size: 10,
        sha256: "x",
        storageKey: randomUUID(),
      },
    });
    expect(await staffAttachment(outsider, attachment.id)).toBeNull();
    expect(
      (
        await decideDispute(outsider, {
          disputeId: dispute.id,
          decision: "uphold",
          reason: "Not my creditor",
          now: NOW,
        })
      ).ok,
    ).toBe(false);
    expect(
      await db().event.count({
        where: { type: "staff.viewed_attachment", actor: `staff:${outsider.staffId}` },
      }),
    ).toBe(0);
  });

  it("counts only the first of two decisions on one dispute sent at once", async () => {
    const claimId = await queuedClaim(300_000);
    const residentId = (await db().claim.findUniqueOrThrow({ where: { id: claimId } })).residentId;
    const hold = await db().hold.create({
      data: { claimId, kind: "DISPUTE", reason: "dispute", startsOn: new Date("2026-11-01") },
    });
    const dispute = await db().dispute.create({
      data: { claimId, residentId, reason: "OTHER", text: "Not mine", holdId: hold.id },
    });
    const decide = (decision: "uphold" | "reject") =>
      decideDispute(supervisor, {
        disputeId: dispute.id,
        decision,
        reason: "Checked it",
        now: NOW,
      });
    const results = await Promise.all([decide("uphold"), decide("reject")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: "already_decided" });
    const decided = await db().event.count({
      where: { claimId, type: { in: ["dispute.upheld", "dispute.rejected"] } },
    });
    expect(decided).toBe(1);
    // One decision, one letter to the resident, waiting to leave by the resident's channel; its
    // PDF says what was decided and why.
    const letters = await db().notice.findMany({
      where: { claimId, kind: { in: ["DISPUTE_UPHELD", "DISPUTE_REJECTED"] } },
    });
    expect(letters).toHaveLength(1);
    expect(letters[0]!.status).toBe("PENDING");
    const [notice] = await noticesForLetters(undefined, [letters[0]!.id]);
    const { text } = await readPdf(await renderLetterPdf(letterOf(notice!, "2026-11-20", null)));
    expect(text).toContain("Checked it");
  });

  it("lets no agent approve enforcement", async () => {
    const claimId = await queuedClaim(300_000);
    expect(await approveEnforcement(agent, claimId, NOW)).toEqual({ ok: false, reasons: ["role"] });
  });

  it("re-checks holds, disputes, flags and the minimum at the moment of approval", async () => {
    const held = await queuedClaim(300_000);
    await staffPlaceHold(supervisor, {
      claimId: held,
      kind: "MANUAL",
      reason: "Checking an address",
      now: NOW,
    });
    expect(await approveEnforcement(supervisor, held, NOW)).toMatchObject({
      ok: false,
      reasons: ["held"],
    });

    const small = await queuedClaim(15_000);
    expect(await approveEnforcement(supervisor, small, NOW)).toMatchObject({
      ok: false,
      reasons: ["below_minimum"],
    });

    const disputed = await queuedClaim(300_000);
    const residentId = (await db().claim.findUniqueOrThrow({ where: { id: disputed } })).residentId;
    const hold = await db().hold.create({
      data: {
        claimId: disputed,
        kind: "DISPUTE",
        reason: "dispute",
        startsOn: new Date("2026-11-01"),
      },
    });
    const dispute = await db().dispute.create({
      data: {
        claimId: disputed,
        residentId,
        reason: "ALREADY_PAID",
        text: "I paid in cash",
        holdId: hold.id,
      },
    });
    const refused = await approveEnforcement(supervisor, disputed, NOW);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.reasons).toEqual(expect.arrayContaining(["held", "open_dispute"]));

    // Rejecting the dispute lifts its hold: still not approvable until the fresh deadline and
    // the engine move it again; here the stage is forced back to the queue to test the flag.
    expect(
      (
        await decideDispute(supervisor, {
          disputeId: dispute.id,
          decision: "reject",
          reason: "No payment found",
          now: NOW,
        })
      ).ok,
    ).toBe(true);
    const flag = await db().vulnerabilityFlag.create({
      data: { residentId, kind: "HARDSHIP", note: "Lost job", raisedBy: "resident" },
    });
    const vulnerable = await approveEnforcement(supervisor, disputed, NOW);
    expect(vulnerable.ok).toBe(false);
    if (!vulnerable.ok) expect(vulnerable.reasons).toContain("vulnerable");
    await db().vulnerabilityFlag.update({ where: { id: flag.id }, data: { resolvedAt: NOW } });
  });

  it("approves nothing whose letters have not all left and arrived", async () => {
    const claimId = await queuedClaim(300_000);
    const letter = await db().notice.create({
      data: {
        claimId,
        kind: "PAYMENT_DEMAND",
        sentOn: new Date("2026-11-01"),
        language: "nb",
        content: {},
      },
    });
    expect(await approveEnforcement(supervisor, claimId, NOW)).toEqual({
      ok: false,
      reasons: ["letter_not_sent"],
    });
    await db().notice.update({ where: { id: letter.id }, data: { status: "RETURNED" } });
    expect(await approveEnforcement(supervisor, claimId, NOW)).toEqual({
      ok: false,
      reasons: ["letter_not_sent"],
    });
    await db().notice.update({
      where: { id: letter.id },
      data: { status: "DELIVERED", dispatchedOn: new Date("2026-11-02") },
    });
    expect(await approveEnforcement(supervisor, claimId, NOW)).toEqual({ ok: true });
  });

  it("exports nothing without an approval, and files nothing before the authority's receipt", async () => {
    await db().creditor.update({ where: { id: creditorId }, data: { orgNumber: "998877665" } });
    const approved = await queuedClaim(300_000);
    const notApproved = await queuedClaim(300_000);
    expect(await approveEnforcement(supervisor, approved, NOW)).toEqual({ ok: true });
    const batch = { creditorId, route: "namsmann" };
    expect(await makeEnforcementExport(agent, batch, NOW)).toEqual({ ok: false, error: "role" });
    const exported = await makeEnforcementExport(supervisor, batch, NOW);
    expect(exported).toMatchObject({ ok: true });
    if (!exported.ok) return;
    const file = await db().enforcementExport.findUniqueOrThrow({
      where: { id: exported.exportId },
    });
    const [header, ...rows] = decryptFile(file.content, env().PII_ENCRYPTION_KEY)
      .toString("utf8")
      .trim()
      .split("\r\n");
    expect(header).toContain("debtor_national_identity_number");
    expect(rows.some((r) => r.includes("06866120046"))).toBe(true);
    // Exported, not filed: that waits for the authority's receipt.
    expect((await db().claim.findUniqueOrThrow({ where: { id: approved } })).stage).toBe(
      "ENFORCEMENT_EXPORTED",
    );
    expect((await db().claim.findUniqueOrThrow({ where: { id: notApproved } })).stage).toBe(
      "READY_FOR_ENFORCEMENT",
    );
    expect(await makeEnforcementExport(supervisor, batch, NOW)).toEqual({
      ok: false,
      error: "nothing_to_export",
    });
  });
});
