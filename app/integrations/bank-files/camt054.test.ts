import { describe, expect, it } from "vitest";
import { parseCamt054 } from "./camt054";
import { bankFileError, sample } from "./test-helpers";

const v08 = sample("camt054-v08.xml");
const v02 = sample("camt054-v02.xml");

describe("parseCamt054", () => {
  it("parses the .08 sample: credit TxDtls only, the DBIT fee entry ignored", () => {
    const file = parseCamt054(v08);
    expect(file.format).toBe("camt054");
    expect(file.fileId).toBe("NO-KID-20250305-000417");
    const common = { currency: "NOK", bookedOn: "2025-03-05" } as const;
    expect(file.payments).toEqual([
      {
        ...common,
        reference: "20250000120",
        amount: 150000,
        entryId: "NO250305000000101",
        bankRef: "NO9386011117947:NO250305000000101",
        account: "NO9386011117947",
        payerName: "Kari Nordmann",
        line: 30,
      },
      {
        ...common,
        reference: "20250000139",
        amount: 75050,
        entryId: "NO250305000000102",
        bankRef: "NO9386011117947:NO250305000000102",
        account: "NO9386011117947",
        payerName: "Hansen & Sønn AS",
        line: 44,
      },
      {
        ...common,
        reference: "",
        amount: 80000,
        entryId: "NO250305000000103",
        bankRef: "NO9386011117947:NO250305000000103",
        account: "NO9386011117947",
        payerName: "Ola Nordmann",
        message: "Faktura 4711 <renovasjon>",
        line: 51,
      },
      {
        ...common,
        reference: "20250000146",
        amount: 50000,
        entryId: "NO250305000000201",
        bankRef: "NO9386011117947:NO250305000000201",
        account: "NO9386011117947",
        payerName: "Per Olsen",
        line: 76,
      },
    ]);
    expect(file.control).toEqual({ count: 4, total: 355050 });
  });

  it("parses the prefixed .02 sample, skipping the pending entry", () => {
    const file = parseCamt054(v02);
    expect(file.fileId).toBe("SE-BG-20250306-0093");
    expect(file.payments).toEqual([
      {
        reference: "1002003000",
        amount: 125000,
        currency: "SEK",
        bookedOn: "2025-03-06",
        entryId: "SE2503060001-1",
        bankRef: "SE4550000000058398257466:SE2503060001-1",
        account: "SE4550000000058398257466",
        payerName: "Anna Andersson",
        line: 19,
      },
      {
        // No TxDtls: the entry itself is the payment, with no reference for staff to match.
        reference: "",
        amount: 30000,
        currency: "SEK",
        bookedOn: "2025-03-06",
        entryId: "SE2503060002",
        bankRef: "SE4550000000058398257466:SE2503060002",
        account: "SE4550000000058398257466",
        message: "Insättning utan referens",
        line: 27,
      },
    ]);
    expect(file.control).toEqual({ count: 2, total: 155000 });
  });

  it("gives identical entry ids when the same file is parsed twice", () => {
    const ids = (t: string) => parseCamt054(t).payments.map((p) => p.entryId);
    expect(ids(v08)).toEqual(ids(v08));
  });

  it("falls back to NtryRef + index when a transaction has no AcctSvcrRef", () => {
    const text = v08.replace("<AcctSvcrRef>NO250305000000102</AcctSvcrRef>", "");
    expect(parseCamt054(text).payments[1]?.entryId).toBe("20250305-KID-0001:2");
  });

  it("rejects malformed XML with an unclosed tag, naming the line", () => {
    const unclosed = v08.replace("<Nm>Per Olsen</Nm>", "<Nm>Per Olsen");
    const error = bankFileError(() => parseCamt054(unclosed));
    expect(error.line).toBe(79);
    expect(error.message).toMatch(/^line 79: malformed XML: unexpected close tag/);

    const truncated = v08.slice(0, v08.indexOf("</Ntfctn>"));
    const eof = bankFileError(() => parseCamt054(truncated));
    expect(eof.line).toBe(9);
    expect(eof.message).toMatch(/<Ntfctn> is never closed/);
  });

  it("rejects a non-numeric amount, naming its line", () => {
    const error = bankFileError(() => parseCamt054(v08.replace(">750.50<", ">750,50<")));
    expect(error.line).toBe(46);
    expect(error.message).toMatch(/amount "750,50" is not a decimal amount/);
  });

  it("rejects a wrong control total and an entry that differs from its transactions", () => {
    const summary = bankFileError(() => parseCamt054(v08.replace(">3550.50<", ">3550.00<")));
    expect(summary.line).toBe(17);
    expect(summary.message).toMatch(/control total 355000 does not equal .* 355050/);

    const entry = v08
      .replace('<Amt Ccy="NOK">3050.50</Amt>', '<Amt Ccy="NOK">3050.00</Amt>')
      .replace(">3550.50<", ">3550.00<");
    expect(bankFileError(() => parseCamt054(entry)).line).toBe(22);
  });

  it("rejects foreign currencies, missing booking dates and other documents", () => {
    const euro = bankFileError(() => parseCamt054(v02.replace('Ccy="SEK">300', 'Ccy="EUR">300')));
    expect(euro.message).toBe('line 28: currency "EUR" is not NOK or SEK');
    const noDate = v02.replace("<ns2:BookgDt><ns2:Dt>2025-03-06</ns2:Dt></ns2:BookgDt>", "");
    expect(bankFileError(() => parseCamt054(noDate)).line).toBe(12);
    const camt053 = v02.replaceAll("camt.054.001.02", "camt.053.001.02");
    expect(bankFileError(() => parseCamt054(camt053)).message).toMatch(/not a camt.054 document/);
  });
});
