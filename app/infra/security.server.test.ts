import type { NextFunction, Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { originCheck } from "./security.server";

const PUBLIC_URL = "https://portal.example";

/** Runs the check on a request with these headers; true when it let the request through. */
function passes(method: string, path: string, headers: Record<string, string>): boolean {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = {
    method,
    path,
    protocol: "http",
    get: (name: string) => lower[name.toLowerCase()],
  } as unknown as Request;
  let status = 0;
  const res = {
    status(code: number) {
      status = code;
      return this;
    },
    type() {
      return this;
    },
    send() {
      return this;
    },
  } as unknown as Response;
  let passed = false;
  originCheck(PUBLIC_URL, ["/api/"])(req, res, (() => (passed = true)) as NextFunction);
  if (!passed) expect(status).toBe(403);
  return passed;
}

describe("originCheck", () => {
  it("lets a form posted from the portal itself through (Origin or, failing that, Referer)", () => {
    expect(passes("POST", "/login", { Origin: PUBLIC_URL })).toBe(true);
    expect(passes("POST", "/login", { Referer: `${PUBLIC_URL}/claims/1` })).toBe(true);
  });

  it("compares with PUBLIC_URL, never with the Host header the sender chose", () => {
    expect(passes("POST", "/login", { Origin: "http://evil.example", Host: "evil.example" })).toBe(
      false,
    );
    expect(
      passes("POST", "/login", { Referer: "http://evil.example/x", Host: "evil.example" }),
    ).toBe(false);
    // The portal's own host name over another scheme or port is another origin.
    expect(passes("POST", "/login", { Origin: "http://portal.example" })).toBe(false);
    expect(passes("POST", "/login", { Origin: "https://portal.example:8443" })).toBe(false);
  });

  it("refuses a post with no origin at all, or an opaque one", () => {
    expect(passes("POST", "/login", {})).toBe(false);
    expect(passes("POST", "/login", { Origin: "null" })).toBe(false);
    expect(passes("POST", "/login", { Referer: "not a url" })).toBe(false);
  });

  it("leaves reads and machine endpoints to their own checks", () => {
    expect(passes("GET", "/claims", {})).toBe(true);
    expect(passes("POST", "/api/v1/claims", {})).toBe(true);
  });
});
