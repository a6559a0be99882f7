import { describe, expect, it } from "vitest";
import { recordedOrder, rowOrder, rowOrderSql } from "./row-order.server";

// Prisma's orderBy and the SQL lists are two spellings of one order: the loaders compare their
// rows (claim-state.server.test.ts); here the two spellings are checked against each other.
const columnsOfPrisma = (order: Record<string, string>[]) =>
  order.map((o) => {
    const [[column, direction]] = Object.entries(o) as [[string, string]];
    expect(direction).toBe("asc");
    return column;
  });
const columnsOfSql = (list: string, alias: string) =>
  list.split(", ").map((c) => c.replace(`${alias}.`, "").replaceAll('"', ""));

describe("the order of a claim's rows", () => {
  for (const kind of ["charges", "payments", "holds", "steps", "notices"] as const) {
    it(`${kind}: by their own date, then when recorded, then id, alike in Prisma and SQL`, () => {
      const prisma = columnsOfPrisma(rowOrder(kind));
      expect(prisma.slice(1)).toEqual(["createdAt", "id"]);
      expect(prisma[0]).toMatch(/On$/);
      expect(columnsOfSql(rowOrderSql(kind, "x"), "x")).toEqual(prisma);
      expect(columnsOfSql(rowOrderSql(kind, ""), "")).toEqual(prisma);
    });
  }

  it("rows without a date of their own (refunds): when recorded, then id", () => {
    expect(columnsOfPrisma(recordedOrder())).toEqual(["createdAt", "id"]);
    expect(rowOrderSql("recorded", "rf")).toBe('rf."createdAt", rf.id');
  });
});
