import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLAIM_MACHINE,
  CLAIM_MOVES,
  CLAIM_PLACES,
  placeOf,
  type ClaimMove,
  type ClaimPlace,
} from "~/domain/claim-transitions";
import { CLAIM_STAGES } from "~/domain/claim-stages";
import { IllegalMoveError, ROLES, type Role } from "~/domain/state-machine";
import { db, disconnectDb, type Tx } from "~/infra/db.server";
import { callerFor, elvdalClaim, seedDemo } from "../../../server/test-support/fixtures";
import { applyClaimMove, StaleClaimError, type ClaimMoveRequest } from "./claim-writer.server";
import { receiveClaim } from "./intake.server";
import { loadClaim } from "./load-claims.server";

/*
 * Walks the claim transition table on a real claim in PostgreSQL: from every place, every move.
 * A move in the table is written once, leads where the table says and writes its event; any
 * other is refused with a clear error and changes nothing. Each case runs in a transaction that
 * is rolled back, so every case starts from the same claim.
 */

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

class Rollback extends Error {}

let claimId = "";
let chargeId = "";

beforeAll(async () => {
  const created = await receiveClaim(await callerFor("elvdal"), elvdalClaim(), new Date());
  if (created.kind !== "created") throw new Error(JSON.stringify(created));
  claimId = created.claim.id;
  chargeId = (await db().charge.findFirstOrThrow({ where: { claimId } })).id;
});

/** Puts the claim in a place (a test's own set-up, not a move). */
async function placeClaim(tx: Tx, place: ClaimPlace) {
  const open = (CLAIM_STAGES as readonly string[]).includes(place);
  await tx.$executeRawUnsafe(
    `UPDATE "Claim" SET status = $2::"ClaimStatus", stage = $3::"ClaimStage" WHERE id = $1::uuid`,
    claimId,
    open ? "OPEN" : place,
    open ? place : "PAYMENT_DEMAND",
  );
  // Sent back from the queue: to the last rung it reached.
  await tx.$executeRawUnsafe(
    `INSERT INTO "ClaimStep" (id, "claimId", key, "takenOn", "eventId")
     VALUES (gen_random_uuid(), $1::uuid, 'COLLECTION_NOTICE', '2026-09-20', 1)`,
    claimId,
  );
}

const roleFor = (move: ClaimMove): Role => CLAIM_MACHINE.moves[move].by[0]!;

function request(claim: ClaimMoveRequest["claim"], move: ClaimMove, role: Role): ClaimMoveRequest {
  return {
    claim,
    move,
    by: { role, id: role === "system" ? "system" : `${role}:test` },
    on: "2026-10-01",
    reason: "A reason given in the test",
    data: dataFor(move),
    ...(move === "cancel_fee" || move === "write_off_fee"
      ? { cancelCharge: { id: chargeId } }
      : {}),
    ...(["send_back", "renew_deadline", "send_reminder"].includes(move)
      ? { step: { id: randomUUID(), key: `TEST:${move}`, deadline: "2026-10-20" } }
      : {}),
  };
}

function dataFor(move: ClaimMove): Record<string, unknown> {
  const step = { step: "TEST", deadline: null, fee: null };
  switch (move) {
    case "send_reminder":
    case "send_collection_notice":
    case "send_payment_demand":
    case "queue_for_enforcement":
    case "renew_deadline":
      return step;
    case "send_back":
      return { toStage: "COLLECTION_NOTICE", deadlineDays: 14 };
    case "export_for_enforcement":
    case "undo_export":
      return { exportId: randomUUID() };
    case "file":
      return { exportId: randomUUID(), receipt: "R-1" };
    case "cancel_fee":
      return { chargeId };
    case "write_off":
      return { amount: 100 };
    case "keep_collecting":
      return { amount: 100, since: "2026-09-01" };
    case "write_off_fee":
      return { chargeId, kind: "REMINDER_FEE", amount: 3500 };
    default:
      return {};
  }
}

/** Runs `fn` on the claim in `place` and rolls everything back; returns what `fn` returned. */
async function inPlace<T>(place: ClaimPlace, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db()
    .$transaction(async (tx) => {
      await placeClaim(tx, place);
      result = await fn(tx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result!;
}

async function stateOf(tx: Tx) {
  const claim = (await loadClaim(tx, { ids: [claimId] }))!;
  const events = await tx.event.findMany({
    where: { claimId },
    select: { type: true },
    orderBy: { id: "asc" },
  });
  return { claim, events: events.map((e) => e.type) };
}

describe("the claim transition table, walked", () => {
  const cases = CLAIM_PLACES.flatMap((place) =>
    CLAIM_MOVES.filter((m) => m !== "receive").map((move) => [place, move] as const),
  );

  it.each(cases)("from %s: %s", async (place, move) => {
    const spec = CLAIM_MACHINE.moves[move];
    const allowed = (spec.from as readonly ClaimPlace[]).includes(place);
    const outcome = await inPlace(place, async (tx) => {
      const before = await stateOf(tx);
      try {
        await applyClaimMove(tx, request(before.claim, move, roleFor(move)));
      } catch (error) {
        const after = await stateOf(tx);
        return { error, before, after };
      }
      return { error: null, before, after: await stateOf(tx) };
    });
    if (allowed) {
      expect(outcome.error).toBeNull();
      const expected =
        spec.to === "same"
          ? place
          : spec.to === "back"
            ? // A closed claim (paid, written off) reopens at the stage it stood at; one sent
              // back from the queue goes to its last rung.
              (CLAIM_STAGES as readonly string[]).includes(place)
              ? "COLLECTION_NOTICE"
              : "PAYMENT_DEMAND"
            : spec.to;
      expect(placeOf(outcome.after.claim)).toBe(expected);
      expect(outcome.after.events).toEqual([...outcome.before.events, spec.event]);
    } else {
      expect(outcome.error).toBeInstanceOf(IllegalMoveError);
      expect((outcome.error as IllegalMoveError).code).toBe("wrong_state");
      expect((outcome.error as Error).message).toContain(`cannot ${move} from ${place}`);
      expect(outcome.after).toEqual(outcome.before);
    }
  });

  it("refuses a move by someone the table does not name, and one without a required reason", async () => {
    for (const move of CLAIM_MOVES.filter((m) => m !== "receive")) {
      const spec = CLAIM_MACHINE.moves[move];
      const place = spec.from[0]!;
      const outsider = ROLES.find((r) => !spec.by.includes(r));
      if (outsider) {
        const outcome = await inPlace(place, async (tx) => {
          const before = await stateOf(tx);
          const error = await applyClaimMove(tx, request(before.claim, move, outsider)).catch(
            (e: unknown) => e,
          );
          return { error, before, after: await stateOf(tx) };
        });
        expect(outcome.error, `${move} by ${outsider}`).toBeInstanceOf(IllegalMoveError);
        expect((outcome.error as IllegalMoveError).code).toBe("not_allowed");
        expect(outcome.after).toEqual(outcome.before);
      }
      if (spec.reason) {
        const error = await inPlace(place, async (tx) => {
          const before = await stateOf(tx);
          return applyClaimMove(tx, { ...request(before.claim, move, roleFor(move)), reason: " " })
            .then(() => null)
            .catch((e: unknown) => e);
        });
        expect((error as IllegalMoveError).code, move).toBe("reason_required");
      }
    }
  });

  it("refuses to write on a claim that changed since it was read, and writes nothing", async () => {
    const outcome = await inPlace("REMINDER", async (tx) => {
      const before = await stateOf(tx);
      // Someone else moved the claim on meanwhile.
      await tx.$executeRawUnsafe(
        `UPDATE "Claim" SET stage = 'COLLECTION_NOTICE' WHERE id = $1::uuid`,
        claimId,
      );
      const error = await applyClaimMove(
        tx,
        request(before.claim, "send_collection_notice", "system"),
      ).catch((e: unknown) => e);
      return { error, events: (await stateOf(tx)).events, before };
    });
    expect(outcome.error).toBeInstanceOf(StaleClaimError);
    expect(outcome.events).toEqual(outcome.before.events);
  });

  it("creates a claim only by receiving it: open and invoiced, as the schema's defaults", async () => {
    const claim = (await loadClaim(undefined, { ids: [claimId] }))!;
    expect(CLAIM_MACHINE.moves.receive.to).toBe("INVOICED");
    expect({ status: claim.status, stage: claim.stage }).toEqual({
      status: "OPEN",
      stage: "INVOICED",
    });
  });
});
