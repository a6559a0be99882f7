import type { Country, LegalRateKind } from "../app/generated/prisma/client.ts";

export type LegalRateRow = {
  jurisdiction: Country;
  kind: LegalRateKind;
  value: number;
  validFrom: string;
  source: string;
};

// Figures from law, per jurisdiction, each in force from its date until the next row of the
// same kind. Check the source before changing one (see ../shared/DOMAIN.md). A row dated
// 2020-01-01 means "in force at least since then": earlier history is not recorded here.
// Amounts in minor units, rates in basis points (12.5 % = 1250), periods in days.
const SE_FEES =
  "Lag (1981:739) om ersättning för inkassokostnader m.m.; Förordning (1981:1057) 2 §";
const SE_KFM = "Förordning (1992:1094) om avgifter vid Kronofogdemyndigheten";
const SE_INTEREST = "Räntelagen (1975:635) 6 §: Riksbankens referensränta + 8 procentenheter";
const NO_FEES = "Inkassoforskriften § 1-2 (inkassosats 2025: 700 kr)";
const NO_INTEREST =
  "Forsinkelsesrenteloven § 3; forskrift om forsinkelsesrente (styringsrenten + 8 prosentpoeng)";

export const LEGAL_RATES: LegalRateRow[] = [
  {
    jurisdiction: "SE",
    kind: "REMINDER_FEE_CAP",
    value: 6_000,
    validFrom: "2020-01-01",
    source: SE_FEES,
  },
  {
    jurisdiction: "SE",
    kind: "COLLECTION_FEE_CAP",
    value: 18_000,
    validFrom: "2020-01-01",
    source: SE_FEES,
  },
  {
    jurisdiction: "SE",
    kind: "PLAN_FEE_CAP",
    value: 17_000,
    validFrom: "2020-01-01",
    source: SE_FEES,
  },
  {
    jurisdiction: "SE",
    kind: "PAYMENT_ORDER_FEE",
    value: 30_000,
    validFrom: "2020-01-01",
    source: SE_KFM,
  },
  {
    jurisdiction: "SE",
    kind: "ENFORCEMENT_BASIC_FEE",
    value: 60_000,
    validFrom: "2020-01-01",
    source: SE_KFM,
  },
  {
    jurisdiction: "SE",
    kind: "MIN_COLLECTION_DEADLINE_DAYS",
    value: 8,
    validFrom: "2020-01-01",
    source: "God inkassosed (IMY); inkassolagen (1974:182) 5 §",
  },
  {
    jurisdiction: "SE",
    kind: "LATE_INTEREST_RATE",
    value: 1_200,
    validFrom: "2024-01-01",
    source: `${SE_INTEREST} (4,00 %)`,
  },
  {
    jurisdiction: "SE",
    kind: "LATE_INTEREST_RATE",
    value: 1_175,
    validFrom: "2024-07-01",
    source: `${SE_INTEREST} (3,75 %)`,
  },
  {
    jurisdiction: "SE",
    kind: "LATE_INTEREST_RATE",
    value: 1_050,
    validFrom: "2025-01-01",
    source: `${SE_INTEREST} (2,50 %)`,
  },
  {
    jurisdiction: "SE",
    kind: "LATE_INTEREST_RATE",
    value: 1_000,
    validFrom: "2025-07-01",
    source: `${SE_INTEREST} (2,00 %)`,
  },
  {
    jurisdiction: "SE",
    kind: "LATE_INTEREST_RATE",
    value: 975,
    validFrom: "2026-01-01",
    source: `${SE_INTEREST} (1,75 %)`,
  },
  {
    jurisdiction: "NO",
    kind: "REMINDER_FEE_CAP",
    value: 3_500,
    validFrom: "2025-01-01",
    source: `${NO_FEES}: 1/20`,
  },
  {
    jurisdiction: "NO",
    kind: "COLLECTION_FEE_CAP",
    value: 3_500,
    validFrom: "2025-01-01",
    source: `${NO_FEES}: inkassovarsel 1/20`,
  },
  {
    jurisdiction: "NO",
    kind: "PAYMENT_DEMAND_FEE_CAP",
    value: 10_500,
    validFrom: "2025-01-01",
    source: `${NO_FEES}: betalingsoppfordring 3/20`,
  },
  {
    jurisdiction: "SE",
    kind: "MIN_ACCOUNTING_RETENTION_YEARS",
    value: 7,
    validFrom: "2020-01-01",
    source:
      "Bokföringslagen (1999:1078) 7 kap. 2 §: sju år efter utgången av det kalenderår då räkenskapsåret avslutades",
  },
  {
    jurisdiction: "NO",
    kind: "MIN_ACCOUNTING_RETENTION_YEARS",
    value: 5,
    validFrom: "2020-01-01",
    source: "Bokføringsloven § 13: fem år etter regnskapsårets slutt",
  },
  {
    jurisdiction: "NO",
    kind: "MIN_COLLECTION_DEADLINE_DAYS",
    value: 14,
    validFrom: "2020-01-01",
    source: "Inkassoloven §§ 9 og 10",
  },
  {
    jurisdiction: "NO",
    kind: "LATE_INTEREST_RATE",
    value: 1_250,
    validFrom: "2024-01-01",
    source: NO_INTEREST,
  },
  {
    jurisdiction: "NO",
    kind: "LATE_INTEREST_RATE",
    value: 1_250,
    validFrom: "2024-07-01",
    source: NO_INTEREST,
  },
  {
    jurisdiction: "NO",
    kind: "LATE_INTEREST_RATE",
    value: 1_250,
    validFrom: "2025-01-01",
    source: NO_INTEREST,
  },
  {
    jurisdiction: "NO",
    kind: "LATE_INTEREST_RATE",
    value: 1_225,
    validFrom: "2025-07-01",
    source: NO_INTEREST,
  },
  {
    jurisdiction: "NO",
    kind: "LATE_INTEREST_RATE",
    value: 1_200,
    validFrom: "2026-01-01",
    source: NO_INTEREST,
  },
];
