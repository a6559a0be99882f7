import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { languageCookie } from "~/i18n/i18next.server";
import { db, disconnectDb } from "~/infra/db.server";
import { loader } from "~/routes/contact";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { creditorContacts, openingHoursIn } from "./site-info.server";

/*
 * The public contact page: every creditor with how to reach its office and where to pay, in the
 * reader's language; what a creditor has not given is left out (null), never shown empty.
 */

const slug = `siteinfo-${Date.now().toString(36)}`;
const bare = `${slug}-bare`;

beforeAll(async () => {
  await seedDemo();
  // One with some details: a phone with spaces, opening hours in Swedish only, an empty email,
  // an address without a town (no address), and no IBAN or BIC.
  await createTestCreditor(slug, "SE");
  await db().creditor.update({
    where: { slug },
    data: {
      phone: "+46 31 00 00 00",
      email: "  ",
      openingHours: { sv: "Vardagar 9–12" },
      postalAddress: { lines: ["Box 1"], postalCode: "411 01", city: "" },
    },
  });
  // One with nothing but what a creditor must have.
  await createTestCreditor(bare);
}, 120_000);
afterAll(() => disconnectDb());

describe("the creditors' offices on the contact page", () => {
  it("gives every detail of a creditor that has them all, in the reader's language", async () => {
    const contacts = await creditorContacts("nn");
    expect(contacts.find((c) => c.slug === "elvdal")).toEqual({
      slug: "elvdal",
      name: "Elvdal kommune",
      country: "NO",
      orgNumber: "998877660",
      phone: "+47 62 00 00 00",
      email: "kommunekasse@elvdal.example",
      postalAddress: {
        lines: ["Postboks 403 Sentrum"],
        postalCode: "2402",
        city: "Elverum",
        country: "NO",
      },
      web: "https://elvdal.example/krav",
      openingHours: "Måndag–fredag 09–15",
      bankAccount: "1503.27.46180",
      iban: "NO9315032746180",
      bic: "SPRONO22",
    });
    const en = await creditorContacts("en");
    expect(en.find((c) => c.slug === "vastkust")?.openingHours).toBe("Monday–Friday 8–16");
    // By name, as the page lists them.
    const names = en.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("leaves out what a creditor has not given", async () => {
    const contacts = await creditorContacts("nb");
    expect(contacts.find((c) => c.slug === slug)).toMatchObject({
      phone: "+46 31 00 00 00",
      email: null,
      postalAddress: null,
      web: null,
      // Not in nb, not in English: the one the creditor gave.
      openingHours: "Vardagar 9–12",
      iban: null,
      bic: null,
      orgNumber: null,
    });
    expect(contacts.find((c) => c.slug === bare)).toMatchObject({
      phone: null,
      email: null,
      postalAddress: null,
      web: null,
      openingHours: null,
      iban: null,
      bic: null,
      bankAccount: "1503.00.00000",
    });
  });

  it("picks opening hours in the language, else English, else any", () => {
    const hours = { nb: "Mandag", en: "Monday", sv: "Måndag" };
    expect(openingHoursIn(hours, "sv")).toBe("Måndag");
    expect(openingHoursIn(hours, "nn")).toBe("Monday");
    expect(openingHoursIn({ sv: " " , nb: "Mandag" }, "sv")).toBe("Mandag"); // prettier-ignore
    expect(openingHoursIn({}, "en")).toBeNull();
    expect(openingHoursIn(null, "en")).toBeNull();
  });

  it("the page's loader reads in the reader's language (the language cookie, else the browser's)", async () => {
    const page = (await loader({
      request: new Request("http://localhost/contact", {
        headers: { "Accept-Language": "sv-SE,sv;q=0.9" },
      }),
      params: {},
      context: { cspNonce: "" },
    })) as Awaited<ReturnType<typeof loader>>;
    expect(page.contacts.find((c) => c.slug === "elvdal")?.openingHours).toBe(
      "Måndag–fredag 09–15",
    );
    expect(page.contacts.find((c) => c.slug === "vastkust")?.openingHours).toBe(
      "Måndag–fredag 08–16",
    );
    const english = (await loader({
      request: new Request("http://localhost/contact", {
        headers: {
          Cookie: (await languageCookie.serialize("en")).split(";")[0]!,
          "Accept-Language": "nb",
        },
      }),
      params: {},
      context: { cspNonce: "" },
    })) as Awaited<ReturnType<typeof loader>>;
    expect(english.contacts.find((c) => c.slug === "elvdal")?.openingHours).toBe(
      "Monday–Friday 9–15",
    );
  });
});
