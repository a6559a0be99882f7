import { BANDS, type Band } from "./amount-bands";
import {
  LETTER_KINDS,
  PAY_STAGES,
  type SimulationSide,
  type SimulationSummary,
} from "./policy-simulation";

/*
 * A simulation as a plain text table (the command line's `policy simulate`): the same rows the
 * Case flows page shows, current beside draft with the difference, and the payment assumption.
 */

const BAND_NAMES: Record<Band, string> = {
  b0: "under 200",
  b1: "200–500",
  b2: "500–1,000",
  b3: "1,000–5,000",
  b4: "over 5,000",
};

const money = (minor: number) => (minor / 100).toFixed(2);
const signed = (n: number, fmt: (n: number) => string = String) =>
  n > 0 ? `+${fmt(n)}` : n < 0 ? `-${fmt(-n)}` : "0";

/** The rows of the comparison: label, current, draft, difference (numbers as text). */
export function simulationRows(s: SimulationSummary, currency: string): string[][] {
  const rows: [string, (side: SimulationSide) => number, boolean][] = [
    ...LETTER_KINDS.map(
      (k) => [`Letters: ${k.toLowerCase().replace(/_/g, " ")}`, (x: SimulationSide) => x.letters[k], false] as [string, (x: SimulationSide) => number, boolean], // prettier-ignore
    ),
    [`Fees charged (${currency})`, (x) => x.feesTotal, true],
    ...BANDS.map(
      (b) => [`Enforcement queue, principal ${BAND_NAMES[b]}`, (x: SimulationSide) => x.enforcement[b].claims, false] as [string, (x: SimulationSide) => number, boolean], // prettier-ignore
    ),
    ["Residents affected", (x) => x.residentsAffected, false],
    ["Claims paid (estimated)", (x) => x.paid, false],
    ["Small balances written off", (x) => x.writeOffs?.claims ?? 0, false],
    [`Amount written off (${currency})`, (x) => x.writeOffs?.amount ?? 0, true],
    ["  of which put before staff", (x) => x.writeOffs?.queued ?? 0, false],
  ];
  return rows.map(([label, get, isMoney]) => {
    const a = get(s.current);
    const b = get(s.draft);
    const fmt = isMoney ? money : String;
    return [label, fmt(a), fmt(b), signed(b - a, fmt)];
  });
}

export function formatSimulation(s: SimulationSummary, currency: string): string {
  const head = ["", `Current (v${s.currentVersion})`, "Draft", "Difference"];
  const rows = [head, ...simulationRows(s, currency)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const e = s.estimate;
  const shares = PAY_STAGES.map(
    (st) => `${st.toLowerCase().replace(/_/g, " ")} ${Math.round(e.paidShare[st] * 100)}% after ${e.paidAfterDays[st]} days`, // prettier-ignore
  ).join("; ");
  return [
    `Simulation from ${s.asOf} for ${s.days} days over ${s.claims} open claims of ${s.residents} residents.`,
    "",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map(line),
    "",
    `Residents treated differently by the draft: ${s.residentsTreatedDifferently}`,
    e.source === "history"
      ? `Assumption: payments estimated from this creditor's own ${e.observed} decided claims (who paid at which stage): ${shares}.`
      : `Assumption: too little history (fewer than 30 decided claims), so a stated default is used: ${shares}.`,
    "Both policies are applied to every open claim as if it followed them; letters leave the day they are written; each policy's write-off rule writes off (or puts before staff) small balances as the engine would.",
  ].join("\n");
}
