/**
 * Sweden: Kivra's sender API (developer.kivra.com; its OpenAPI file is also in
 * Sundsvallskommun/api-service-digital-mail-sender, src/main/resources/contracts/kivra/swagger.yml):
 *   POST /v1/auth                                OAuth2 client credentials (Basic id:secret), 8 h tokens
 *   POST /v2/tenant/{tenantKey}/usermatch/ssn    {"list": [ssn…]} → the ssns this tenant may send to
 *   POST /v2/tenant/{tenantKey}/content          {ssn, subject, generated_at, type, parts[]} → 201,
 *                                                header kivra-objkey (kivra-retained when held back)
 * Kivra sends no delivery or read receipts to tenants: a 201 means the content is in the
 * recipient's mailbox, so the Dispatch says delivered at once. Its "returned" is a refusal at
 * sending: error 40105 (no longer a user, or turned this sender away), which is a
 * RecipientUnreachableError: that letter must go on paper.
 * Idempotency: Kivra delivers an identical payload (all but generated_at) only once, in
 * production; the part's file name carries the letter id, so a retry with the same PDF bytes is
 * such a duplicate and a different letter never is.
 */
import { z } from "zod/v4";
import { RecipientUnreachableError, RequestRejectedError } from "../http/errors";
import { basicAuth, readJson, safeText, send } from "../http/request.server";
import { TokenCache } from "../http/token-cache";
import type { DigitalMailbox } from "./types";

const SERVICE = "kivra";

export type KivraOptions = {
  baseUrl: string; // https://sender.api.kivra.com (sandbox: https://sender.sandbox-api.kivra.com)
  clientId: string;
  clientSecret: string;
  tenantKey: string;
  /** Content type: "letter" (default). Payable types need payment data this client does not send. */
  contentType?: string;
  timeoutMs?: number;
  now?: () => number;
};

export type KivraClient = DigitalMailbox & {
  /** Which of these 12-digit personnummer this tenant may send to now. */
  matchRecipients(ssns: readonly string[]): Promise<Set<string>>;
};

const Token = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const Match = z.object({ list: z.array(z.string()) });
const KivraErrorBody = z.object({
  code: z.coerce.number(),
  short_message: z.string().optional(),
  long_message: z.string().optional(),
});

export function createKivraClient(options: KivraOptions): KivraClient {
  const base = options.baseUrl.replace(/\/$/, "");
  const now = options.now ?? Date.now;
  const tenant = `${base}/v2/tenant/${encodeURIComponent(options.tenantKey)}`;
  const tokens = new TokenCache(async () => {
    const response = await send(
      `${base}/v1/auth`,
      {
        method: "POST",
        headers: {
          authorization: basicAuth(options.clientId, options.clientSecret),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      },
      { service: SERVICE, timeoutMs: options.timeoutMs },
    );
    if (!response.ok) throw await refusal(response);
    const t = await readJson(response, Token, SERVICE);
    return { accessToken: t.access_token, expiresInSeconds: t.expires_in };
  }, now);

  async function call(url: string, body: unknown, retried = false): Promise<Response> {
    const token = await tokens.get();
    const response = await send(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(body),
      },
      { service: SERVICE, timeoutMs: options.timeoutMs },
    );
    if (response.ok) return response;
    const error = await refusal(response);
    // 401 without a recipient reason: our token; fetch a fresh one once.
    if (response.status === 401 && !(error instanceof RecipientUnreachableError) && !retried) {
      tokens.invalidate();
      return call(url, body, true);
    }
    throw error;
  }

  return {
    provider: SERVICE,

    async matchRecipients(ssns) {
      if (ssns.length === 0) return new Set();
      const response = await call(`${tenant}/usermatch/ssn`, { list: [...new Set(ssns)] });
      return new Set((await readJson(response, Match, SERVICE)).list);
    },

    async send(letter) {
      if (!/^\d{12}$/.test(letter.recipientNationalId))
        throw new RequestRejectedError("Kivra needs a 12-digit personnummer", { service: SERVICE });
      const response = await call(`${tenant}/content`, {
        ssn: letter.recipientNationalId,
        subject: letter.title,
        generated_at: new Date(now()).toISOString().slice(0, 10),
        type: options.contentType ?? "letter",
        parts: [
          {
            name: `${letter.id}.pdf`,
            data: Buffer.from(letter.pdf).toString("base64"),
            content_type: "application/pdf",
          },
        ],
      });
      const key = response.headers.get("kivra-objkey") ?? letter.id;
      const retained = response.headers.get("kivra-retained") === "true";
      const at = new Date(now());
      return {
        providerMessageId: key,
        provider: SERVICE,
        dispatchedAt: at,
        deliveredAt: retained ? null : at,
      };
    },

    async receipts(cursor) {
      return { receipts: [], cursor };
    },
  };
}

async function refusal(response: Response): Promise<Error> {
  const text = await safeText(response);
  let code: number | undefined;
  let message = text;
  try {
    const body = KivraErrorBody.parse(JSON.parse(text));
    code = body.code;
    message = `${body.short_message ?? ""}: ${body.long_message ?? ""}`;
  } catch {
    code = Number(response.headers.get("x-error-code")) || undefined;
  }
  const details = {
    service: SERVICE,
    status: response.status,
    code: code ? String(code) : undefined,
  };
  // 40105: no sendrequest / not available to this tenant; 40032: no user with that SSN.
  if (code === 40105 || code === 40032)
    return new RecipientUnreachableError(
      `the recipient cannot get content from this sender (${code} ${message})`,
      details,
    );
  return new RequestRejectedError(
    `refused the request (${response.status} ${code ?? ""} ${message})`,
    details,
  );
}
