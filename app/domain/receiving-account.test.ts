import { describe, expect, it } from "vitest";
import { accountForms, accountOwners, type AccountHolder } from "./receiving-account";

const holder = (id: string, bankAccount: string, more: Partial<AccountHolder> = {}) => ({
  id,
  mergedIntoId: null,
  bankAccount,
  iban: null,
  ...more,
});

describe("accountForms", () => {
  it("reads an account the same with or without dots, dashes, spaces and padding zeros", () => {
    expect(accountForms("1503.27.46180")).toEqual(accountForms("15032746180"));
    expect(accountForms("5402-8417")).toEqual(accountForms("0054028417"));
    expect(accountForms("  ")).toEqual([]);
  });

  it("finds the Norwegian account number inside a Norwegian IBAN, not inside a Swedish one", () => {
    expect(accountForms("NO93 8601 1117 947")).toEqual([
      "iban:NO9386011117947",
      "digits:86011117947",
    ]);
    expect(accountForms("SE4550000000058398257466")).toEqual(["iban:SE4550000000058398257466"]);
  });
});

describe("accountOwners", () => {
  const owner = accountOwners([
    holder("oslo", "1503.27.46180", { iban: "NO06 1503 2746 180" }),
    holder("sundsvall", "5402-8417", { iban: "SE45 5000 0000 0583 9825 7466" }),
    holder("old-town", "8601.11.17947", { mergedIntoId: "oslo" }),
    holder("a", "1111.22.33333"),
    holder("b", "1111.22.33333"),
  ]);

  it("gives the money to the creditor whose account received it, however the file writes it", () => {
    expect(owner("15032746180")).toBe("oslo");
    expect(owner("NO0615032746180")).toBe("oslo");
    expect(owner("54028417")).toBe("sundsvall");
    expect(owner("SE4550000000058398257466")).toBe("sundsvall");
  });

  it("gives a merged creditor's money to the creditor it was merged into", () => {
    expect(owner("NO9386011117947")).toBe("oslo");
  });

  it("says nothing when no creditor, or more than one, has the account, or the file names none", () => {
    expect(owner("99998888777")).toBeNull();
    expect(owner("11112233333")).toBeNull();
    expect(owner(undefined)).toBeNull();
    expect(owner("")).toBeNull();
  });
});
