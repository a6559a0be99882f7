// The real web server (the production build behind server/web.ts) on a free port, with a
// resident, an Elvdal administrator and an API key, and `probe`: one request checked against the
// rules of the input boundary (below 500 always; when refused, every table and the attachments
// directory as they were). Import it before anything reads the environment: it sets the port,
// the attachments directory and rate limits high enough for fuzzing (those are tested apart).
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { expect } from "vitest";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { receiveClaim } from "~/services/claims/intake.server";
import { residentSessionStorage } from "~/infra/session.server";
import { createApiKey } from "~/services/identity/api-keys.server";
import { startStaffSession } from "~/services/identity/staff-session.server";
import { seedDemo } from "./fixtures.ts";
import { freePort } from "./http-browser.ts";

export const hasBuild = (await import("node:fs")).existsSync("build/server/index.js");
const ATTACHMENTS = path.resolve(`.data/probe-attachments-${process.pid}`);
process.env.RATE_LIMIT_POST_PER_MINUTE = "1000000";
process.env.RATE_LIMIT_LOGIN_PER_MINUTE = "1000000";
process.env.RATE_LIMIT_API_PER_MINUTE = "1000000";
process.env.ATTACHMENTS_DIR = ATTACHMENTS;
process.env.NODE_ENV = "production";
const PORT = await freePort();
process.env.PORT = String(PORT);
process.env.PUBLIC_URL = `http://localhost:${PORT}`;

let server: Server | undefined;
let eid: { url: string; close(): Promise<void> } | undefined;
export const base = process.env.PUBLIC_URL;
export const auth: Record<"resident" | "staff" | "api" | "none", Record<string, string>> = {
  resident: {},
  staff: {},
  api: {},
  none: {},
};
export const ids = { claimId: "" };

export type Target = {
  path: () => string;
  who: keyof typeof auth;
  fields: string[];
  files?: string;
};
export const UUID = "00000000-0000-4000-8000-000000000000";
export const TARGETS: Target[] = [
  { path: () => "/login", who: "none", fields: ["returnTo"] },
  { path: () => "/language", who: "none", fields: ["lang", "returnTo"] },
  { path: () => "/logout", who: "none", fields: [] },
  { path: () => "/staff/login", who: "none", fields: ["email", "password", "code", "returnTo"] },
  { path: () => "/staff/login/oidc", who: "none", fields: ["returnTo"] },
  { path: () => "/staff/logout", who: "none", fields: [] },
  { path: () => "/staff/password", who: "staff", fields: ["current", "next", "confirm"] },
  {
    path: () => "/staff/admin",
    who: "staff",
    fields: ["intent", "email", "name", "role", "creditorId", "staffId"],
  },
  {
    path: () => `/staff/cases/${ids.claimId}`,
    who: "staff",
    fields: ["intent", "kind", "reason", "endsOn", "holdId", "disputeId", "decision"],
  },
  { path: () => `/staff/plans/${UUID}`, who: "staff", fields: ["intent", "months", "reason"] },
  { path: () => `/staff/tasks/${UUID}`, who: "staff", fields: ["intent", "claimRef", "note"] },
  { path: () => "/staff/bank-files", who: "staff", fields: [], files: "file" },
  { path: () => "/staff/export", who: "staff", fields: ["creditorId", "route"] },
  { path: () => `/staff/export/${UUID}`, who: "staff", fields: ["intent", "receipt", "reason"] },
  {
    path: () => `/claims/${ids.claimId}/dispute`,
    who: "resident",
    fields: ["intent", "chargeId", "reason", "text", "disputeId"],
    files: "files",
  },
  { path: () => `/claims/${ids.claimId}/pay`, who: "resident", fields: ["amount", "requestId"] },
  { path: () => "/pay", who: "resident", fields: ["claim", "requestId"] },
  {
    path: () => "/plans/new",
    who: "resident",
    fields: ["claim", "mode", "months", "monthly", "defer"],
  },
  { path: () => `/plans/${UUID}`, who: "resident", fields: ["intent", "requestId"] },
  { path: () => "/help", who: "resident", fields: ["text", "consent"] },
  // Pages and resources with no action: a post is a 405, never a 500.
  { path: () => "/", who: "none", fields: [] },
  { path: () => `/claims/${ids.claimId}`, who: "resident", fields: [] },
  { path: () => `/receipts/${UUID}`, who: "resident", fields: [] },
  { path: () => "/healthz", who: "none", fields: [] },
];

/** Every table a form or API call could write, and the files beside them. */
export async function snapshot() {
  const tables = [
    "Claim",
    "Charge",
    "Payment",
    "Hold",
    "Resident",
    "Checkout",
    "Refund",
    "StaffTask",
    "Staff",
    "Dispute",
    "DisputeMessage",
    "Attachment",
    "EnforcementFiling",
    "EnforcementExport",
    "PaymentPlan",
    "BankFileImport",
    "BankEntry",
    "VulnerabilityFlag",
    "ApiKey",
    "Policy",
  ];
  const rows = await db().$queryRawUnsafe<Record<string, bigint>[]>(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}") AS "${t}"`).join(", ")}`,
  );
  const files = (() => {
    try {
      return readdirSync(ATTACHMENTS).length;
    } catch {
      return 0;
    }
  })();
  return { ...Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])), files };
}

export type Sent = { status: number; text: string; location: string | null };
let before: Awaited<ReturnType<typeof snapshot>> | undefined;
const seen: { what: string; status: number }[] = [];

/** Sends one request and checks the rules: below 500 always, nothing stored when refused. */
export async function probe(
  what: string,
  target: Target,
  init: { method?: string; headers?: Record<string, string>; body?: BodyInit },
): Promise<Sent> {
  before ??= await snapshot();
  const res = await fetch(`${base}${target.path()}`, {
    method: init.method ?? "POST",
    headers: { Origin: base, ...auth[target.who], ...init.headers },
    body: init.body,
    redirect: "manual",
  });
  const sent = {
    status: res.status,
    text: await res.text(),
    location: res.headers.get("location"),
  };
  seen.push({ what, status: sent.status });
  expect(sent.status, `${what} → ${sent.status}: ${sent.text.slice(0, 300)}`).toBeLessThan(500);
  const after = await snapshot();
  if (sent.status >= 400) expect(after, `${what} was refused but stored something`).toEqual(before);
  before = after;
  return sent;
}

export const multipart = (parts: string[], boundary = "fuzzBoundary7MA4YWxk") => ({
  headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
  body: `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join("")}--${boundary}--\r\n`,
});
export const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

/** Starts the server and makes the sessions; call from beforeAll. */
export async function startProbeServer() {
  if (!hasBuild) return;
  rmSync(ATTACHMENTS, { recursive: true, force: true });
  mkdirSync(ATTACHMENTS, { recursive: true });
  await seedDemo();
  // A test eID, so that a login starts for real (its returnTo is kept in the session).
  const eidPort = await freePort();
  const { startTestEid } = await import("../dev/test-eid.ts");
  eid = await startTestEid({
    port: eidPort,
    issuer: `http://localhost:${eidPort}`,
    clients: [
      {
        client_id: "kravportal-probe",
        client_secret: "probe-secret-0123456789abcdef0123456789",
        redirect_uris: [`${base}/auth/callback`],
        post_logout_redirect_uris: [`${base}/?loggedOut=1`],
      },
    ],
    residents: [],
  });
  // Read by the build's own configuration, which is first read after this.
  process.env.EID_ISSUER = eid.url;
  process.env.EID_CLIENT_ID = "kravportal-probe";
  process.env.EID_CLIENT_SECRET = "probe-secret-0123456789abcdef0123456789";
  const { startWeb } = await import("../web.ts");
  server = await startWeb();

  // A claim of the probes' own, of a resident nobody else uses: the disputes and payments the
  // probes make must not land on a demo claim another test file reads.
  const elvdal = await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } });
  let nationalId: string | null = null;
  for (let n = 600 + (process.pid % 100); !nationalId; n++)
    nationalId = makeNorwegianFodselsnummer("2004-02-29", n, { synthetic: true });
  const made = await receiveClaim(
    {
      creditorId: elvdal.id,
      keyId: "probe",
      country: "NO",
      currency: "NOK",
      timeZone: elvdal.timeZone,
    },
    {
      externalId: `PROBE-${Date.now().toString(36)}-${process.pid}`,
      claimType: "water",
      resident: { nationalId, name: "Petter Probe" },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 150_000,
      issuedOn: "2026-01-05",
      dueOn: "2026-02-05",
    },
    new Date(),
  );
  if (made.kind !== "created") throw new Error(`probe claim: ${JSON.stringify(made)}`);
  const claim = await db().claim.findUniqueOrThrow({
    where: { id: made.claim.id },
    include: { resident: true },
  });
  ids.claimId = claim.id;
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  session.set("residentId", claim.residentId);
  session.set("name", claim.resident.name);
  auth.resident = { Cookie: (await storage.commitSession(session)).split(";")[0]! };
  const admin = await db().staff.findUniqueOrThrow({ where: { email: "admin@elvdal.example" } });
  const started = await startStaffSession(
    new Request(`${base}/staff/login`),
    { staffId: admin.id, mustChangePassword: false },
    "/staff",
  );
  auth.staff = { Cookie: started.headers.get("Set-Cookie")!.split(";")[0]! };
  auth.api = { Authorization: `Bearer ${(await createApiKey("elvdal")).key}` };
}

/** Stops the server; call from afterAll. */
export async function stopProbeServer() {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await eid?.close();
  await disconnectDb();
  rmSync(ATTACHMENTS, { recursive: true, force: true });
}
