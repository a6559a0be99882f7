/**
 * Letters with realistic content for tests and bench/letters.ts: both countries, every language
 * and kind, with options for the hard cases (long names and addresses, many charge lines).
 * Not used by the app itself.
 */
import {
  DECISION_KINDS,
  type LetterContent,
  type LetterKind,
  type LetterLanguage,
  type LetterSender,
  type PostalAddress,
} from "./letter-content";

export const SENDERS: Record<"SE" | "NO", LetterSender> = {
  SE: {
    name: "Region Västkust",
    postalAddress: {
      name: "Region Västkust",
      lines: ["Ekonomiservice", "Box 1234"],
      postalCode: "405 44",
      city: "Göteborg",
      country: "SE",
    },
    phone: "031-123 45 00",
    email: "inkasso@vastkust.example",
    web: "https://vastkust.example/betala",
    openingHours: "mån–fre 9–16",
    bankAccount: "5050-1055",
    iban: "SE45 5000 0000 0583 9825 7466",
    bic: "ESSESESS",
    orgNumber: "232100-0131",
  },
  NO: {
    name: "Elvdal kommune",
    postalAddress: {
      name: "Elvdal kommune",
      lines: ["Kemnerkontoret", "Postboks 88"],
      postalCode: "3001",
      city: "Drammen",
      country: "NO",
    },
    phone: "32 04 70 00",
    email: null,
    web: "https://elvdal.example/kemner",
    openingHours: "man.–fre. 08.00–15.30",
    bankAccount: "1503.12.34567",
    iban: "NO93 1503 1234 5670",
    bic: "DNBANOKK",
    orgNumber: "944 557 789",
  },
};

export const RECIPIENTS: Record<"SE" | "NO", PostalAddress> = {
  SE: {
    name: "Astrid Lindqvist",
    lines: ["Storgatan 12 lgh 1102"],
    postalCode: "411 38",
    city: "Göteborg",
    country: "SE",
  },
  NO: {
    name: "Kari Nordmann",
    lines: ["Storgata 5"],
    postalCode: "3015",
    city: "Drammen",
    country: "NO",
  },
};

/** Letters written while collection is paused or over: they ask for no payment. */
const NO_PAYMENT_ASKED = new Set<LetterKind>([
  "DISPUTE_RECEIVED",
  "DISPUTE_INFO_REQUESTED",
  "DISPUTE_UPHELD",
  "PLAN_OFFERED",
  "PLAN_COMPLETED",
  "HELP_RECEIVED",
  "CLAIM_WRITTEN_OFF",
]);

export type SampleOptions = {
  kind?: LetterKind;
  language?: LetterLanguage;
  lines?: number;
  long?: boolean;
  seed?: number;
};

function chargeLines(country: "SE" | "NO", extra: number, seed: number) {
  const se = country === "SE";
  const lines: LetterContent["lines"] = [
    {
      kind: "PRINCIPAL",
      amount: 123_456 + seed * 100,
      date: "2026-09-30",
      causeType: "claim.received",
      legalBasis: "principal.invoice",
    },
    {
      kind: "REMINDER_FEE",
      amount: se ? 6_000 : 3_500,
      date: "2026-10-15",
      causeType: "reminder.sent",
      legalBasis: se ? "se.reminder_fee" : "no.reminder_fee",
    },
  ];
  for (let i = 0; i < extra; i++) {
    lines.push({
      kind: "PRINCIPAL",
      amount: 10_000 + i * 137,
      date: `2026-${String(1 + (i % 9)).padStart(2, "0")}-${String(10 + (i % 18)).padStart(2, "0")}`,
      causeType: "claim.received",
      legalBasis: "principal.invoice",
    });
  }
  lines.push({
    kind: "COLLECTION_FEE",
    amount: se ? 18_000 : 3_500,
    date: "2026-11-20",
    causeType: "collection_notice.sent",
    legalBasis: se ? "se.collection_fee" : "no.collection_warning_fee",
  });
  lines.push({
    kind: "INTEREST",
    amount: 1_234,
    date: "2026-11-20",
    causeType: "interest.accrued",
    legalBasis: se ? "se.late_interest" : "no.late_interest",
  });
  return lines;
}

/** A letter of `kind` (default: collection notice) from the creditor of `country`. */
export function sampleLetter(country: "SE" | "NO", opts: SampleOptions = {}): LetterContent {
  const se = country === "SE";
  const kind = opts.kind ?? "COLLECTION_NOTICE";
  const lines = chargeLines(country, opts.lines ?? 0, opts.seed ?? 0);
  const paid = 20_000;
  const sum = (k: (l: (typeof lines)[number]) => boolean) =>
    lines.filter(k).reduce((a, l) => a + l.amount, 0);
  const principal = sum((l) => l.kind === "PRINCIPAL") - paid;
  const fees = sum((l) => l.kind.endsWith("_FEE"));
  const interest = sum((l) => l.kind === "INTEREST");
  const total = principal + fees + interest;
  const decision = (DECISION_KINDS as readonly string[]).includes(kind);
  const plan = kind.startsWith("PLAN_") && kind !== "PLAN_REFUSED" && kind !== "PLAN_ENDED";
  const recipient: PostalAddress = opts.long
    ? {
        name: "Maria-Kristina Fredrikke Østergaard-Johannessen Haraldsdatter",
        lines: ["c/o Bjørnstjerne Bjørnsons minnestiftelse, Kongens gate 112 B, leilighet H0304"],
        postalCode: se ? "411 38" : "3015",
        city: se ? "Göteborg" : "Drammen",
        country: se ? "NO" : "SE",
      }
    : RECIPIENTS[country];
  return {
    kind,
    country,
    language: opts.language ?? (se ? "sv" : "nb"),
    date: "2026-11-20",
    recipient,
    sender: SENDERS[country],
    claim: {
      description: opts.long
        ? "Vatten och avlopp, fjärde kvartalet 2026, fastighet Göteborg Inom Vallgraven 12:34, mätare 0078-4411-9 (avläst 2026-09-30), inklusive grundavgift och dagvatten"
        : se
          ? "Besök 2026-08-14, vårdcentralen Majorna"
          : "4. termin 2026, gnr. 12 bnr. 34",
      claimTypeName: se ? "Patientavgift" : "Vann og avløp",
      externalId: se ? "VK-2026-004711" : "EK-2026-0042",
      currency: se ? "SEK" : "NOK",
    },
    lines: decision && !kind.startsWith("DISPUTE") ? [] : lines,
    payments: [{ amount: paid, receivedOn: "2026-10-20" }],
    balance: { principal, fees, interest, total },
    fee:
      kind === "COLLECTION_NOTICE" ? { kind: "COLLECTION_FEE", amount: se ? 18_000 : 3_500 } : null,
    interestRates: se ? [] : [{ from: "2026-07-01", basisPoints: 1_250 }],
    deadline: kind === "PLAN_COMPLETED" || kind === "HELP_RECEIVED" ? null : "2026-12-04",
    payment: NO_PAYMENT_ASKED.has(kind)
      ? null
      : {
          amount: plan ? 25_000 : total,
          currency: se ? "SEK" : "NOK",
          reference: se ? "4711000000015" : "1234567890128",
          referenceKind: se ? "OCR" : "KID",
          bankAccount: SENDERS[country].bankAccount,
          iban: SENDERS[country].iban,
          bic: SENDERS[country].bic,
        },
    message: decision
      ? "Vi har gått igenom dina uppgifter och ändrat planen så att den sista delbetalningen blir mindre."
      : null,
    plan: plan
      ? {
          instalments: [0, 1, 2, 3].map((i) => ({
            dueOn: `2027-0${i + 1}-28`,
            amount: 25_000,
          })),
          total: 100_000,
          currency: se ? "SEK" : "NOK",
        }
      : null,
    claimUrl: `https://portal.example/claims/3f2b1c9e-0a4d-4e8b-9c1a-7d5e6f708192`,
  };
}
