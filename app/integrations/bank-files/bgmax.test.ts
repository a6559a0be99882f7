import { describe, expect, it } from "vitest";
import { parseBgMax } from "./bgmax";
import { bankFileError, dropLines, sample, setField } from "./test-helpers";

const text = sample("bgmax.txt");

describe("parseBgMax", () => {
  it("parses the sample into its five payments, skipping the TK21 deduction", () => {
    const file = parseBgMax(text);
    expect(file.format).toBe("bgmax");
    expect(file.fileId).toBe("bgmax:55555555:20250303071512345678");
    expect(file.payments).toEqual([
      {
        reference: "1002003000",
        amount: 125000,
        currency: "SEK",
        bookedOn: "2025-03-03",
        entryId: "000000000101",
        bankRef: "55555555:2025-03-03:000000000101",
        account: "55555555",
        payerName: "Anna Andersson",
        line: 3,
      },
      {
        reference: "1002003018",
        amount: 49950,
        currency: "SEK",
        bookedOn: "2025-03-03",
        entryId: "000000000102",
        bankRef: "55555555:2025-03-03:000000000102",
        account: "55555555",
        payerName: "Erik Svensson",
        message: "Faktura mars",
        line: 5,
      },
      {
        reference: "",
        amount: 30000,
        currency: "SEK",
        bookedOn: "2025-03-03",
        entryId: "000000000103",
        bankRef: "55555555:2025-03-03:000000000103",
        account: "55555555",
        payerName: "Lars Östlund",
        message: "Parkeringsavgift",
        line: 8,
      },
      {
        reference: "12345678",
        amount: 10000,
        currency: "SEK",
        bookedOn: "2025-03-04",
        entryId: "000000000201",
        bankRef: "55555555:2025-03-04:000000000201",
        account: "55555555",
        payerName: "Kommunala Bostäder AB",
        line: 13,
      },
      {
        reference: "1002003026",
        amount: 60000,
        currency: "SEK",
        bookedOn: "2025-03-04",
        entryId: "000000000202",
        bankRef: "55555555:2025-03-04:000000000202",
        account: "55555555",
        extraReferences: ["1002003034"],
        line: 15,
      },
    ]);
    expect(file.control).toEqual({ count: 5, total: 274950 });
  });

  it("gives identical entry ids when the same file is parsed twice", () => {
    const ids = (t: string) => parseBgMax(t).payments.map((p) => p.entryId);
    expect(ids(text)).toEqual(ids(text));
    expect(parseBgMax(text).fileId).toBe(parseBgMax(text).fileId);
  });

  it("accepts CRLF line ends and trimmed trailing spaces", () => {
    const crlf = text
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\r\n");
    expect(parseBgMax(crlf).payments).toEqual(parseBgMax(text).payments);
  });

  it("rejects a truncated file (no TK70), naming the last line", () => {
    const error = bankFileError(() => parseBgMax(dropLines(text, 19)));
    expect(error.line).toBe(18);
    expect(error.message).toMatch(/^line 18: .*TK70/);
  });

  it("rejects a record cut short inside its amount field", () => {
    const lines = text.split("\n");
    lines[4] = (lines[4] ?? "").slice(0, 45);
    const error = bankFileError(() => parseBgMax(lines.join("\n")));
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/amount field is not numeric/);
  });

  it("rejects a non-numeric amount", () => {
    const bad = setField(text, 3, 38, 55, "00000000000012A000");
    const error = bankFileError(() => parseBgMax(bad));
    expect(error.message).toMatch(/^line 3: amount field is not numeric/);
  });

  it("rejects a TK15 deposit amount that differs from its payments", () => {
    const bad = setField(text, 11, 51, 68, "000000000000204951");
    const error = bankFileError(() => parseBgMax(bad));
    expect(error.line).toBe(11);
    expect(error.message).toMatch(/deposit amount 204951 does not equal .* 204950/);
  });

  it("rejects a TK70 payment count that differs from the file", () => {
    const bad = setField(text, 19, 3, 10, "00000006");
    const error = bankFileError(() => parseBgMax(bad));
    expect(error.line).toBe(19);
    expect(error.message).toMatch(/6 payment \(TK20\) records, file has 5/);
  });

  it("rejects a test file, unknown records and duplicate serial numbers", () => {
    expect(bankFileError(() => parseBgMax(setField(text, 1, 45, 45, "T"))).line).toBe(1);
    expect(bankFileError(() => parseBgMax(setField(text, 4, 1, 2, "99"))).message).toMatch(
      /^line 4: unknown BgMax record type TK99/,
    );
    const dup = setField(text, 5, 58, 69, "000000000101");
    expect(bankFileError(() => parseBgMax(dup)).message).toMatch(
      /^line 5: entry id "000000000101"/,
    );
  });

  it("rejects a TK20 outside a deposit section and an impossible payment date", () => {
    expect(bankFileError(() => parseBgMax(setField(text, 2, 1, 2, "20"))).line).toBe(2);
    expect(bankFileError(() => parseBgMax(setField(text, 11, 38, 45, "20250230"))).line).toBe(11);
  });
});
