import { describe, expect, it } from "vitest";
import { BankFileError, parseBankFile } from "./parse";
import { bankFileError, sample } from "./test-helpers";

describe("parseBankFile", () => {
  it.each([
    ["camt054-v08.xml", "camt054", 4],
    ["camt054-v02.xml", "camt054", 2],
    ["bgmax.txt", "bgmax", 5],
    ["ocr-giro.txt", "ocr-giro", 4],
  ] as const)("detects %s as %s", (name, format, count) => {
    const file = parseBankFile(sample(name));
    expect(file.format).toBe(format);
    expect(file.payments).toHaveLength(count);
    expect(file.control.count).toBe(count);
    expect(file.control.total).toBe(file.payments.reduce((s, p) => s + p.amount, 0));
    expect(new Set(file.payments.map((p) => p.entryId)).size).toBe(count);
    expect(parseBankFile(sample(name))).toEqual(file);
  });

  it.each([
    ["a CSV export", "date;amount;reference\n2025-03-05;100,00;123\n"],
    [
      "other XML",
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
    ],
    ["an empty file", ""],
  ])("rejects %s as an unknown format on line 1", (_, text) => {
    const error = bankFileError(() => parseBankFile(text));
    expect(error).toBeInstanceOf(BankFileError);
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/^line 1: unknown bank file format/);
  });
});
