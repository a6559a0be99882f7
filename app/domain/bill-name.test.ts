import { describe, expect, it } from "vitest";
import { descriptionNamesType } from "./bill-name";

describe("descriptionNamesType", () => {
  it("is true when the description begins with the whole name, whatever its case", () => {
    expect(descriptionNamesType("Vann og avløp", "Vann og avløp, 3. termin")).toBe(true);
    expect(descriptionNamesType("Vann og avløp", "vann og avløp 2026")).toBe(true);
    expect(descriptionNamesType("Patientavgift", "Patientavgift")).toBe(true);
  });

  it("is false for the start of a longer word, another name, or no name", () => {
    expect(descriptionNamesType("Tandvård", "Tandvårdsbesök 12 mars")).toBe(false);
    expect(descriptionNamesType("Vann og avløp", "Faktura 42")).toBe(false);
    expect(descriptionNamesType("Vann", "Vånn 2026")).toBe(false);
    expect(descriptionNamesType("", "Faktura 42")).toBe(false);
  });
});
