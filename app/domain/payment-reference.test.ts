import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  PaymentReferenceError,
  generateReference,
  isValidLuhn,
  luhnCheckDigit,
  mod11CheckDigit,
  referenceFor,
  validateReference,
  type ReferenceScheme,
} from "./payment-reference";

const SCHEMES: ReferenceScheme[] = ["KID_MOD10", "KID_MOD11", "OCR", "OCR_LENGTH"];
const schemeArb = fc.constantFrom(...SCHEMES);
const digitArb = fc.integer({ min: 0, max: 9 }).map(String);
const baseArb = fc.array(digitArb, { minLength: 1, maxLength: 22 }).map((a) => a.join(""));

describe("check digits", () => {
  it("matches known Luhn examples", () => {
    expect(luhnCheckDigit("7992739871")).toBe(3);
    expect(isValidLuhn("79927398713")).toBe(true);
    expect(isValidLuhn("79927398710")).toBe(false);
    // Swedish personnummer 121212-1212 is the textbook Luhn example.
    expect(isValidLuhn("1212121212")).toBe(true);
  });

  it("matches a hand-computed MOD11 example", () => {
    // 1234567: 7·2+6·3+5·4+4·5+3·6+2·7+1·2 = 106; 106 % 11 = 7; 11 − 7 = 4
    expect(mod11CheckDigit("1234567")).toBe(4);
    // 5: 5·2 = 10; 11 − 10 = 1
    expect(mod11CheckDigit("5")).toBe(1);
    // 0: remainder 0 → 11 → 0
    expect(mod11CheckDigit("0")).toBe(0);
    // 6: 6·2 = 12; 12 % 11 = 1; 11 − 1 = 10 → no check digit
    expect(mod11CheckDigit("6")).toBeNull();
  });

  it("MOD11 never returns 10 and the weights repeat after six digits", () => {
    fc.assert(
      fc.property(baseArb, (base) => {
        const check = mod11CheckDigit(base);
        if (check !== null) {
          expect(check).toBeGreaterThanOrEqual(0);
          expect(check).toBeLessThanOrEqual(9);
        }
      }),
    );
  });
});

describe("generateReference", () => {
  it("builds Bankgirot OCR with length digit", () => {
    // base 12345 → total length 7 → "123457"; Luhn: 7·2→5, 5, 4·2=8, 3, 2·2=4, 1 → 26 → 4
    expect(generateReference("OCR_LENGTH", "12345")).toBe("1234574");
    expect(validateReference("OCR_LENGTH", "1234574")).toEqual({ ok: true });
    expect(validateReference("OCR_LENGTH", "1234564")).toEqual({
      ok: false,
      reason: "length_digit",
    });
    // 12 digits in total → length digit 2 (mod 10)
    expect(generateReference("OCR_LENGTH", "1234567890")).toMatch(/^12345678902\d$/);
  });

  it("throws for a MOD11 base without a check digit", () => {
    expect(() => generateReference("KID_MOD11", "6")).toThrow(PaymentReferenceError);
  });

  it("rejects bad bases and lengths", () => {
    expect(() => generateReference("OCR", "12a")).toThrow(PaymentReferenceError);
    expect(() => generateReference("OCR", "1".repeat(25))).toThrow(PaymentReferenceError);
    expect(() => generateReference("OCR", "")).toThrow(PaymentReferenceError);
  });

  it("every generated reference validates", () => {
    fc.assert(
      fc.property(schemeArb, baseArb, (scheme, base) => {
        if (scheme === "KID_MOD11" && mod11CheckDigit(base) === null) return;
        const ref = generateReference(scheme, base);
        expect(ref.startsWith(base)).toBe(true);
        expect(validateReference(scheme, ref)).toEqual({ ok: true });
      }),
    );
  });

  it("detects every single-digit substitution", () => {
    fc.assert(
      fc.property(
        schemeArb,
        baseArb,
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (scheme, base, pos, delta) => {
          if (scheme === "KID_MOD11" && mod11CheckDigit(base) === null) return;
          const ref = generateReference(scheme, base);
          const i = pos % ref.length;
          const changed = String((Number(ref[i]) + delta) % 10);
          const mutated = ref.slice(0, i) + changed + ref.slice(i + 1);
          expect(validateReference(scheme, mutated).ok).toBe(false);
        },
      ),
    );
  });
});

describe("validateReference", () => {
  it("reports the reason", () => {
    expect(validateReference("KID_MOD10", "12 34")).toEqual({ ok: false, reason: "format" });
    expect(validateReference("KID_MOD10", "")).toEqual({ ok: false, reason: "format" });
    expect(validateReference("KID_MOD10", "0")).toEqual({ ok: false, reason: "length" });
    expect(validateReference("OCR", "1".repeat(26))).toEqual({ ok: false, reason: "length" });
    expect(validateReference("KID_MOD10", "79927398710")).toEqual({
      ok: false,
      reason: "check_digit",
    });
    expect(validateReference("KID_MOD11", "12345674")).toEqual({ ok: true });
    expect(validateReference("KID_MOD11", "12345675")).toEqual({
      ok: false,
      reason: "check_digit",
    });
  });
});

describe("referenceFor", () => {
  it("always returns a valid reference", () => {
    fc.assert(
      fc.property(
        schemeArb,
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.array(digitArb, { maxLength: 6 }).map((a) => a.join("")),
        (scheme, seq, prefix) => {
          const ref = referenceFor(scheme, seq, prefix);
          expect(ref.startsWith(prefix)).toBe(true);
          expect(validateReference(scheme, ref)).toEqual({ ok: true });
        },
      ),
    );
  });

  it("uses the filler for MOD11 bases without a check digit", () => {
    // find the first seq under prefix "42" whose base has no MOD11 digit
    let seq = 0;
    while (mod11CheckDigit(`42${String(seq).padStart(8, "0")}`) !== null) seq++;
    const ref = referenceFor("KID_MOD11", seq, "42");
    expect(ref).toHaveLength(2 + 8 + 1 + 1);
    expect(validateReference("KID_MOD11", ref)).toEqual({ ok: true });
  });

  it("different sequence numbers never collide", () => {
    for (const scheme of SCHEMES) {
      const seen = new Set<string>();
      for (let seq = 0; seq < 5000; seq++) seen.add(referenceFor(scheme, seq, "7"));
      expect(seen.size).toBe(5000);
    }
    fc.assert(
      fc.property(
        schemeArb,
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        (scheme, a, b) => {
          fc.pre(a !== b);
          expect(referenceFor(scheme, a, "90")).not.toBe(referenceFor(scheme, b, "90"));
        },
      ),
    );
  });

  it("rejects sequence numbers that would break the fixed width", () => {
    expect(() => referenceFor("OCR", 100_000_000, "1")).toThrow(PaymentReferenceError);
    expect(() => referenceFor("OCR", -1, "1")).toThrow(PaymentReferenceError);
    expect(() => referenceFor("OCR", 1.5, "1")).toThrow(PaymentReferenceError);
  });
});
