import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import {
  expect,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type Page,
} from "@playwright/test";
import { TOTP } from "otpauth";
import pg from "pg";
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from "../prisma/demo-data";

const run = promisify(execFile);

export const PORT = Number(process.env.E2E_PORT ?? 3123);
/** The embedded database that playwright.config.ts's web server started. */
export const DATABASE_URL = `postgresql://kravportal:kravportal-local@127.0.0.1:${PORT + 30000}/kravportal`;

export const ASTRID = { nationalId: "195403129827", name: "Astrid Lindqvist" };
export const KARI = { nationalId: "18845610009", name: "Kari Nordmann" };
export const LARS = { nationalId: "198711029846", name: "Lars Nilsson" };

/** A word of this run, letters only (so a name holding it can be searched by its words). */
export function runTag(): string {
  return Array.from(Date.now().toString(36), (c) =>
    String.fromCharCode(97 + (c.charCodeAt(0) % 26)),
  ).join("");
}

/** Where playwright.config.ts's web server keeps its data (E2E_DATA_DIR there: per port). */
const E2E_DATA_DIR = PORT === 3123 ? ".data/e2e" : `.data/e2e-${PORT}`;

/**
 * The command line against the web server's own database, data directory (print batches) and
 * the keys `npm start` generated there (identity numbers are encrypted with them).
 */
export async function cli(...args: string[]): Promise<string> {
  const secrets = JSON.parse(
    readFileSync(path.join(E2E_DATA_DIR, "dev-secrets.json"), "utf8"),
  ) as Record<string, string>;
  const { stdout } = await run(process.execPath, ["server/bin/kravportal.js", ...args], {
    env: {
      ...process.env,
      ...secrets,
      DATABASE_URL,
      DATA_DIR: E2E_DATA_DIR,
      PUBLIC_URL: `http://localhost:${PORT}`,
    },
  });
  return stdout;
}

/** Creates a creditor API key the way an operator does: with the command-line tool. */
export async function createApiKey(creditor: string): Promise<string> {
  const { stdout } = await run("npx", ["kravportal", "api-key", "create", "--creditor", creditor], {
    env: { ...process.env, DATABASE_URL },
  });
  const lines = stdout.trim().split("\n");
  return lines[lines.length - 1]!.trim();
}

/** A claim as a creditor's billing system posts it (the creditor API's body). */
export type ApiClaim = {
  externalId: string;
  /** Defaults to "water". */
  claimType?: string;
  resident: {
    nationalId: string;
    name: string;
    email?: string;
    country?: string;
    address?: { lines: string[]; postalCode: string; city: string };
  };
  /** Defaults to "Vann og avløp <externalId>". */
  description?: string;
  /** Defaults to "NOK". */
  currency?: string;
  principal: number;
  issuedOn: string;
  dueOn: string;
};

/** Posts one claim to the creditor API with a creditor's key; the answer as it comes. */
export function postClaim(
  request: APIRequestContext,
  key: string,
  claim: ApiClaim,
): Promise<APIResponse> {
  const { claimType = "water", currency = "NOK", description, ...rest } = claim;
  return request.post("/api/v1/claims", {
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    data: JSON.stringify({
      ...rest,
      claimType,
      description: description ?? `Vann og avløp ${claim.externalId}`,
      currency,
    }),
  });
}

/** Creates a claim through the creditor API as a billing system does; expects 201. */
export async function createClaimViaApi(
  request: APIRequestContext,
  key: string,
  claim: ApiClaim,
): Promise<{ id: string; paymentReference: string; externalId: string }> {
  const res = await postClaim(request, key, claim);
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; paymentReference: string; externalId: string };
}

/** Logs in through the local test eID as a resident would: the portal's button, then the eID form. */
export async function loginAs(page: Page, nationalId: string, startPath = "/") {
  await page.goto(startPath);
  await page.getByRole("button", { name: /log in with e-id|logga in|logg inn/i }).click();
  await page.getByLabel("National identity number").fill(nationalId);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page).toHaveURL(/\/claims/);
}

/**
 * axe runs inside the page, so it needs JavaScript; with JavaScript off it is skipped. The HTML it
 * checks is the server's in both cases (nothing is rendered on the client only).
 */
export async function expectNoAxeViolations(page: Page) {
  if (!(await javaScriptOn(page))) return;
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

/** Every piece of visible text on the page, as separate strings. */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent) continue;
      if (parent.closest("script, style, .visually-hidden")) continue;
      const rect = parent.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      out.push(text);
    }
    return out;
  });
}

/** Where the journeys' screenshots go, for a person to look at. */
export const SCREENS = "e2e/.screens";

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}

async function javaScriptOn(page: Page): Promise<boolean> {
  // With JavaScript off a <noscript> element's content is parsed as markup, so it has children.
  return page.evaluate(() => {
    const probe = document.createElement("div");
    probe.innerHTML = "<noscript><p></p></noscript>";
    return probe.querySelector("noscript")?.children.length === 0;
  });
}

/** The last TOTP step a staff member signed in with, as the server keeps it (replay guard). */
async function lastTotpStep(email: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ totpLastCounter: number | null }>(
      'SELECT "totpLastCounter" FROM "Staff" WHERE "email" = $1',
      [email],
    );
    return rows[0]?.totpLastCounter ?? null;
  } finally {
    await client.end();
  }
}

/**
 * Signs a demo staff member in with password and TOTP, as staff do (works without JavaScript).
 * The server refuses a code of a step at or before the last one used (replay protection), so
 * when another journey signed in within the same 30 seconds this waits for the next code. It
 * asks the database, not a memory of this process: Playwright starts a new worker per project
 * and after a failure.
 */
export async function staffSignIn(page: Page, email: string, creditor = "Elvdal kommune") {
  const totp = new TOTP({ secret: DEMO_STAFF_TOTP_SECRET, digits: 6, period: 30 });
  const last = await lastTotpStep(email);
  while (last !== null && totp.counter() <= last) await page.waitForTimeout(1_000);
  await page.goto("/staff/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_STAFF_PASSWORD);
  await page.getByLabel("6-digit code from your authenticator app").fill(totp.generate());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("staff-creditors")).toContainText(creditor);
}

/** A new browser context (its own session) with a staff member signed in. */
export async function staffPage(
  browser: Browser,
  email: string,
  { javaScriptEnabled = true, creditor = "Elvdal kommune" } = {},
): Promise<Page> {
  const context = await browser.newContext({ locale: "en-GB", javaScriptEnabled });
  const page = await context.newPage();
  await staffSignIn(page, email, creditor);
  return page;
}
