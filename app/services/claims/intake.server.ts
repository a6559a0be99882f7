import { recordEvent } from "../events/events.server";
import { createHash } from "node:crypto";
import { Prisma } from "~/generated/prisma/client.ts";
import type { z } from "zod/v4";
import { ClaimIntakeSchema, type ClaimIntake } from "~/api/schemas";
import { todayIn } from "~/domain/calendar-date";
import { receivedClaim } from "~/domain/claim-transitions";
import { canonicalJson } from "~/domain/canonical-json";
import { parseNationalId } from "~/domain/national-id";
import { referenceFor } from "~/domain/payment-reference";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { loadClaim, type Loaded } from "./load-claims.server";
import { refreshNextActions } from "./next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { findOrCreateResident } from "../identity/residents.server";

export type FieldError = { path: string; message: string };

export type IntakeResult =
  | { kind: "created" | "existing"; claim: ReturnType<typeof toCreated> }
  | { kind: "conflict"; detail: string }
  | { kind: "invalid"; errors: FieldError[] };

function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

/** Same meaning, same fingerprint: keys sorted, so field order in the request does not matter. */
function fingerprint(input: ClaimIntake): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

type CreatedRow = Loaded<"fingerprint">;

const FINGERPRINT = { fingerprint: `c."intakeFingerprint"` };

function toCreated(row: CreatedRow) {
  const principal = row.charges
    .filter((c) => c.kind === "PRINCIPAL")
    .reduce((s, c) => s + c.amount, 0);
  return {
    id: row.id,
    externalId: row.externalId,
    claimType: row.claimType.slug,
    paymentReference: row.paymentReference,
    status: row.status,
    stage: row.stage,
    currency: row.currency,
    principal,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
  };
}

async function findExisting(creditorId: string, externalId: string) {
  return loadClaim(undefined, { creditorId, externalId }, { extra: FINGERPRINT });
}

function replay(existing: CreatedRow, print: string): IntakeResult {
  if (existing.extra.fingerprint === print) return { kind: "existing", claim: toCreated(existing) };
  return {
    kind: "conflict",
    detail: `A claim with externalId "${existing.externalId}" was already received with different content.`,
  };
}

/**
 * Receives one unpaid invoice from a creditor's billing system. Idempotent on the creditor's
 * external id: the same request again returns the same claim; a different request under the
 * same id is a conflict. Either everything is written (resident, claim, principal, events) or nothing.
 */
export async function receiveClaim(
  caller: ApiCaller,
  body: unknown,
  now: Date,
): Promise<IntakeResult> {
  const parsed = ClaimIntakeSchema.safeParse(body);
  if (!parsed.success) return { kind: "invalid", errors: zodErrors(parsed.error) };
  const input = parsed.data;
  const today = todayIn(caller.timeZone, now);

  const errors: FieldError[] = [];
  const idCountry = input.resident.country ?? caller.country;
  const nationalId = parseNationalId(input.resident.nationalId, idCountry, today);
  if (!nationalId.ok) {
    errors.push({
      path: "resident.nationalId",
      message: `is not a valid ${idCountry === "SE" ? "Swedish personnummer" : "Norwegian fødselsnummer"} (${nationalId.error})`,
    });
  }
  if (input.currency !== caller.currency) {
    errors.push({
      path: "currency",
      message: `must be ${caller.currency}, this creditor's currency`,
    });
  }
  const claimType = await db().claimType.findUnique({
    where: { creditorId_slug: { creditorId: caller.creditorId, slug: input.claimType } },
    include: { policies: { orderBy: { version: "desc" }, take: 1 } },
  });
  if (!claimType)
    errors.push({ path: "claimType", message: "is not one of this creditor's claim types" });
  const policy = claimType?.policies[0];
  if (claimType && !policy)
    errors.push({ path: "claimType", message: "has no collection policy yet" });
  if (errors.length > 0 || !nationalId.ok || !claimType || !policy)
    return { kind: "invalid", errors };

  const print = fingerprint(input);
  const existing = await findExisting(caller.creditorId, input.externalId);
  if (existing) return replay(existing, print);

  const actor = `creditor-api:${caller.keyId}`;
  // The claim table's creating move: a new claim is OPEN and INVOICED, the schema's defaults.
  receivedClaim("creditor");
  const law = await loadLawBook();
  try {
    const created = await db().$transaction(async (tx) => {
      const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: caller.creditorId } });
      const resident = await findOrCreateResident(
        tx,
        nationalId.value,
        input.resident,
        actor,
        today,
      );
      const [{ seq }] = await tx.$queryRaw<
        [{ seq: bigint }]
      >`SELECT nextval('claim_reference_seq') AS seq`;
      const claim = await tx.claim.create({
        data: {
          creditorId: caller.creditorId,
          claimTypeId: claimType.id,
          residentId: resident.id,
          policyId: policy.id,
          externalId: input.externalId,
          intakeFingerprint: print,
          description: input.description,
          currency: input.currency,
          issuedOn: dbDate(input.issuedOn),
          dueOn: dbDate(input.dueOn),
          stageEnteredOn: dbDate(input.dueOn),
          paymentReference: referenceFor(
            creditor.referenceScheme,
            Number(seq),
            creditor.referencePrefix,
          ),
        },
      });
      const event = await recordEvent(tx, {
        claimId: claim.id,
        residentId: resident.id,
        creditorId: caller.creditorId,
        type: "claim.received",
        actor,
        on: today,
        data: {
          principal: input.principal,
          currency: input.currency,
          dueOn: input.dueOn,
          policyVersion: policy.version,
        },
      });
      await tx.charge.create({
        data: {
          claimId: claim.id,
          kind: "PRINCIPAL",
          amount: input.principal,
          chargedOn: dbDate(input.issuedOn),
          causeEventId: event,
          legalBasis: "principal.invoice",
        },
      });
      await refreshNextActions(tx, [claim.id], law, today);
      return (await loadClaim(tx, { ids: [claim.id] }, { extra: FINGERPRINT }))!;
    });
    return { kind: "created", claim: toCreated(created) };
  } catch (error) {
    // Two identical requests at once: the unique (creditor, externalId) lets one through; the
    // other answers as a repeat of it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await findExisting(caller.creditorId, input.externalId);
      if (winner) return replay(winner, print);
    }
    throw error;
  }
}

export async function listClaimTypes(creditorId: string) {
  const rows = await db().claimType.findMany({ where: { creditorId }, orderBy: { slug: "asc" } });
  return rows.map((r) => ({ slug: r.slug, name: r.name }));
}
