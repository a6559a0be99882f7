import { describe, expect, it } from "vitest";
import { ClaimIntakeSchema } from "~/api/schemas";
import { isCountryCode, PostalAddressSchema, postalCodeFits } from "./postal-address";

// Found by trying the back office (2026-12-07): "ABCDE" was saved as a Swedish postal code and
// "XX" as a country, and shown on the resident's address from then on.
describe("an address given to us", () => {
  const address = (postalCode: string, country?: string) => ({
    lines: ["Storgatan 1"],
    postalCode,
    city: "Göteborg",
    ...(country ? { country } : {}),
  });

  it("names a real country", () => {
    expect(["NO", "SE", "DK", "DE", "GB"].every(isCountryCode)).toBe(true);
    expect(["XX", "ZZ", "EU", "UN", "no", "NOR", ""].some(isCountryCode)).toBe(false);
    expect(PostalAddressSchema.safeParse(address("12345", "XX")).success).toBe(false);
  });

  it("has a Nordic postal code written as that country's post writes it", () => {
    expect(postalCodeFits("112 51", "SE")).toBe(true);
    expect(postalCodeFits("11251", "SE")).toBe(true);
    expect(postalCodeFits("0150", "NO")).toBe(true);
    expect(postalCodeFits("ABCDE", "SE")).toBe(false);
    expect(postalCodeFits("150", "NO")).toBe(false);
    expect(postalCodeFits("SW1A 1AA", "GB")).toBe(true);
    expect(PostalAddressSchema.safeParse(address("ABCDE", "SE")).success).toBe(false);
    expect(PostalAddressSchema.safeParse(address("412 63", "SE")).success).toBe(true);
    // Without a country the caller checks against its default (the creditor's).
    expect(PostalAddressSchema.safeParse(address("ABCDE")).success).toBe(true);
  });

  it("is checked the same way by the intake API", () => {
    const claim = {
      externalId: "PA-1",
      claimType: "water",
      resident: {
        nationalId: "06866120046",
        name: "Oda Outbox",
        address: address("ABCDE", "SE"),
      },
      description: "Vann",
      currency: "SEK",
      principal: 10_000,
      issuedOn: "2026-01-01",
      dueOn: "2026-02-01",
    };
    expect(ClaimIntakeSchema.safeParse(claim).success).toBe(false);
    claim.resident.address = address("412 63", "SE");
    expect(ClaimIntakeSchema.safeParse(claim).success).toBe(true);
  });
});
