import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./redirect.server";

const BASE = "https://portal.example";

/** Where a browser on the portal would go when told `Location: <path>`. */
const landsOn = (path: string) => new URL(path, BASE).origin;

describe("sameOriginPath", () => {
  it.each([
    "/claims",
    "/claims/123?tab=history#notices",
    "/sv/hjälp",
    "/staff/cases/1?returnTo=%2F%2Fevil.example",
  ])("keeps a path on this site: %s", (value) => {
    const path = sameOriginPath(value, "/fallback", BASE);
    expect(path).not.toBe("/fallback");
    expect(landsOn(path)).toBe(BASE);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "https://evil.example/",
    "http://portal.example.evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/" + "a".repeat(2001),
    42,
    null,
  ])("refuses anything that leaves the site: %j", (value) => {
    expect(sameOriginPath(value, "/fallback", BASE)).toBe("/fallback");
  });

  it("never returns a Location that a browser resolves to another host", () => {
    for (const trick of ["/\\evil.example", "/.//evil.example", "/\t/evil.example"]) {
      expect(landsOn(sameOriginPath(trick, "/claims", BASE))).toBe(BASE);
    }
  });
});
