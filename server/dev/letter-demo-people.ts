// Who the local register and mailbox stand-ins know, and what happens to letters sent to them.
// The demo residents of prisma/demo-data.ts (official test numbers, never real people), each
// given one of the cases a channel choice has to handle: a digital mailbox (Digipost, e-Boks,
// Kivra, Min myndighetspost, Fortnox), reserved against digital mail (Norway), nothing at all
// (paper), email only; plus letters that fail or come back. Tests and `npm start` use this list;
// startLetterStandins() takes another.
import { DEMO_RESIDENTS, type DemoResidentKey } from "../../prisma/demo-data.ts";

export type DemoOutcome = "delivered" | "read" | "printed" | "failed" | "returned";

export type DemoContact = {
  nationalId: string;
  country: "NO" | "SE";
  name: string;
  /** The mailbox the register names (Norway: KRR; Sweden: FaR), or null. */
  mailbox: "digipost" | "eboks" | "kivra" | "minmyndighetspost" | "fortnox" | "billo" | null;
  /** Norway: KRR status AKTIV; Sweden: FaR knows the person (Type Secure). */
  inRegister: boolean;
  /** Norway: KRR reservasjon JA. */
  reserved: boolean;
  /** Sweden, FaR: false when the person has turned this sender away. */
  senderAccepted: boolean;
  /** Kivra: "opted-out" = FaR still names Kivra, but Kivra refuses content from this tenant. */
  kivra: "active" | "opted-out" | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  /** What the mailbox or print service reports after a letter is sent. */
  outcome: DemoOutcome;
  /** One line for the docs and the start-up banner. */
  shows: string;
};

type Case = Omit<DemoContact, "nationalId" | "country" | "name">;

const NONE: Case = {
  mailbox: null,
  inRegister: false,
  reserved: false,
  senderAccepted: false,
  kivra: null,
  email: null,
  phone: null,
  language: null,
  outcome: "printed",
  shows: "",
};

const CASES: Record<DemoResidentKey, Case> = {
  kari: {
    ...NONE,
    mailbox: "digipost",
    inRegister: true,
    email: "kari@example.no",
    phone: "+4799999901",
    language: "nb",
    outcome: "read",
    shows: "Digipost; the letter is delivered, then read",
  },
  ola: {
    ...NONE,
    mailbox: "eboks",
    inRegister: true,
    email: "ola@example.no",
    language: "nn",
    outcome: "delivered",
    shows: "e-Boks; the letter is delivered",
  },
  ingrid: {
    ...NONE,
    inRegister: true,
    reserved: true,
    email: "ingrid@example.no",
    outcome: "printed",
    shows: "reserved against digital mail: paper (printed)",
  },
  per: {
    ...NONE,
    outcome: "returned",
    shows: "not in KRR: paper, and the letter comes back (returned)",
  },
  sofie: {
    ...NONE,
    inRegister: true,
    email: "sofie@example.no",
    phone: "+4799999905",
    outcome: "delivered",
    shows: "email and phone only, no mailbox (Altinn inbox through eFormidling)",
  },
  ahmed: {
    ...NONE,
    mailbox: "digipost",
    inRegister: true,
    language: "en",
    outcome: "failed",
    shows: "Digipost, but the sending fails",
  },
  astrid: {
    ...NONE,
    mailbox: "kivra",
    inRegister: true,
    senderAccepted: true,
    kivra: "active",
    outcome: "delivered",
    shows: "Kivra",
  },
  lars: {
    ...NONE,
    mailbox: "minmyndighetspost",
    inRegister: true,
    senderAccepted: true,
    outcome: "delivered",
    shows: "Min myndighetspost (no Kivra)",
  },
  fatima: {
    ...NONE,
    mailbox: "kivra",
    inRegister: true,
    senderAccepted: false,
    kivra: "opted-out",
    shows: "Kivra, but has turned this sender away: paper",
  },
  gunnar: { ...NONE, shows: "no mailbox at all: paper (email known to the portal only)" },
  elin: {
    ...NONE,
    mailbox: "kivra",
    inRegister: true,
    senderAccepted: true,
    kivra: "opted-out",
    shows: "FaR says Kivra, but Kivra refuses the letter at sending",
  },
  mikael: {
    ...NONE,
    mailbox: "fortnox",
    inRegister: true,
    senderAccepted: true,
    outcome: "delivered",
    shows: "Fortnox",
  },
};

export const LETTER_DEMO_PEOPLE: DemoContact[] = DEMO_RESIDENTS.map((r) => ({
  nationalId: r.nationalId,
  country: r.country,
  name: r.name,
  ...CASES[r.key],
}));

export function demoPerson(people: readonly DemoContact[], nationalId: string) {
  return people.find((p) => p.nationalId === nationalId);
}
