import type { PlanRules } from "../app/domain/payment-plan.ts";
import type { PolicyStep } from "../app/domain/policy.ts";

// Fictional creditors and residents. Identity numbers are official test numbers (Swedish
// Skatteverket serials 980–999; Norwegian synthetic numbers with month + 80), never real people.

export const DEMO_RESIDENTS = [
  {
    key: "astrid",
    nationalId: "195403129827",
    country: "SE",
    name: "Astrid Lindqvist",
    email: "astrid@example.se",
    language: "sv",
  },
  {
    key: "lars",
    nationalId: "198711029846",
    country: "SE",
    name: "Lars Nilsson",
    email: "lars@example.se",
  },
  {
    key: "fatima",
    nationalId: "199206239866",
    country: "SE",
    name: "Fatima Hassan",
    email: "fatima@example.se",
    language: "en",
  },
  {
    key: "gunnar",
    nationalId: "194908309885",
    country: "SE",
    name: "Gunnar Berg",
    email: "gunnar@example.se",
  },
  { key: "elin", nationalId: "200101159903", country: "SE", name: "Elin Svensson" },
  {
    key: "mikael",
    nationalId: "197509099920",
    country: "SE",
    name: "Mikael Ek",
    email: "mikael@example.se",
  },
  {
    key: "kari",
    nationalId: "18845610009",
    country: "NO",
    name: "Kari Nordmann",
    email: "kari@example.no",
    language: "nb",
  },
  {
    key: "ola",
    nationalId: "05928310010",
    country: "NO",
    name: "Ola Hansen",
    email: "ola@example.no",
  },
  {
    key: "ingrid",
    nationalId: "27829010068",
    country: "NO",
    name: "Ingrid Johansen",
    email: "ingrid@example.no",
  },
  { key: "per", nationalId: "14876810183", country: "NO", name: "Per Olsen" },
  {
    key: "sofie",
    nationalId: "01909910028",
    country: "NO",
    name: "Sofie Larsen",
    email: "sofie@example.no",
  },
  {
    key: "ahmed",
    nationalId: "21857810004",
    country: "NO",
    name: "Ahmed Ali",
    email: "ahmed@example.no",
    language: "en",
  },
] as const;

export type DemoResidentKey = (typeof DEMO_RESIDENTS)[number]["key"];

/** The postal addresses the creditors' billing systems hold (fictional), for paper letters. */
export const DEMO_ADDRESSES: Record<
  DemoResidentKey,
  { lines: string[]; postalCode: string; city: string }
> = {
  astrid: { lines: ["Storgatan 12"], postalCode: "852 30", city: "Sundsvall" },
  lars: { lines: ["Kyrkvägen 4 B"], postalCode: "856 50", city: "Sundsvall" },
  fatima: {
    lines: ["c/o Ahmadi", "Bergsgatan 33 lgh 1102"],
    postalCode: "852 35",
    city: "Sundsvall",
  },
  gunnar: { lines: ["Byvägen 7"], postalCode: "861 31", city: "Timrå" },
  elin: { lines: ["Skolgatan 2"], postalCode: "852 31", city: "Sundsvall" },
  mikael: { lines: ["Box 118"], postalCode: "851 02", city: "Sundsvall" },
  kari: { lines: ["Storgata 5"], postalCode: "2408", city: "Elverum" },
  ola: { lines: ["Nordre gate 21"], postalCode: "2406", city: "Elverum" },
  ingrid: { lines: ["Vestbyveien 3"], postalCode: "2411", city: "Elverum" },
  per: { lines: ["Postboks 44"], postalCode: "2401", city: "Elverum" },
  sofie: { lines: ["Kirkevegen 9"], postalCode: "2407", city: "Elverum" },
  ahmed: { lines: ["Hagevegen 14 H0201"], postalCode: "2409", city: "Elverum" },
};

export const NO_STEPS: PolicyStep[] = [
  {
    stage: "REMINDER",
    daysAfter: 14,
    fee: { kind: "REMINDER_FEE", amount: 3_500 },
    notice: true,
    deadlineDays: 14,
  },
  {
    stage: "COLLECTION_NOTICE",
    daysAfter: 14,
    fee: { kind: "COLLECTION_FEE", amount: 3_500 },
    notice: true,
    deadlineDays: 14,
  },
  {
    stage: "PAYMENT_DEMAND",
    daysAfter: 15,
    fee: { kind: "PAYMENT_DEMAND_FEE", amount: 10_500 },
    notice: true,
    deadlineDays: 14,
  },
  { stage: "READY_FOR_ENFORCEMENT", daysAfter: 15, notice: false },
];

export const SE_STEPS: PolicyStep[] = [
  {
    stage: "REMINDER",
    daysAfter: 10,
    fee: { kind: "REMINDER_FEE", amount: 6_000 },
    notice: true,
    deadlineDays: 10,
  },
  {
    stage: "COLLECTION_NOTICE",
    daysAfter: 11,
    fee: { kind: "COLLECTION_FEE", amount: 18_000 },
    notice: true,
    deadlineDays: 10,
  },
  { stage: "READY_FOR_ENFORCEMENT", daysAfter: 11, notice: false },
];

export const DEMO_CREDITORS = [
  {
    slug: "elvdal",
    name: "Elvdal kommune",
    country: "NO",
    currency: "NOK",
    timeZone: "Europe/Oslo",
    bankAccount: "1503.27.46180",
    referenceScheme: "KID_MOD10",
    referencePrefix: "471",
    contact: {
      orgNumber: "998877660",
      postalAddress: {
        lines: ["Postboks 403 Sentrum"],
        postalCode: "2402",
        city: "Elverum",
        country: "NO",
      },
      phone: "+47 62 00 00 00",
      email: "kommunekasse@elvdal.example",
      web: "https://elvdal.example/krav",
      openingHours: {
        nb: "Mandag–fredag 09–15",
        nn: "Måndag–fredag 09–15",
        sv: "Måndag–fredag 09–15",
        en: "Monday–Friday 9–15",
      },
      iban: "NO9315032746180",
      bic: "SPRONO22",
      writtenForm: "nb",
    },
    claimTypes: [
      {
        slug: "water",
        name: "Vann og avløp",
        // The municipality enforces water and sewage and property tax itself (særnamsmann).
        ownEnforcement: true,
        names: {
          nb: "Vann og avløp",
          nn: "Vatn og avløp",
          sv: "Vatten och avlopp",
          en: "Water and sewage",
        },
        chargesInterest: true,
        steps: NO_STEPS,
      },
      {
        slug: "kindergarten",
        name: "Foreldrebetaling barnehage",
        ownEnforcement: false,
        names: {
          nb: "Foreldrebetaling barnehage",
          nn: "Foreldrebetaling barnehage",
          sv: "Förskoleavgift",
          en: "Kindergarten fee",
        },
        chargesInterest: false,
        steps: NO_STEPS,
      },
      {
        slug: "property-tax",
        name: "Eiendomsskatt",
        ownEnforcement: true,
        names: {
          nb: "Eiendomsskatt",
          nn: "Eigedomsskatt",
          sv: "Fastighetsskatt",
          en: "Property tax",
        },
        chargesInterest: true,
        steps: NO_STEPS,
      },
    ],
  },
  {
    slug: "vastkust",
    name: "Region Västkust",
    country: "SE",
    currency: "SEK",
    timeZone: "Europe/Stockholm",
    bankAccount: "5402-8417",
    referenceScheme: "OCR_LENGTH",
    referencePrefix: "862",
    contact: {
      orgNumber: "2321009991",
      postalAddress: { lines: ["Box 1024"], postalCode: "405 21", city: "Göteborg", country: "SE" },
      phone: "+46 10 000 00 00",
      email: "fakturor@vastkust.example",
      web: "https://vastkust.example/fakturor",
      openingHours: {
        sv: "Måndag–fredag 08–16",
        nb: "Mandag–fredag 08–16",
        nn: "Måndag–fredag 08–16",
        en: "Monday–Friday 8–16",
      },
      iban: "SE4550000000054028417000",
      bic: "ESSESESS",
      writtenForm: null,
    },
    claimTypes: [
      {
        slug: "patient-fee",
        ownEnforcement: false,
        name: "Patientavgift",
        names: {
          sv: "Patientavgift",
          nb: "Egenandel for helsehjelp",
          nn: "Eigendel for helsehjelp",
          en: "Patient fee",
        },
        chargesInterest: false,
        steps: SE_STEPS,
      },
      {
        slug: "dental-care",
        ownEnforcement: false,
        name: "Tandvård",
        names: { sv: "Tandvård", nb: "Tannbehandling", nn: "Tannbehandling", en: "Dental care" },
        chargesInterest: true,
        steps: SE_STEPS,
      },
      {
        slug: "ambulance",
        ownEnforcement: false,
        name: "Ambulansavgift",
        names: {
          sv: "Ambulansavgift",
          nb: "Ambulanseavgift",
          nn: "Ambulanseavgift",
          en: "Ambulance fee",
        },
        chargesInterest: true,
        steps: SE_STEPS,
      },
    ],
  },
] as const;

export const DEMO_ENFORCEMENT_MINIMUM = 20_000;

/**
 * What a resident may grant themselves. Norway follows the state collection agency's self-service
 * (at least 500 kr a month, at most 24 months, a deferral of at most 2 months); Sweden charges a
 * plan fee below the 170 kr cap.
 */
export const DEMO_PLAN_RULES: Record<"NO" | "SE", PlanRules> = {
  NO: {
    maxMonths: 24,
    minInstalment: 50_000,
    maxTotal: 5_000_000,
    qualifyingStages: ["INVOICED", "REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND"],
    maxPlans: 2,
    plansWindowMonths: 12,
    maxDeferralMonths: 2,
    planFee: 0,
    graceDays: 7,
    firstDueDays: 14,
  },
  SE: {
    maxMonths: 12,
    minInstalment: 30_000,
    maxTotal: 3_000_000,
    qualifyingStages: ["INVOICED", "REMINDER", "COLLECTION_NOTICE"],
    maxPlans: 2,
    plansWindowMonths: 12,
    maxDeferralMonths: 2,
    planFee: 10_000,
    maxFeeSharePercent: 20,
    graceDays: 7,
    firstDueDays: 14,
  },
};

export type DemoClaim = {
  externalId: string;
  creditor: "elvdal" | "vastkust";
  claimType: string;
  resident: DemoResidentKey;
  description: string;
  principal: number;
  dueDaysAgo: number;
  payments?: { amount: number; daysAgo: number }[];
  hold?: { kind: "DISPUTE" | "MANUAL" | "HARDSHIP"; reason: string; daysAgo: number };
};

// Varied on purpose: due dates spread so the escalation engine, replayed day by day when the demo
// is loaded, leaves claims in every stage; some under the 200 kr floor, part payments, a hold.
export const DEMO_CLAIMS: DemoClaim[] = [
  {
    externalId: "VK-2026-1001",
    creditor: "vastkust",
    claimType: "patient-fee",
    resident: "astrid",
    description: "Besök vårdcentral Strandby",
    principal: 15_000,
    dueDaysAgo: 60,
  },
  {
    externalId: "VK-2026-1002",
    creditor: "vastkust",
    claimType: "dental-care",
    resident: "astrid",
    description: "Tandvård, lagning 2 tänder",
    principal: 245_000,
    dueDaysAgo: 20,
  },
  {
    externalId: "EK-2026-5001",
    creditor: "elvdal",
    claimType: "property-tax",
    resident: "astrid",
    description: "Eiendomsskatt hytte, gnr. 12 bnr. 7, 2. termin",
    principal: 420_000,
    dueDaysAgo: 35,
  },
  {
    externalId: "VK-2026-1003",
    creditor: "vastkust",
    claimType: "patient-fee",
    resident: "lars",
    description: "Besök akutmottagning",
    principal: 40_000,
    dueDaysAgo: 5,
    payments: [{ amount: 10_000, daysAgo: 2 }],
  },
  {
    externalId: "VK-2026-1004",
    creditor: "vastkust",
    claimType: "ambulance",
    resident: "fatima",
    description: "Ambulanstransport",
    principal: 90_000,
    dueDaysAgo: 45,
  },
  {
    externalId: "VK-2026-1005",
    creditor: "vastkust",
    claimType: "patient-fee",
    resident: "gunnar",
    description: "Besök sjukhusets öppenvård",
    principal: 20_000,
    dueDaysAgo: 40,
    // Filed as the resident's objection (text in their words).
    hold: {
      kind: "DISPUTE",
      reason: "Jag avbokade besöket i god tid och var aldrig där.",
      daysAgo: 25,
    },
  },
  {
    externalId: "VK-2026-1006",
    creditor: "vastkust",
    claimType: "dental-care",
    resident: "elin",
    description: "Tandvård, undersökning",
    principal: 95_000,
    dueDaysAgo: 12,
  },
  {
    externalId: "VK-2026-1007",
    creditor: "vastkust",
    claimType: "patient-fee",
    resident: "mikael",
    description: "Besök vårdcentral",
    principal: 30_000,
    dueDaysAgo: 3,
  },
  {
    externalId: "EK-2026-5002",
    creditor: "elvdal",
    claimType: "water",
    resident: "kari",
    description: "Vann og avløp, 3. termin",
    principal: 310_000,
    dueDaysAgo: 56,
    payments: [{ amount: 50_000, daysAgo: 15 }],
  },
  {
    externalId: "EK-2026-5003",
    creditor: "elvdal",
    claimType: "kindergarten",
    resident: "kari",
    description: "Foreldrebetaling oktober",
    principal: 18_000,
    dueDaysAgo: 30,
  },
  {
    externalId: "EK-2026-5004",
    creditor: "elvdal",
    claimType: "water",
    resident: "ola",
    description: "Vann og avløp, 3. termin",
    principal: 340_000,
    dueDaysAgo: 80,
  },
  {
    externalId: "EK-2026-5005",
    creditor: "elvdal",
    claimType: "kindergarten",
    resident: "ingrid",
    description: "Foreldrebetaling september",
    principal: 150_000,
    dueDaysAgo: 9,
  },
  {
    externalId: "EK-2026-5006",
    creditor: "elvdal",
    claimType: "property-tax",
    resident: "per",
    description: "Eiendomsskatt, 2. termin",
    principal: 512_000,
    dueDaysAgo: 25,
  },
  {
    externalId: "EK-2026-5007",
    creditor: "elvdal",
    claimType: "water",
    resident: "sofie",
    description: "Vann og avløp, 3. termin",
    principal: 12_500,
    dueDaysAgo: 70,
  },
  {
    externalId: "EK-2026-5008",
    creditor: "elvdal",
    claimType: "kindergarten",
    resident: "ahmed",
    description: "Foreldrebetaling oktober",
    principal: 210_000,
    dueDaysAgo: 18,
  },
  {
    externalId: "VK-2026-1008",
    creditor: "vastkust",
    claimType: "ambulance",
    resident: "kari",
    description: "Ambulanstransport under semester i Sverige",
    principal: 90_000,
    dueDaysAgo: 15,
  },
];

// Demo staff for the back office. Known credentials, for a demo only: never load demo data in
// production (DEMO_DATA=false). Add the TOTP secret to any authenticator app (or use
// `oathtool --totp -b <secret>`) to get the six-digit code.
export const DEMO_STAFF_PASSWORD = "kravportal-demo-2026";
export const DEMO_STAFF_TOTP_SECRET = "KRAVPORTALDEMOSTAFFTOTPSECRETAAA";
export const DEMO_STAFF = [
  { email: "agent@elvdal.example", name: "Anne Agent", role: "AGENT", creditors: ["elvdal"] },
  {
    email: "supervisor@elvdal.example",
    name: "Sigurd Supervisor",
    role: "SUPERVISOR",
    creditors: ["elvdal"],
  },
  {
    email: "agent@vastkust.example",
    name: "Vera Handläggare",
    role: "AGENT",
    creditors: ["vastkust"],
  },
  {
    email: "supervisor@vastkust.example",
    name: "Sven Arbetsledare",
    role: "SUPERVISOR",
    creditors: ["vastkust"],
  },
  // Manages Elvdal's staff at /staff/admin; Västkust's staff are out of their reach.
  {
    email: "admin@elvdal.example",
    name: "Aud Administrator",
    role: "ADMIN",
    creditors: ["elvdal"],
  },
] as const;
