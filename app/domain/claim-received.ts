import type { IsoDate } from "./calendar-date";
import { nextLookOn, type ClaimSnapshot } from "./claim";
import type { LawBook } from "./law-book";

/** What the intake knows of a claim it is about to write. */
export type NewClaimRow = {
  id: string;
  /** The principal charge's id. */
  charge: string;
  external: string;
  description: string;
  currency: string;
  principal: number;
  issued: IsoDate;
  due: IsoDate;
  reference: string;
  claim_type: string;
  policy: string;
};

/** The creditors, claim types and policies the new claims refer to, by id (as the loader's). */
export type SharedById = {
  creditors: Record<string, ClaimSnapshot["creditor"]>;
  claimTypes: Record<string, ClaimSnapshot["claimType"]>;
  policies: Record<string, ClaimSnapshot["policy"]>;
};

/** When the engine first looks at a claim as received: the evaluator's answer on it. */
export function firstLookOn(claim: ClaimSnapshot, law: LawBook, today: IsoDate): IsoDate | null {
  return nextLookOn(claim, law, today);
}

/**
 * A new claim as the loader will read it once written: open and invoiced (the schema's defaults,
 * which the claim transition table's `receive` move states), its principal charged on the issue
 * date by its `claim.received` event, and nothing else yet.
 */
export function receivedSnapshot(
  row: NewClaimRow,
  shared: SharedById,
  creditorId: string,
  person: { id: string; resident: ClaimSnapshot["resident"] },
): ClaimSnapshot {
  return {
    id: row.id,
    externalId: row.external,
    description: row.description,
    currency: row.currency,
    issuedOn: row.issued,
    dueOn: row.due,
    paymentReference: row.reference,
    status: "OPEN",
    stage: "INVOICED",
    stageEnteredOn: row.due,
    closedOn: null,
    nextActionOn: null,
    creditorId,
    claimTypeId: row.claim_type,
    residentId: person.id,
    policyId: row.policy,
    creditor: shared.creditors[creditorId]!,
    claimType: shared.claimTypes[row.claim_type]!,
    policy: shared.policies[row.policy]!,
    keepCollectingSince: null,
    writeOffs: [],
    charges: [
      {
        id: row.charge,
        kind: "PRINCIPAL",
        amount: row.principal,
        chargedOn: row.issued,
        causeType: "claim.received",
        legalBasis: "principal.invoice",
        cancelledOn: null,
        pending: false,
        cancelReason: null,
        writtenOff: false,
      },
    ],
    payments: [],
    holds: [],
    steps: [],
    notices: [],
    resident: person.resident,
  };
}
