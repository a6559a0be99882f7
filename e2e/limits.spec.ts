import { expect, test } from "@playwright/test";

// Runs after every other journey (see playwright.config.ts): it exhausts the limits on purpose.
// The web server runs with 60 logins and 200 API calls per minute per client.

test("login attempts are rate-limited", async ({ request, baseURL }) => {
  const statuses: number[] = [];
  for (let i = 0; i < 70; i++) {
    const res = await request.post("/login", {
      headers: { Origin: baseURL! },
      form: { returnTo: "/claims" },
      maxRedirects: 0,
    });
    statuses.push(res.status());
  }
  expect(statuses.filter((s) => s === 302).length).toBeLessThanOrEqual(60);
  expect(statuses.at(-1)).toBe(429);
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
