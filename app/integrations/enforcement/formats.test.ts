import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  csvCell,
  exportFileName,
  FilingDataError,
  formatById,
  jurisdictionOf,
  renderCsv,
  type FilingClaim,
} from ".";
import { decimal } from "./csv";

const claim = (over: Partial<FilingClaim> = {}): FilingClaim => ({
  creditor: { name: "Elvdal kommune", orgNumber: "998877660" },
  externalId: "EK-1",
  paymentReference: "4710000012",
  claimTypeName: "Vann og avløp",
  description: "Vann 2026",
  currency: "NOK",
  issuedOn: "2026-01-01",
  dueOn: "2026-02-01",
  debtor: {
    name: "Kari Nordmann",
    nationalId: "18845610009",
    address: { lines: ["Storgata 1"], postalCode: "2402", city: "Elverum", country: "NO" },
  },
  outstanding: { principal: 250_000, fees: 17_500, interest: 1_234, total: 268_734 },
  fees: [
    { kind: "REMINDER_FEE", amount: 3_500, chargedOn: "2026-02-15" },
    { kind: "COLLECTION_FEE", amount: 3_500, chargedOn: "2026-03-01" },
    { kind: "PAYMENT_DEMAND_FEE", amount: 10_500, chargedOn: "2026-03-20" },
  ],
  interestFrom: "2026-02-02",
  collectionNoticeSentOn: "2026-03-01",
  paymentDemandSentOn: "2026-03-20",
  paymentDemandDeadline: "2026-04-07",
  approvedOn: "2026-05-02",
  asOf: "2026-05-04",
  ...over,
});

const rowOf = (columns: readonly string[], row: (string | number)[]) =>
  Object.fromEntries(columns.map((c, i) => [c, row[i]]));

describe("csvCell", () => {
  it("defuses spreadsheet formulas and quotes what would break a row", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("+47")).toBe("'+47");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell('say "hi", then; go')).toBe('"say ""hi"", then; go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell(12)).toBe("12");
    expect(csvCell("Åse Øvre")).toBe("Åse Øvre");
  });

  it("writes amounts as plain decimals from minor units", () => {
    expect(decimal(0)).toBe("0.00");
    expect(decimal(5)).toBe("0.05");
    expect(decimal(123_456)).toBe("1234.56");
    expect(() => decimal(-1)).toThrow(RangeError);
  });
});

describe("the jurisdictions", () => {
  it("sends every Swedish claim to Kronofogden", () => {
    const se = jurisdictionOf("SE");
    expect(se.routes).toEqual(["kronofogden"]);
    expect(se.routeOf({ ownEnforcement: true })).toBe("kronofogden");
    expect(() => se.format("namsmann")).toThrow(RangeError);
  });

  it("keeps Norway's særnamsmann claims apart from the enforcement officer's", () => {
    const no = jurisdictionOf("NO");
    expect(no.routeOf({ ownEnforcement: true })).toBe("saernamsmann");
    expect(no.routeOf({ ownEnforcement: false })).toBe("namsmann");
    expect(no.format("saernamsmann").id).toBe("kravportal-enforcement-no-saernamsmann-v1");
    expect(no.format("namsmann").id).toBe("kravportal-enforcement-no-namsmann-v1");
    expect(formatById("kravportal-enforcement-se-v1")?.route).toBe("kronofogden");
    expect(formatById("nonsense")).toBeNull();
  });
});

describe("the files", () => {
  it("writes a Norwegian row with every amount, fee and date a request needs", () => {
    const format = jurisdictionOf("NO").format("saernamsmann");
    const row = rowOf(format.columns, format.row(claim()));
    expect(row).toMatchObject({
      creditor_org_number: "998877660",
      kid: "4710000012",
      debtor_national_identity_number: "18845610009",
      debtor_address: "Storgata 1, 2402 Elverum",
      principal: "2500.00",
      interest: "12.34",
      interest_from: "2026-02-02",
      interest_basis: "forsinkelsesrenteloven § 3",
      fees: "175.00",
      total: "2687.34",
      payment_demand_sent_on: "2026-03-20",
      payment_demand_deadline: "2026-04-07",
    });
    expect(row.fees_specified).toBe(
      "purregebyr 35.00 (2026-02-15); inkassovarsel 35.00 (2026-03-01); betalingsoppfordring 105.00 (2026-03-20)",
    );
  });

  it("writes a Swedish payment-order row with each cost apart", () => {
    const format = jurisdictionOf("SE").format("kronofogden");
    const row = rowOf(
      format.columns,
      format.row(
        claim({
          currency: "SEK",
          debtor: { name: "Astrid Lindqvist", nationalId: "195403129827", address: null },
          fees: [
            { kind: "REMINDER_FEE", amount: 6_000, chargedOn: "2026-02-15" },
            { kind: "COLLECTION_FEE", amount: 18_000, chargedOn: "2026-03-01" },
          ],
        }),
      ),
    );
    expect(row).toMatchObject({
      applicant_org_number: "998877660",
      debtor_personal_identity_number: "195403129827",
      debtor_address: "",
      claim_basis: "Vann og avløp: Vann 2026",
      reminder_fee: "60.00",
      collection_fee: "180.00",
      other_costs: "0.00",
      interest_basis: "räntelagen (1975:635) 6 §",
      collection_demand_sent_on: "2026-03-01",
    });
  });

  it("refuses a row without the creditor's organisation number", () => {
    const format = jurisdictionOf("SE").format("kronofogden");
    expect(() => format.row(claim({ creditor: { name: "X", orgNumber: null } }))).toThrow(
      FilingDataError,
    );
  });

  it("renders a whole file with CRLF lines and its checksum, or none at all", () => {
    const format = jurisdictionOf("NO").format("namsmann");
    const file = renderCsv(format, [claim(), claim({ externalId: "=EK-2" })]);
    const text = file.content.toString("utf8");
    expect(text.split("\r\n")).toHaveLength(4);
    expect(text.startsWith("creditor_name,creditor_org_number,")).toBe(true);
    expect(text).toContain(",'=EK-2,");
    expect(file.sha256).toBe(createHash("sha256").update(file.content).digest("hex"));
    expect(file.size).toBe(file.content.length);
    expect(() =>
      renderCsv(format, [claim(), claim({ creditor: { name: "X", orgNumber: null } })]),
    ).toThrow(FilingDataError);
  });

  it("names the file by its format, creditor, day and batch", () => {
    const format = jurisdictionOf("SE").format("kronofogden");
    expect(
      exportFileName(format, {
        creditorSlug: "vastkust",
        day: "2026-12-07",
        exportId: "1a2b3c4d-0000-4000-8000-000000000000",
      }),
    ).toBe("kravportal-enforcement-se-v1_vastkust_2026-12-07_1a2b3c4d.csv");
  });
});
