import { expect, test, type APIResponse } from "@playwright/test";

// Runs after every other journey (see playwright.config.ts): it exhausts the limits on purpose.
// The web server runs with 60 logins and 200 API calls per minute per client.

test("login attempts are rate-limited", async ({ request, baseURL }) => {
  const login = () =>
    request.post("/login", {
      headers: { Origin: baseURL! },
      form: { returnTo: "/claims" },
      maxRedirects: 0,
    });
  // The count is per client and per fixed minute, and the journeys before this one logged in from
  // the same address: read what is left of the current minute from the answer's RateLimit header
  // (`r` left, `t` seconds to its end) and start in a minute with room for the whole burst, or a
  // burst across its end would meet two minutes' allowance.
  test.setTimeout(120_000);
  const header = (res: APIResponse, part: "r" | "t") =>
    Number(new RegExp(`\\b${part}=(\\d+)`).exec(res.headers()["ratelimit"] ?? "")?.[1] ?? NaN);
  let first = await login();
  if (first.status() === 429 || header(first, "t") < 10) {
    await new Promise((r) => setTimeout(r, (header(first, "t") + 1) * 1000));
    first = await login();
  }
  expect(first.status()).toBe(302);
  expect(first.headers()["ratelimit-policy"]).toMatch(/q=60\b/);
  const remaining = header(first, "r");
  expect(remaining).toBeGreaterThanOrEqual(0);
  const statuses: number[] = [];
  for (let i = 0; i < remaining + 5; i++) statuses.push((await login()).status());
  // Exactly what the header promised gets through in this minute; everything after is refused.
  expect(statuses.slice(0, remaining).every((s) => s === 302)).toBe(true);
  expect(statuses.slice(remaining)).toEqual([429, 429, 429, 429, 429]);
});

test("the creditor API is rate-limited with a problem+json answer", async ({ request }) => {
  let last = 0;
  for (let i = 0; i < 210 && last !== 429; i++) {
    last = (await request.get("/api/v1/claim-types")).status();
  }
  expect(last).toBe(429);
  const res = await request.get("/api/v1/claim-types");
  expect(res.status()).toBe(429);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
});
