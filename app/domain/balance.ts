/**
 * What a resident owes on a claim, by category, after payments. The order in which a payment
 * covers costs, interest and principal is policy (see DOMAIN.md), so it is a parameter.
 */

export type ChargeKind =
  | "PRINCIPAL"
  | "REMINDER_FEE"
  | "COLLECTION_FEE"
  | "PAYMENT_DEMAND_FEE"
  | "PLAN_FEE"
  | "ENFORCEMENT_FEE"
  /** Interest that has been capitalised as a stored charge. */
  | "INTEREST";

/** Every charge kind, in the order a statement lists them; the type and the list cannot drift. */
export const CHARGE_KINDS = [
  "PRINCIPAL",
  "REMINDER_FEE",
  "COLLECTION_FEE",
  "PAYMENT_DEMAND_FEE",
  "PLAN_FEE",
  "ENFORCEMENT_FEE",
  "INTEREST",
] as const satisfies readonly ChargeKind[];

export type BalanceCategory = "costs" | "interest" | "principal";

export const BALANCE_CATEGORIES: readonly BalanceCategory[] = ["costs", "interest", "principal"];

export type AllocationOrder = readonly BalanceCategory[];

/** Costs → interest → principal, the common order in both countries (cf. BGB § 367). */
export const DEFAULT_ALLOCATION_ORDER: AllocationOrder = ["costs", "interest", "principal"];

export type CategoryAmounts = Record<BalanceCategory, number>;

export type Charge = { kind: ChargeKind; amount: number };

export type Payment = {
  amount: number;
  allocations?: Partial<CategoryAmounts>;
  /**
   * Interest forgiven when this payment settled the claim (the interest that ran on after the
   * day its amount was asked for: docs/decisions/0099). Not money: it lowers what is owed, it is
   * never paid and never credit.
   */
  waived?: number;
};

export type ClaimBalance = {
  principal: number;
  fees: number;
  interest: number;
  /** principal + fees + interest still owed; never negative. */
  total: number;
  paid: number;
  /**
   * Money received that no outstanding amount could absorb. The ledger books what a payment
   * cannot absorb as its credit (with a refund task) and passes only the rest here, so on booked
   * payments this is zero; anything else is a split that no longer fits (docs/decisions/0099).
   */
  credit: number;
  /** How the payments were applied, per category. */
  allocated: CategoryAmounts;
  /** Interest forgiven by settling payments (never more than was owed). */
  waived: number;
  /**
   * Per payment, in the order given: what of it nothing absorbed (`overflow`, its share of
   * `credit`), and how much of each recorded allocation found nothing left to pay (`excess`).
   */
  byPayment: { overflow: number; excess: CategoryAmounts }[];
};

export class BalanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BalanceError";
  }
}

export function categoryOf(kind: ChargeKind): BalanceCategory {
  switch (kind) {
    case "PRINCIPAL":
      return "principal";
    case "INTEREST":
      return "interest";
    default:
      return "costs";
  }
}

const zeroAmounts = (): CategoryAmounts => ({ costs: 0, interest: 0, principal: 0 });

function assertAmount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new BalanceError(`${what} must be a non-negative integer of minor units, got ${n}`);
  }
}

/** An order that skipped a category would silently turn money into "overpayment". */
function assertOrder(order: AllocationOrder): void {
  const complete =
    order.length === BALANCE_CATEGORIES.length &&
    BALANCE_CATEGORIES.every((c) => order.includes(c));
  if (!complete)
    throw new BalanceError(`allocation order must list each category once: ${order.join(",")}`);
}

/**
 * Splits a payment over the outstanding categories in order. Never allocates more than is
 * outstanding; what is left is overpayment. allocated + overpayment always equals amount.
 */
export function allocatePayment(
  amount: number,
  outstanding: CategoryAmounts,
  order: AllocationOrder = DEFAULT_ALLOCATION_ORDER,
): { allocated: CategoryAmounts; overpayment: number } {
  assertAmount(amount, "payment");
  assertOrder(order);
  const allocated = zeroAmounts();
  let remaining = amount;
  for (const category of order) {
    const take = Math.min(remaining, Math.max(0, outstanding[category]));
    allocated[category] = take;
    remaining -= take;
  }
  return { allocated, overpayment: remaining };
}

/**
 * Charges minus payments. Payments are applied in the given (chronological) order. A payment's
 * recorded allocations are honoured as far as the category is still outstanding; whatever
 * they do not cover (the rest of the payment, or an allocation larger than what remains, e.g.
 * after interest was recalculated) is allocated by `order`, and only then becomes credit.
 *
 * A payment's waiver lowers the interest owed before its money is applied.
 *
 * Invariant: charges + accruedInterest = total + paid − credit + waived.
 */
export function claimBalance(input: {
  charges: readonly Charge[];
  accruedInterest: number;
  payments: readonly Payment[];
  order?: AllocationOrder;
}): ClaimBalance {
  const order = input.order ?? DEFAULT_ALLOCATION_ORDER;
  assertOrder(order);
  assertAmount(input.accruedInterest, "accrued interest");

  const outstanding = zeroAmounts();
  for (const charge of input.charges) {
    assertAmount(charge.amount, `${charge.kind} charge`);
    outstanding[categoryOf(charge.kind)] += charge.amount;
  }
  outstanding.interest += input.accruedInterest;

  const allocated = zeroAmounts();
  let paid = 0;
  let credit = 0;
  let waived = 0;
  const byPayment: ClaimBalance["byPayment"] = [];
  for (const payment of input.payments) {
    assertAmount(payment.amount, "payment");
    assertAmount(payment.waived ?? 0, "waived interest");
    const waive = Math.min(payment.waived ?? 0, outstanding.interest);
    outstanding.interest -= waive;
    waived += waive;
    paid += payment.amount;
    let unapplied = payment.amount;
    const explicit = payment.allocations ?? {};
    const explicitSum = BALANCE_CATEGORIES.reduce((s, c) => s + (explicit[c] ?? 0), 0);
    if (explicitSum > payment.amount) {
      throw new BalanceError(`allocations (${explicitSum}) exceed the payment (${payment.amount})`);
    }
    const excess = zeroAmounts();
    for (const category of BALANCE_CATEGORIES) {
      const wanted = explicit[category] ?? 0;
      assertAmount(wanted, `${category} allocation`);
      const take = Math.min(wanted, outstanding[category]);
      outstanding[category] -= take;
      allocated[category] += take;
      unapplied -= take;
      excess[category] = wanted - take;
    }
    const rest = allocatePayment(unapplied, outstanding, order);
    for (const category of BALANCE_CATEGORIES) {
      outstanding[category] -= rest.allocated[category];
      allocated[category] += rest.allocated[category];
    }
    credit += rest.overpayment;
    byPayment.push({ overflow: rest.overpayment, excess });
  }

  return {
    principal: outstanding.principal,
    fees: outstanding.costs,
    interest: outstanding.interest,
    total: outstanding.principal + outstanding.costs + outstanding.interest,
    paid,
    credit,
    allocated,
    waived,
    byPayment,
  };
}
