import { describe, expect, it } from "vitest";
import { parseOcrGiro } from "./ocr-giro";
import { bankFileError, dropLines, sample, setField } from "./test-helpers";

const text = sample("ocr-giro.txt");

describe("parseOcrGiro", () => {
  it("parses the sample into its four payments", () => {
    const file = parseOcrGiro(text);
    expect(file.format).toBe("ocr-giro");
    expect(file.fileId).toBe("ocr:12345678:0000123:2025-03-05");
    const common = { currency: "NOK", bookedOn: "2025-03-05" } as const;
    expect(file.payments).toEqual([
      {
        ...common,
        reference: "20250000120",
        amount: 150000,
        entryId: "0000045:0000001",
        bankRef: "12345678903:2025-03-05:0205100001",
        account: "12345678903",
        line: 3,
      },
      {
        ...common,
        reference: "20250000139",
        amount: 75050,
        entryId: "0000045:0000002",
        bankRef: "12345678903:2025-03-05:0205100002",
        account: "12345678903",
        line: 5,
      },
      {
        ...common,
        reference: "",
        amount: 20000,
        entryId: "0000045:0000003",
        bankRef: "12345678903:2025-03-05:0205100003",
        account: "12345678903",
        message: "Husleie mars leil 12B",
        line: 7,
      },
      // An invalid KID is still a payment: the importer routes it to staff.
      {
        ...common,
        reference: "12345678901",
        amount: 99900,
        entryId: "0000045:0000004",
        bankRef: "12345678903:2025-03-05:0205100004",
        account: "12345678903",
        line: 10,
      },
    ]);
    expect(file.control).toEqual({ count: 4, total: 344950 });
  });

  it("gives identical entry ids when the same file is parsed twice", () => {
    const ids = (t: string) => parseOcrGiro(t).payments.map((p) => p.entryId);
    expect(ids(text)).toEqual(ids(text));
  });

  it("rejects a truncated file, naming the last line", () => {
    const error = bankFileError(() => parseOcrGiro(dropLines(text, 12)));
    expect(error.line).toBe(11);
    expect(error.message).toMatch(/^line 11: .*NY000089/);
  });

  it("rejects a non-numeric amount", () => {
    const error = bankFileError(() => parseOcrGiro(setField(text, 5, 33, 49, "000000000000750X0")));
    expect(error.message).toMatch(/^line 5: amount field is not numeric/);
  });

  it("rejects assignment and transmission totals that do not match", () => {
    const assignmentSum = setField(text, 12, 25, 41, "00000000000344951");
    expect(bankFileError(() => parseOcrGiro(assignmentSum)).message).toMatch(
      /^line 12: assignment end states sum 344951, transactions add up to 344950/,
    );
    const transmissionCount = setField(text, 13, 9, 16, "00000005");
    expect(bankFileError(() => parseOcrGiro(transmissionCount)).message).toMatch(
      /^line 13: transmission end states 5 transactions, found 4/,
    );
    const records = setField(text, 12, 17, 24, "00000010");
    expect(bankFileError(() => parseOcrGiro(records)).line).toBe(12);
  });

  it("rejects a transaction whose second record is missing or out of order", () => {
    const lines = text.split("\n");
    lines.splice(3, 1); // drop record 2 of transaction 1
    expect(bankFileError(() => parseOcrGiro(lines.join("\n"))).line).toBe(4);
    const wrongTx = setField(text, 6, 9, 15, "0000009");
    expect(bankFileError(() => parseOcrGiro(wrongTx)).line).toBe(6);
  });

  it("skips a reversal (sign '-') but counts it, net, in the end records", () => {
    const reversal = [
      "NY09183000000052503250205100005-00000000000010000              20250000120000000",
      "NY091831000000500000000001234567930000000040325121212121210000000000000000000000",
    ];
    const lines = text.split("\n");
    lines.splice(11, 0, ...reversal);
    let edited = lines.join("\n");
    edited = setField(edited, 14, 9, 41, "000000050000001300000000000334950");
    edited = setField(edited, 15, 9, 41, "000000050000001500000000000334950");
    const file = parseOcrGiro(edited);
    expect(file.payments.map((p) => p.entryId)).not.toContain("0000045:0000005");
    expect(file.control).toEqual({ count: 4, total: 344950 });
  });

  it("reads two-digit years 70–99 as 19YY and rejects impossible dates", () => {
    const old = setField(text, 3, 16, 21, "200192");
    expect(parseOcrGiro(old).payments[0]?.bookedOn).toBe("1992-01-20");
    expect(bankFileError(() => parseOcrGiro(setField(text, 3, 16, 21, "300225"))).line).toBe(3);
  });
});
