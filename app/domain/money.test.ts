import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  CURRENCIES,
  MoneyError,
  addMoney,
  assertSameCurrency,
  formatMoney,
  isZero,
  money,
  parseMajorAmount,
  subtractMoney,
  sumMoney,
} from "./money";

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
});
