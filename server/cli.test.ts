import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../app/services/api-keys.server.ts";
import { seedDemo } from "./test-support/fixtures.ts";
import { run } from "./cli.ts";

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) },
  };
}

beforeAll(() => seedDemo());
afterAll(async () => (await import("../app/infra/db.server.ts")).disconnectDb());

describe("kravportal api-key create", () => {
  it("prints a new key as the last line, and that key authenticates as the creditor", async () => {
    const c = capture();
    expect(await run(["api-key", "create", "--creditor", "elvdal"], c.out)).toBe(0);
    const key = c.lines.join("\n").trim().split("\n").pop()!;
    expect(key).toMatch(/^kp_live_[A-Za-z0-9_-]{40,}$/);
    const caller = await authenticateApiKey(`Bearer ${key}`);
    expect(caller?.country).toBe("NO");
    expect(await authenticateApiKey(`Bearer ${key}x`)).toBeNull();
  });

  it("refuses an unknown creditor or missing options with a clear message", async () => {
    const unknown = capture();
    expect(await run(["api-key", "create", "--creditor", "nowhere"], unknown.out)).toBe(1);
    expect(unknown.errors.join("\n")).toContain('No creditor with slug "nowhere"');
    const missing = capture();
    expect(await run(["api-key", "create"], missing.out)).toBe(2);
    expect(missing.errors.join("\n")).toContain("--creditor");
    const bad = capture();
    expect(await run(["frobnicate"], bad.out)).toBe(2);
    expect(bad.errors.join("\n")).toContain("Unknown command");
  });
});
