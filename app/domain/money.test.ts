import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  CURRENCIES,
  MoneyError,
  addMoney,
  assertSameCurrency,
  formatAmountInput,
  formatMoney,
  isZero,
  money,
  parseMajorAmount,
  subtractMoney,
  sumMoney,
} from "./money";
import { formattingLocale, supportedLngs } from "~/i18n/config";

const amountArb = fc.integer({ min: -1e12, max: 1e12 });

describe("money", () => {
  it("rejects non-integer and unsafe amounts", () => {
    expect(() => money(1.5, "SEK")).toThrow(MoneyError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, "SEK")).toThrow(MoneyError);
    expect(() => money(Number.NaN, "NOK")).toThrow(MoneyError);
  });

  it("refuses to mix currencies", () => {
    expect(() => addMoney(money(1, "SEK"), money(1, "NOK"))).toThrow(MoneyError);
    expect(() => assertSameCurrency(money(1, "EUR"), money(1, "SEK"))).toThrow(MoneyError);
    expect(() => sumMoney([money(1, "SEK")], "NOK")).toThrow(MoneyError);
  });

  it("add and subtract are inverse", () => {
    fc.assert(
      fc.property(amountArb, amountArb, fc.constantFrom(...CURRENCIES), (a, b, c) => {
        const x = money(a, c);
        const y = money(b, c);
        expect(subtractMoney(addMoney(x, y), y)).toEqual(x);
      }),
    );
  });

  it("sums lists exactly, empty list is zero", () => {
    expect(isZero(sumMoney([], "SEK"))).toBe(true);
    fc.assert(
      fc.property(fc.array(amountArb), (list) => {
        const total = sumMoney(
          list.map((a) => money(a, "NOK")),
          "NOK",
        );
        expect(total.amount).toBe(list.reduce((s, a) => s + a, 0));
      }),
    );
  });

  it("formats in the given locale", () => {
    const sv = formatMoney(money(123456, "SEK"), "sv-SE");
    expect(sv.replace(/\s/g, " ")).toBe("1 234,56 kr");
    expect(formatMoney(money(-50, "EUR"), "en-GB")).toBe("-€0.50");
  });
});

describe("parseMajorAmount", () => {
  it.each([
    ["123,45", 12345],
    ["123.45", 12345],
    ["1 234,50", 123450],
    ["1\u00a0234,5", 123450],
    ["0", 0],
    [" 7 ", 700],
  ])("parses %s", (input, expected) => {
    expect(parseMajorAmount(input)).toBe(expected);
  });

  it.each(["", "abc", "1,234.50", "1.234,50", "12,345", "-5", "+5", "1e3", ",5"])(
    "rejects %s",
    (input) => {
      expect(parseMajorAmount(input)).toBeNull();
    },
  );

  it("round-trips any minor amount written with either decimal mark", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), fc.constantFrom(",", "."), (minor, mark) => {
        const text = `${Math.floor(minor / 100)}${mark}${String(minor % 100).padStart(2, "0")}`;
        expect(parseMajorAmount(text)).toBe(minor);
      }),
    );
  });

  // The pay and plan forms read an amount in the page's language and show amounts (and their
  // hint's example) the way that language writes them: each must be read back as it was shown.
  describe.each(supportedLngs.map((lng) => [lng, formattingLocale(lng)] as const))(
    "on a page in %s (%s)",
    (_lng, locale) => {
      it("reads back an amount as the page writes it, with its digit groups", () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 1e13 }), (minor) => {
            const shown = new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(
              minor / 100,
            );
            expect(parseMajorAmount(shown, locale)).toBe(minor);
          }),
        );
      });

      it("reads back the amount a field and its hint's example show", () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 1e13 }), (minor) => {
            expect(parseMajorAmount(formatAmountInput(minor, locale), locale)).toBe(minor);
          }),
        );
        expect(["250.50", "250,50"]).toContain(formatAmountInput(25_050, locale));
      });
    },
  );

  it("reads an English page's digit groups, and still refuses what that page would not write", () => {
    expect(parseMajorAmount("2,830.16", "en-GB")).toBe(283_016);
    expect(parseMajorAmount("1,234,567", "en-GB")).toBe(123_456_700);
    expect(parseMajorAmount("250,50", "en-GB")).toBe(25_050);
    expect(formatAmountInput(283_016, "en-GB")).toBe("2830.16");
    expect(formatAmountInput(283_016, "nb-NO")).toBe("2830,16");
    for (const input of ["1.234,50", "12,34,567", "1,2345.00", "2,830.161"])
      expect(parseMajorAmount(input, "en-GB")).toBeNull();
    // Without the page's language, or on a page that groups with spaces, "," is never a group.
    expect(parseMajorAmount("2,830.16")).toBeNull();
    expect(parseMajorAmount("2,830.16", "sv-SE")).toBeNull();
    expect(parseMajorAmount("2.830,16", "nb-NO")).toBeNull();
  });
});
