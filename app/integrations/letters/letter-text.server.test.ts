import { describe, expect, it } from "vitest";
import { renderLetterText } from "./letter-text.server";
import { sampleLetter } from "./sample-letters";

describe("a letter as plain text", () => {
  it("says what the PDF says: address, amounts, reference and deadline", () => {
    const content = sampleLetter("NO", { language: "nn" });
    const text = renderLetterText(content).replace(/\s+/g, " ");
    expect(text).toContain("Kari Nordmann Storgata 5 3015 Drammen");
    expect(text).toContain("INKASSOVARSEL");
    expect(text).toContain("KID-nummer: 1234567890128");
    expect(text).toContain("Siste dag å betale: fredag 4. desember 2026");
    expect(text).toContain("Totalt å betale no: 1 116,90 kr");
  });
});
