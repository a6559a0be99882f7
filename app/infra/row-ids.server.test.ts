import { describe, expect, it } from "vitest";
import { isUuid } from "~/domain/ids";
import { newRowId } from "./row-ids.server";

describe("newRowId", () => {
  it("makes distinct version 7 UUIDs whose order is the order of the milliseconds they were made in", async () => {
    const ids: string[] = [];
    // Over the pool's refill (256 ids) several times, across several milliseconds.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 300; i++) ids.push(newRowId());
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe("7"); // the version
      expect("89ab").toContain(id[19]); // the RFC 9562 variant
    }
    // The first 48 bits are the time: never earlier than an id made before it.
    const millis = ids.map((id) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
    for (let i = 1; i < millis.length; i++)
      expect(millis[i]).toBeGreaterThanOrEqual(millis[i - 1]!);
    expect(millis.at(-1)! - millis[0]!).toBeGreaterThanOrEqual(8);
    expect(Math.abs(millis.at(-1)! - Date.now())).toBeLessThan(60_000);
    // Ids of one round sort before the next round's, as the index will keep them.
    expect(ids.slice(0, 300).every((id) => id < ids[1200]!)).toBe(true);
  });
});
