// Local stand-in for Kivra's sender API (v1 auth, v2 usermatch and content), with Kivra's error
// bodies ({code, short_message, long_message} and x-error-code) and its duplicate control
// (an identical payload but for generated_at is delivered once; we answer 201 with the first
// key, which Kivra does not document). Demo people with kivra "active" are users; "opted-out"
// ones are refused with 40105, as are people without Kivra.
// Development and tests only: nothing under app/ may import this file.
import { createHash, randomBytes } from "node:crypto";
import type { DemoContact } from "./letter-demo-people.ts";
import {
  bearer,
  handleOutageControl,
  listen,
  readBody,
  sendJson,
  type Outage,
  type Res,
} from "./standin-http.ts";

export type KivraStandin = {
  url: string;
  clientId: string;
  clientSecret: string;
  tenantKey: string;
  tokensIssued(): number;
  revokeAll(): void;
  /** Contents delivered to mailboxes (duplicates not counted). */
  delivered(): { key: string; ssn: string; subject: string; type: string; files: string[] }[];
  close(): Promise<void>;
};

const fail = (res: Res, status: number, code: number, short: string, long: string) =>
  sendJson(
    res,
    status,
    { code, short_message: short, long_message: long },
    { "x-error-code": String(code) },
  );

export async function startKivraStandin(options: {
  port: number;
  people: readonly DemoContact[];
  tokenLifetimeSeconds?: number;
}): Promise<KivraStandin> {
  const clientId = `kravportal-${randomBytes(4).toString("hex")}`;
  const clientSecret = randomBytes(16).toString("hex");
  const tenantKey = randomBytes(16).toString("hex");
  const tokens = new Map<string, number>();
  const seen = new Map<string, string>();
  const delivered: ReturnType<KivraStandin["delivered"]> = [];
  const outage: { current: Outage | null } = { current: null };
  let issued = 0;
  const lifetime = options.tokenLifetimeSeconds ?? 28_800;
  const users = () =>
    new Set(options.people.filter((p) => p.kivra === "active").map((p) => p.nationalId));

  const handle = await listen(
    options.port,
    async (req, res, url) => {
      const path = url.pathname;
      if (req.method === "POST" && path === "/_test/outage")
        return handleOutageControl(req, res, outage);
      if (req.method === "POST" && path === "/v1/auth") {
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
        if (req.headers.authorization !== expected)
          return fail(res, 401, 40104, "Invalid Client", "Client authentication failed");
        if (
          new URLSearchParams((await readBody(req, 10_000)).toString()).get("grant_type") !==
          "client_credentials"
        )
          return fail(res, 400, 40001, "Invalid Request", "grant_type must be client_credentials");
        const token = randomBytes(24).toString("hex");
        tokens.set(token, Date.now() + lifetime * 1000);
        issued += 1;
        return sendJson(res, 200, {
          state: "",
          access_token: token,
          expires_in: lifetime,
          scope: `kivra.v1.tenant.${tenantKey}.*`,
          token_type: "bearer",
        });
      }
      const m = /^\/v2\/tenant\/([^/]+)\/(usermatch\/ssn|content)$/.exec(path);
      if (!m || req.method !== "POST")
        return fail(res, 404, 40400, "Not found", "There's no resource at the given URI.");
      const token = bearer(req);
      const expires = token ? tokens.get(token) : undefined;
      if (!expires || expires < Date.now())
        return fail(res, 401, 40015, "Invalid Token", "Invalid access_token provided");
      if (m[1] !== tenantKey)
        return fail(res, 404, 40400, "Not found", "There's no resource at the given URI.");
      const raw = await readBody(req);
      if (raw.length > 1024 * 1024)
        return fail(res, 413, 41300, "Request Entity Too Large", "Content over 1 MB");
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString()) as Record<string, unknown>;
      } catch {
        return fail(res, 400, 40008, "Unprocessable Entity", "The JSON payload was malformed.");
      }
      if (m[2] === "usermatch/ssn") {
        if (!Array.isArray(body.list))
          return fail(res, 400, 40000, "Request validation failed", "list is required");
        const known = users();
        return sendJson(res, 200, {
          list: body.list.filter((s) => typeof s === "string" && known.has(s)),
        });
      }
      const { ssn, subject, type, parts } = body as {
        ssn?: unknown;
        subject?: unknown;
        type?: unknown;
        parts?: unknown;
      };
      if (typeof ssn !== "string" || !/^(19|20)\d{10}$/.test(ssn))
        return fail(res, 400, 40009, "Error in SSN", "SSN must be YYYYMMDDnnnn");
      if (typeof subject !== "string" || !subject || typeof type !== "string" || !type)
        return fail(res, 400, 40000, "Request validation failed", "subject and type are required");
      const files = Array.isArray(parts)
        ? (parts as { name?: unknown; data?: unknown; content_type?: unknown }[])
        : [];
      if (files.length === 0)
        return fail(res, 400, 40019, "Invalid Files", "At least one part is required");
      for (const f of files) {
        if (f.content_type !== "application/pdf")
          return fail(res, 400, 40028, "UnsupportedFileType", "Only application/pdf");
        if (
          typeof f.data !== "string" ||
          !Buffer.from(f.data, "base64").subarray(0, 5).equals(Buffer.from("%PDF-"))
        )
          return fail(res, 400, 40019, "Invalid Files", "data is not a base64-encoded PDF");
      }
      if (!users().has(ssn))
        return fail(
          res,
          401,
          40105,
          "Invalid Sendrequest",
          "No sendrequest exists between sender and receiver, or sendrequest is not accepted.",
        );
      const { generated_at: _ignored, ...rest } = body;
      const fingerprint = createHash("sha256").update(JSON.stringify(rest)).digest("hex");
      let key = seen.get(fingerprint);
      if (!key) {
        key = randomBytes(17).toString("hex");
        seen.set(fingerprint, key);
        delivered.push({ key, ssn, subject, type, files: files.map((f) => String(f.name)) });
      }
      return sendJson(
        res,
        201,
        { subject, type },
        { "kivra-objkey": key, location: `${url.origin}/v1/tenant/${tenantKey}/content/${key}` },
      );
    },
    outage,
  );
  return {
    url: handle.url,
    clientId,
    clientSecret,
    tenantKey,
    tokensIssued: () => issued,
    revokeAll: () => tokens.clear(),
    delivered: () => [...delivered],
    close: handle.close,
  };
}
