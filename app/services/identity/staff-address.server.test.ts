import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import { dispatchLetters } from "../letters/dispatch.server";
import { openAddress } from "./residents.server";
import {
  correctResidentAddress,
  mayCorrectAddress,
  residentAddressOnCase,
  type AddressForm,
  type AddressStaff,
} from "./staff-address.server";

const slug = `staffaddr-${Date.now().toString(36)}`;
const DUE = "2026-02-02";
const SWEPT = addDays(DUE, 20);
const CORRECTED_AT = new Date(`${addDays(SWEPT, 3)}T10:00:00Z`);
const OLD_ADDRESS = { lines: ["Gamleveien 1"], postalCode: "2408", city: "Elverum" };
// Her own resident (a synthetic number): nobody else's test gives or reads her address.
const SIGRID = (() => {
  for (let i = 170; ; i++) {
    const id = makeNorwegianFodselsnummer("1977-03-14", i, { synthetic: true });
    if (id) return id;
  }
})();
const GOOD: AddressForm = {
  lines: ["  Nyveien 22 H0101 ", "", "c/o Hansen"],
  postalCode: " 2409 ",
  city: "Elverum",
  country: "NO",
  source: "Folkeregisteret, flyttemelding",
};

let mine: AddressStaff;
let theirs: AddressStaff;
let claimId: string;
let residentId: string;

const residentCipher = async () =>
  (await db().resident.findUniqueOrThrow({ where: { id: residentId } })).addressCipher;
const addressEvents = () =>
  db().event.findMany({ where: { residentId, type: "resident.address_changed" } });
const paperLetters = () =>
  db().notice.findMany({ where: { claimId, channel: "PRINT", status: "PENDING" } });

beforeAll(async () => {
  await seedDemo();
  const { creditor, caller } = await createTestCreditor(slug);
  const { creditor: other } = await createTestCreditor(`${slug}-other`);
  mine = {
    staffId: "00000000-0000-4000-8000-00000000c001",
    role: "AGENT",
    creditorIds: [creditor.id],
  };
  theirs = {
    staffId: "00000000-0000-4000-8000-00000000c002",
    role: "ADMIN",
    creditorIds: [other.id],
  };
  const r = await receiveClaim(
    caller,
    {
      externalId: "ADDR-1",
      claimType: "water",
      resident: { nationalId: SIGRID, name: "Sigrid Adresse", address: OLD_ADDRESS },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 90_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    },
    new Date(`${addDays(DUE, 1)}T12:00:00Z`),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  claimId = r.claim.id;
  residentId = (await db().claim.findUniqueOrThrow({ where: { id: claimId } })).residentId;
  // The reminder is written and routed to paper (no mailbox, no email): it waits for the batch.
  await runSweep({ asOf: SWEPT, creditorSlug: slug, publicUrl: "http://localhost:3000" });
  const noIntegrations = { krr: null, far: null, eformidling: null, kivra: null };
  await dispatchLetters({ asOf: SWEPT, creditorId: creditor.id, integrations: noIntegrations });
}, 120_000);
afterAll(() => disconnectDb());

describe("a resident's postal address, corrected by staff", () => {
  it("is shown to staff of the claim's creditor, and to no one else", async () => {
    expect(await residentAddressOnCase(mine, claimId)).toEqual({
      address: { ...OLD_ADDRESS, country: "NO" },
      lastChange: null,
    });
    expect(await residentAddressOnCase(theirs, claimId)).toBeNull();
    expect(await residentAddressOnCase(mine, "not-a-claim")).toBeNull();
  });

  it("may be corrected by every role that may send a letter again", () => {
    expect(mayCorrectAddress("AGENT")).toBe(true);
    expect(mayCorrectAddress("SUPERVISOR")).toBe(true);
    expect(mayCorrectAddress("ADMIN")).toBe(true);
  });

  it("is not there for another creditor's staff: not found, and nothing changes", async () => {
    const before = await residentCipher();
    expect(await correctResidentAddress({ staff: theirs, claimId, form: GOOD })).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(await correctResidentAddress({ staff: mine, claimId: "x", form: GOOD })).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(await residentCipher()).toBe(before);
    expect(await addressEvents()).toEqual([]);
  });

  it("refuses bad input, naming every wrong field, and changes nothing", async () => {
    const before = await residentCipher();
    const [letter] = await paperLetters();
    const cases: [Partial<AddressForm>, string[]][] = [
      [{ lines: ["", ""] }, ["line1"]],
      [{ lines: ["Nyveien 22", "x".repeat(71)] }, ["line2"]],
      [{ postalCode: "24#9" }, ["postalCode"]],
      [{ postalCode: "" }, ["postalCode"]],
      [{ city: "  " }, ["city"]],
      [{ country: "" }, ["country"]],
      [{ country: "Norway" }, ["country"]],
      [{ source: "tlf" }, ["source"]],
      [{ source: "x".repeat(201) }, ["source"]],
      [
        { lines: [""], postalCode: "", city: "", country: "", source: "" },
        ["line1", "postalCode", "city", "country", "source"],
      ],
    ];
    for (const [change, fields] of cases) {
      const r = await correctResidentAddress({
        staff: mine,
        claimId,
        form: { ...GOOD, ...change },
        now: CORRECTED_AT,
      });
      expect(r, JSON.stringify(change)).toEqual({ ok: false, error: "invalid", fields });
    }
    expect(await residentCipher()).toBe(before);
    expect((await paperLetters())[0]!.addressCipher).toBe(letter!.addressCipher);
    expect(await addressEvents()).toEqual([]);
  });

  it("saves it, sends the paper letter not yet printed there, and records who, when and why", async () => {
    const [letter] = await paperLetters();
    expect(openAddress(letter!.addressCipher)).toEqual({ ...OLD_ADDRESS, country: "NO" });

    const r = await correctResidentAddress({ staff: mine, claimId, form: GOOD, now: CORRECTED_AT });
    expect(r).toEqual({ ok: true });

    const NEW = { lines: ["Nyveien 22 H0101", "c/o Hansen"], postalCode: "2409", city: "Elverum", country: "NO" }; // prettier-ignore
    expect(openAddress(await residentCipher())).toEqual(NEW);
    const [readdressed] = await paperLetters();
    expect(readdressed!.id).toBe(letter!.id);
    expect(openAddress(readdressed!.addressCipher)).toEqual(NEW);

    const [event] = await addressEvents();
    expect(event).toMatchObject({
      actor: `staff:${mine.staffId}`,
      claimId,
      creditorId: mine.creditorIds[0],
      data: { by: "staff", source: "Folkeregisteret, flyttemelding" },
    });
    expect(event!.occurredOn.toISOString().slice(0, 10)).toBe(addDays(SWEPT, 3));
    // The address itself is not in the log: it is personal data, kept encrypted on the resident.
    expect(JSON.stringify(event!.data)).not.toContain("Nyveien");

    expect(await residentAddressOnCase(mine, claimId)).toEqual({
      address: NEW,
      lastChange: {
        on: addDays(SWEPT, 3),
        by: "staff",
        staffName: null,
        source: "Folkeregisteret, flyttemelding",
      },
    });
  });
});
