import { z } from "zod/v4";
import { BALANCE_CATEGORIES, type AllocationOrder } from "./balance";
import type { Country } from "./calendar-date";
import { PLAN_STAGES, type PlanRules } from "./payment-plan";
import { STEP_STAGES, type Policy, type PolicyError, type StepStage } from "./policy";
import { WRITE_OFF_MODES, type WriteOffMode, type WriteOffRule } from "./write-off";

/*
 * The Case flows page's draft form (decision 0105): plain fields a person fills in, turned into a
 * policy in the shape `policy set` reads, which `validatePolicy` then checks against the law. The
 * fields are listed as data (`POLICY_FIELDS`, `PLAN_FIELDS`, `STEP_FIELDS`): a new policy value is
 * one more row there, one label in the locales, and one line in `toContent`/`toValues`.
 * Amounts are typed in main units (70 or 70,00) and stored in minor units.
 */

export type FieldKind = "int" | "money" | "bool" | "choice";
/** A field typed in or ticked; a choice (the write-off mode) is a select of its own. */
export type Field = { name: string; kind: Exclude<FieldKind, "choice"> };

/** The draft as stored: a policy, and the days a printed letter takes (a Policy column). */
export type DraftContent = Policy & { postalDays: number };

export const STEP_FEE_KIND = {
  REMINDER: "REMINDER_FEE",
  COLLECTION_NOTICE: "COLLECTION_FEE",
  PAYMENT_DEMAND: "PAYMENT_DEMAND_FEE",
} as const;

export const POLICY_FIELDS: Field[] = [
  { name: "enforcementMinimum", kind: "money" },
  { name: "chargesInterest", kind: "bool" },
  { name: "resumeDeadlineDays", kind: "int" },
  { name: "postalDays", kind: "int" },
];

export const PLAN_FIELDS: Field[] = [
  { name: "maxMonths", kind: "int" },
  { name: "minInstalment", kind: "money" },
  { name: "maxTotal", kind: "money" },
  { name: "maxPlans", kind: "int" },
  { name: "plansWindowMonths", kind: "int" },
  { name: "maxDeferralMonths", kind: "int" },
  { name: "planFee", kind: "money" },
  { name: "maxFeeSharePercent", kind: "int" },
  { name: "graceDays", kind: "int" },
  { name: "firstDueDays", kind: "int" },
];

/** Small balances (decision 0106): the rule's values; `writeOff.on` and `writeOff.mode` beside. */
export const WRITE_OFF_FIELDS: Field[] = [
  { name: "belowMinor", kind: "money" },
  { name: "afterDays", kind: "int" },
  { name: "feesAndInterestOnly", kind: "bool" },
];

export const STEP_FIELDS: Field[] = [
  { name: "on", kind: "bool" },
  { name: "daysAfter", kind: "int" },
  { name: "notice", kind: "bool" },
  { name: "deadlineDays", kind: "int" },
  { name: "fee", kind: "money" },
];

/** The stages a creditor of this country can use (the payment demand is Norwegian). */
export const stagesFor = (country: Country): StepStage[] =>
  STEP_STAGES.filter((s) => s !== "PAYMENT_DEMAND" || country === "NO");

export type FormValues = Record<string, string>;
export type FormError = { field: string; message: string; code?: "int" | "money" | "mode" };

const intText = z
  .string()
  .trim()
  .regex(/^\d{1,6}$/);
const moneyText = z
  .string()
  .trim()
  .regex(/^\d{1,9}([.,]\d{1,2})?$/);

const toMinor = (text: string): number => {
  const [whole, frac = ""] = text.trim().replace(",", ".").split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
};
const toMajor = (minor: number): string => (minor / 100).toFixed(2);

/** The form's values as a draft, or every field that is not a number of the right kind. */
export function toContent(
  values: FormValues,
  country: Country,
): { ok: true; content: DraftContent } | { ok: false; errors: FormError[] } {
  const errors: FormError[] = [];
  const read = (
    name: string,
    kind: Field["kind"],
    optional = false,
  ): number | boolean | undefined => {
    const raw = values[name] ?? "";
    if (kind === "bool") return raw === "on" || raw === "true" || raw === "1";
    if (optional && raw.trim() === "") return undefined;
    const parsed = (kind === "int" ? intText : moneyText).safeParse(raw);
    if (!parsed.success) {
      errors.push({ field: name, message: kind, code: kind });
      return undefined;
    }
    return kind === "int" ? Number(parsed.data) : toMinor(parsed.data);
  };
  const steps = stagesFor(country)
    .filter((stage) => read(`step.${stage}.on`, "bool"))
    .map((stage) => {
      const notice = stage !== "READY_FOR_ENFORCEMENT" && read(`step.${stage}.notice`, "bool") === true; // prettier-ignore
      const daysAfter = read(`step.${stage}.daysAfter`, "int") as number;
      if (stage === "READY_FOR_ENFORCEMENT") return { stage, daysAfter, notice: false };
      const deadlineDays = read(`step.${stage}.deadlineDays`, "int", !notice) as number | undefined; // prettier-ignore
      const fee = read(`step.${stage}.fee`, "money", true) as number | undefined;
      return {
        stage,
        daysAfter,
        notice,
        ...(deadlineDays !== undefined ? { deadlineDays } : {}),
        ...(fee ? { fee: { kind: STEP_FEE_KIND[stage], amount: fee } } : {}),
      };
    });
  const order = [0, 1, 2].map((i) => values[`allocation.${i}`] ?? "");
  let planRules: PlanRules | undefined;
  if (read("plan.on", "bool")) {
    const rules: Record<string, unknown> = {
      qualifyingStages: PLAN_STAGES.filter((s) => read(`plan.stage.${s}`, "bool")),
    };
    for (const f of PLAN_FIELDS) {
      const v = read(`plan.${f.name}`, f.kind, f.name === "maxFeeSharePercent");
      if (v !== undefined) rules[f.name] = v;
    }
    planRules = rules as PlanRules;
  }
  let writeOff: WriteOffRule | undefined;
  if (read("writeOff.on", "bool")) {
    const mode = values["writeOff.mode"] ?? "";
    if (!(WRITE_OFF_MODES as readonly string[]).includes(mode))
      errors.push({ field: "writeOff.mode", message: "mode", code: "mode" });
    writeOff = {
      belowMinor: (read("writeOff.belowMinor", "money", true) as number | undefined) ?? 0,
      afterDays: read("writeOff.afterDays", "int") as number,
      feesAndInterestOnly: read("writeOff.feesAndInterestOnly", "bool") as boolean,
      mode: mode as WriteOffMode,
    };
  }
  const content = {
    steps,
    enforcementMinimum: read("enforcementMinimum", "money") as number,
    chargesInterest: read("chargesInterest", "bool") as boolean,
    allocationOrder: order as unknown as AllocationOrder,
    resumeDeadlineDays: read("resumeDeadlineDays", "int") as number,
    postalDays: read("postalDays", "int") as number,
    ...(planRules ? { planRules } : {}),
    ...(writeOff ? { writeOff } : {}),
  };
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: content as DraftContent };
}

/** A policy (or draft) as the form's values, to fill the form in. */
export function toValues(p: DraftContent): FormValues {
  const v: FormValues = {
    enforcementMinimum: toMajor(p.enforcementMinimum),
    chargesInterest: p.chargesInterest ? "on" : "",
    resumeDeadlineDays: String(p.resumeDeadlineDays),
    postalDays: String(p.postalDays),
  };
  p.allocationOrder.forEach((c, i) => (v[`allocation.${i}`] = c));
  for (const s of p.steps) {
    v[`step.${s.stage}.on`] = "on";
    v[`step.${s.stage}.daysAfter`] = String(s.daysAfter);
    v[`step.${s.stage}.notice`] = s.notice ? "on" : "";
    if (s.deadlineDays !== undefined) v[`step.${s.stage}.deadlineDays`] = String(s.deadlineDays);
    if (s.fee) v[`step.${s.stage}.fee`] = toMajor(s.fee.amount);
  }
  if (p.planRules) {
    v["plan.on"] = "on";
    for (const s of p.planRules.qualifyingStages) v[`plan.stage.${s}`] = "on";
    for (const f of PLAN_FIELDS) {
      const x = (p.planRules as Record<string, unknown>)[f.name];
      if (typeof x === "number") v[`plan.${f.name}`] = f.kind === "money" ? toMajor(x) : String(x);
    }
  }
  if (p.writeOff) {
    v["writeOff.on"] = "on";
    v["writeOff.belowMinor"] = toMajor(p.writeOff.belowMinor);
    v["writeOff.afterDays"] = String(p.writeOff.afterDays);
    v["writeOff.feesAndInterestOnly"] = p.writeOff.feesAndInterestOnly ? "on" : "";
    v["writeOff.mode"] = p.writeOff.mode;
  }
  return v;
}

/** The form field a `validatePolicy` error is about, so the reason is shown beside it. */
export function fieldOfError(e: Pick<PolicyError, "path">, content: DraftContent): string {
  const step = /^steps\.(\d+)(?:\.(\w+))?/.exec(e.path);
  if (step) {
    const stage = content.steps[Number(step[1])]?.stage ?? "REMINDER";
    const part = step[2] ?? "on";
    return `step.${stage}.${part === "stage" ? "on" : part}`;
  }
  const plan = /^planRules\.(\w+)/.exec(e.path);
  if (plan) return plan[1] === "qualifyingStages" ? "plan.on" : `plan.${plan[1]}`;
  if (e.path === "allocationOrder") return "allocation.0";
  const writeOff = /^writeOff(?:\.(\w+))?/.exec(e.path);
  if (writeOff) return writeOff[1] ? `writeOff.${writeOff[1]}` : "writeOff.on";
  return e.path || "form";
}

export const ALLOCATION_CATEGORIES = BALANCE_CATEGORIES;

/** A draft's content as it was stored (Json), trusted only after `validatePolicy`. */
export function contentOf(row: {
  steps: unknown;
  enforcementMinimum: number;
  chargesInterest: boolean;
  allocationOrder: string[];
  resumeDeadlineDays: number;
  postalDays: number;
  planRules: unknown;
  writeOff?: unknown;
}): DraftContent {
  return {
    steps: row.steps as Policy["steps"],
    enforcementMinimum: row.enforcementMinimum,
    chargesInterest: row.chargesInterest,
    allocationOrder: row.allocationOrder as unknown as AllocationOrder,
    resumeDeadlineDays: row.resumeDeadlineDays,
    postalDays: row.postalDays,
    ...(row.planRules ? { planRules: row.planRules as PlanRules } : {}),
    ...(row.writeOff ? { writeOff: row.writeOff as WriteOffRule } : {}),
  };
}

export type Change = { field: string; kind: FieldKind; before: string; after: string };

/** Every field in the form's order (steps, the policy's values, plan rules, small balances). */
export function fieldOrder(country: Country): { name: string; kind: FieldKind }[] {
  return [
    ...stagesFor(country).flatMap((s) =>
      STEP_FIELDS.map((f) => ({ name: `step.${s}.${f.name}`, kind: f.kind })),
    ),
    ...POLICY_FIELDS,
    ...[0, 1, 2].map((i) => ({ name: `allocation.${i}`, kind: "int" as const })),
    { name: "plan.on", kind: "bool" },
    ...PLAN_STAGES.map((s) => ({ name: `plan.stage.${s}`, kind: "bool" as const })),
    ...PLAN_FIELDS.map((f) => ({ name: `plan.${f.name}`, kind: f.kind })),
    { name: "writeOff.on", kind: "bool" },
    ...WRITE_OFF_FIELDS.map((f) => ({ name: `writeOff.${f.name}`, kind: f.kind })),
    { name: "writeOff.mode", kind: "choice" },
  ];
}

/** What changed from one version to the next, field by field, in the form's words. */
export function diffPolicies(
  before: DraftContent,
  after: DraftContent,
  country: Country,
): Change[] {
  const a = toValues(before);
  const b = toValues(after);
  return fieldOrder(country)
    .filter((f) => (a[f.name] ?? "") !== (b[f.name] ?? ""))
    .map((f) => ({ field: f.name, kind: f.kind, before: a[f.name] ?? "", after: b[f.name] ?? "" }));
}
