import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  makeNorwegianFodselsnummer,
  makeSwedishPersonnummer,
  maskNationalId,
  parseNationalId,
} from "./national-id";

function dateArb(minYear: number, maxYear: number): fc.Arbitrary<string> {
  return fc
    .date({
      min: new Date(`${minYear}-01-01T00:00:00Z`),
      max: new Date(`${maxYear}-12-31T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
}

function mutateOneDigit(s: string, pos: number, delta: number): string {
  const i = pos % s.length;
  return s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);
}

describe("Swedish personnummer", () => {
  it("parses the classic example in all accepted shapes", () => {
    const today = "2025-06-01";
    const long = parseNationalId("19121212-1212", "SE");
    expect(long).toEqual({
      ok: true,
      value: {
        country: "SE",
        canonical: "191212121212",
        birthDate: "1912-12-12",
        kind: "person",
        isTestNumber: false,
      },
    });
    expect(parseNationalId("191212121212", "SE")).toEqual(long);
    expect(parseNationalId("121212+1212", "SE", today)).toEqual(long);
    const young = parseNationalId("121212-1212", "SE", today);
    expect(young.ok && young.value.birthDate).toBe("2012-12-12");
    expect(parseNationalId("1212121212", "SE", today)).toEqual(young);
  });

  it("requires today for 10-digit numbers", () => {
    expect(parseNationalId("121212-1212", "SE")).toEqual({ ok: false, error: "format" });
  });

  it("places the century relative to today, including the birthday itself", () => {
    // Born 1925-06-01 turns 100 on 2025-06-01: from that day on it is written with "+".
    const pnr = makeSwedishPersonnummer("2025-06-01", 123).slice(2);
    const r1 = parseNationalId(`${pnr.slice(0, 6)}-${pnr.slice(6)}`, "SE", "2025-06-01");
    expect(r1.ok && r1.value.birthDate).toBe("2025-06-01");
    const r2 = parseNationalId(`${pnr.slice(0, 6)}-${pnr.slice(6)}`, "SE", "2025-05-31");
    expect(r2.ok && r2.value.birthDate).toBe("1925-06-01");
  });

  it("recognises Skatteverket test numbers and samordningsnummer", () => {
    const test = parseNationalId("198112189876", "SE");
    expect(test.ok && test.value.isTestNumber).toBe(true);
    expect(test.ok && test.value.birthDate).toBe("1981-12-18");
    const coordination = makeSwedishPersonnummer("1990-03-15", 123, { coordination: true });
    expect(coordination.slice(6, 8)).toBe("75");
    const parsed = parseNationalId(coordination, "SE");
    expect(parsed.ok && parsed.value.kind).toBe("coordination");
    expect(parsed.ok && parsed.value.birthDate).toBe("1990-03-15");
  });

  it("reports the right error", () => {
    expect(parseNationalId("19121212-121", "SE")).toEqual({ ok: false, error: "format" });
    expect(parseNationalId("19121212+1212", "SE")).toEqual({ ok: false, error: "format" });
    expect(parseNationalId("19121212-1213", "SE")).toEqual({ ok: false, error: "checksum" });
    // Exactly one check digit makes 900230-123? Luhn-valid; that one fails on 30 February.
    const withCheck = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      .map((c) => parseNationalId(`19900230123${c}`, "SE"))
      .filter((r) => r.ok || r.error !== "checksum");
    expect(withCheck).toEqual([{ ok: false, error: "date" }]);
    expect(parseNationalId("20991212-1212", "SE", "2025-01-01")).toMatchObject({ ok: false });
  });

  it("generated numbers parse back to the same birth date", () => {
    fc.assert(
      fc.property(
        dateArb(1900, 2099),
        fc.integer({ min: 0, max: 999 }),
        fc.boolean(),
        (date, serial, coordination) => {
          const pnr = makeSwedishPersonnummer(date, serial, { coordination });
          const parsed = parseNationalId(pnr, "SE");
          expect(parsed).toEqual({
            ok: true,
            value: {
              country: "SE",
              canonical: pnr,
              birthDate: date,
              kind: coordination ? "coordination" : "person",
              isTestNumber: serial >= 980,
            },
          });
        },
      ),
    );
  });

  it("rejects any single changed digit among the 10 Luhn-covered digits", () => {
    fc.assert(
      fc.property(
        dateArb(1900, 2099),
        fc.integer({ min: 0, max: 999 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (date, serial, pos, delta) => {
          const pnr = makeSwedishPersonnummer(date, serial);
          const mutated = pnr.slice(0, 2) + mutateOneDigit(pnr.slice(2), pos, delta);
          expect(parseNationalId(mutated, "SE").ok).toBe(false);
        },
      ),
    );
  });
});

describe("Norwegian fødselsnummer", () => {
  it("accepts a hand-checked example", () => {
    // 010107 501: K1 = 3·0+7·1+6·0+1·1+8·0+9·7+4·5+5·0+2·1 = 93, 93 % 11 = 5 → 6
    // K2 = 5·0+4·1+3·0+2·1+7·0+6·7+5·5+4·0+3·1+2·6 = 88, 88 % 11 = 0 → 11 → 0
    expect(parseNationalId("01010750160", "NO")).toEqual({
      ok: true,
      value: {
        country: "NO",
        canonical: "01010750160",
        birthDate: "2007-01-01",
        kind: "person",
        isTestNumber: false,
      },
    });
    expect(makeNorwegianFodselsnummer("2007-01-01", 501)).toBe("01010750160");
    expect(parseNationalId("010107 50160", "NO").ok).toBe(true);
  });

  it("derives the century from the individual number", () => {
    const cases: [string, number, string][] = [
      ["1985-03-12", 123, "1985-03-12"],
      ["1860-05-05", 600, "1860-05-05"],
      ["2010-07-31", 999, "2010-07-31"],
      ["1945-01-31", 950, "1945-01-31"],
    ];
    for (const [date, individual, expected] of cases) {
      let i = individual;
      let fnr = makeNorwegianFodselsnummer(date, i);
      while (fnr === null) fnr = makeNorwegianFodselsnummer(date, --i);
      const parsed = parseNationalId(fnr, "NO");
      expect(parsed.ok && parsed.value.birthDate).toBe(expected);
    }
    expect(() => makeNorwegianFodselsnummer("1945-01-31", 800)).toThrow(RangeError);
  });

  it("recognises D-, H- and synthetic numbers", () => {
    const find = (opts: { synthetic?: boolean; dNumber?: boolean; hNumber?: boolean }): string => {
      for (let i = 100; i < 500; i++) {
        const fnr = makeNorwegianFodselsnummer("1985-03-12", i, opts);
        if (fnr) return fnr;
      }
      throw new Error("no number found");
    };
    const d = parseNationalId(find({ dNumber: true }), "NO");
    expect(d.ok && [d.value.kind, d.value.birthDate, d.value.isTestNumber]).toEqual([
      "d-number",
      "1985-03-12",
      false,
    ]);
    const s = parseNationalId(find({ synthetic: true }), "NO");
    expect(s.ok && [s.value.kind, s.value.birthDate, s.value.isTestNumber]).toEqual([
      "synthetic",
      "1985-03-12",
      true,
    ]);
    const sd = parseNationalId(find({ synthetic: true, dNumber: true }), "NO");
    expect(sd.ok && sd.value.kind).toBe("synthetic");
    const h = parseNationalId(find({ hNumber: true }), "NO");
    expect(h.ok && [h.value.kind, h.value.birthDate, h.value.isTestNumber]).toEqual([
      "h-number",
      "1985-03-12",
      false,
    ]);
    expect(h.ok && h.value.canonical.slice(2, 4)).toBe("43");
  });

  it("reports the right error", () => {
    expect(parseNationalId("0101075016", "NO")).toEqual({ ok: false, error: "format" });
    expect(parseNationalId("01010750161", "NO")).toEqual({ ok: false, error: "checksum" });
    expect(parseNationalId("01010750160", "NO", "2006-01-01")).toEqual({
      ok: false,
      error: "date",
    });
  });

  const noDateAndIndividual = fc.oneof(
    fc.tuple(dateArb(1855, 1899), fc.integer({ min: 500, max: 749 })),
    fc.tuple(dateArb(1900, 1999), fc.integer({ min: 0, max: 499 })),
    fc.tuple(dateArb(1940, 1999), fc.integer({ min: 900, max: 999 })),
    fc.tuple(dateArb(2000, 2039), fc.integer({ min: 500, max: 999 })),
  );

  it("generated numbers parse back to the same birth date", () => {
    fc.assert(
      fc.property(
        noDateAndIndividual,
        fc.boolean(),
        fc.boolean(),
        ([date, individual], synthetic, dNumber) => {
          const fnr = makeNorwegianFodselsnummer(date, individual, { synthetic, dNumber });
          fc.pre(fnr !== null);
          const parsed = parseNationalId(fnr ?? "", "NO");
          expect(parsed.ok && parsed.value.birthDate).toBe(date);
          expect(parsed.ok && parsed.value.kind).toBe(
            synthetic ? "synthetic" : dNumber ? "d-number" : "person",
          );
        },
      ),
    );
  });

  it("rejects any single changed digit", () => {
    fc.assert(
      fc.property(
        noDateAndIndividual,
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        ([date, individual], pos, delta) => {
          const fnr = makeNorwegianFodselsnummer(date, individual);
          fc.pre(fnr !== null);
          expect(parseNationalId(mutateOneDigit(fnr ?? "", pos, delta), "NO").ok).toBe(false);
        },
      ),
    );
  });
});

describe("maskNationalId", () => {
  it("keeps the birth date and hides the rest", () => {
    expect(maskNationalId("198503121234")).toBe("19850312-****");
    expect(maskNationalId("12038512345")).toBe("120385*****");
    expect(maskNationalId("abc")).toBe("***");
  });
});
