import { describe, expect, it } from "vitest";
import { supportedLngs } from "~/i18n/config";
import { ClaimIntakeSchema } from "./schemas";

const intake = (language?: string) => ({
  externalId: "INV-2026-0001",
  claimType: "water",
  resident: { nationalId: "05928310010", name: "Ola Hansen", ...(language ? { language } : {}) },
  description: "4. termin 2026",
  currency: "NOK",
  principal: 45000,
  issuedOn: "2026-10-01",
  dueOn: "2026-10-31",
});

describe("a claim's resident language", () => {
  it("is any language the portal offers, nynorsk too, or left out", () => {
    expect(supportedLngs).toContain("nn");
    for (const lng of [...supportedLngs, undefined]) {
      expect(ClaimIntakeSchema.safeParse(intake(lng)).success, String(lng)).toBe(true);
    }
  });

  it("is not a language the portal does not write", () => {
    for (const lng of ["no", "nb-NO", "se", "da", "NN"]) {
      expect(ClaimIntakeSchema.safeParse(intake(lng)).success, lng).toBe(false);
    }
  });
});
