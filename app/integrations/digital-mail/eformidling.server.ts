/**
 * Norway: Digdir's eFormidling integration point (felleslosninger/efm-integrasjonspunkt), the
 * REST API it runs inside the municipality's network (NextMoveMessageOutController,
 * CapabilitiesController, ConversationController, MessageStatusController):
 *   GET  /api/capabilities/{fnr}              what the person can receive (DPI digital/print, DPV)
 *   POST /api/messages/out                    create: a Standard Business Document (JSON)
 *   PUT  /api/messages/out/{messageId}        upload the PDF (Content-Disposition names the file)
 *   POST /api/messages/out/{messageId}        send
 *   GET  /api/conversations/messageId/{id}    one sending and its statuses (for idempotency)
 *   GET  /api/statuses?page=&size=&sort=id,asc all statuses, paged (for receipts)
 * The integration point itself speaks Maskinporten towards Digdir; towards us it asks for HTTP
 * Basic authentication when `difi.security.enable` is on (Oauth2ClientSecurityConfig).
 */
import { z } from "zod/v4";
import {
  RecipientUnreachableError,
  RequestRejectedError,
  ServiceUnavailableError,
} from "../http/errors";
import { basicAuth, readJson, safeText, send } from "../http/request.server";
import type { DigitalLetter, DigitalMailbox, Dispatch } from "./types";
import { FILE, standardBusinessDocument } from "./eformidling-document";
import { UUID } from "./uuid-v5";
import { receiptsFromStatuses, type MessageKind } from "./eformidling-receipts";

const SERVICE = "eformidling";
export const PROCESS_INFO = "urn:no:difi:profile:digitalpost:info:ver1.0";
export const PROCESS_DECISION = "urn:no:difi:profile:digitalpost:vedtak:ver1.0";

const Capabilities = z.object({
  capabilities: z.array(
    z.object({
      process: z.string(),
      serviceIdentifier: z.string(),
      documentTypes: z.array(z.object({ type: z.string().nullish(), standard: z.string() })),
      digitalPostAddress: z
        .object({ supplier: z.string().nullish(), address: z.string().nullish() })
        .nullish(),
    }),
  ),
});
const Conversation = z.object({
  messageId: z.string(),
  messageStatuses: z.array(z.object({ status: z.string(), lastUpdate: z.string() })).default([]),
});

export type EformidlingOptions = {
  baseUrl: string;
  username?: string;
  password?: string;
  /** DPI sikkerhetsnivå: 3 (default) or 4 (only readable after a level-4 login). */
  securityLevel?: 3 | 4;
  /** Print service category: B_OEKONOMI (default) or A_PRIORITERT. */
  postalCategory?: "A_PRIORITERT" | "B_OEKONOMI";
  timeoutMs?: number;
  now?: () => Date;
};

const SUPPLIERS: Record<string, string> = {
  "984661185": "digipost",
  "922020175": "eboks",
  "996460320": "eboks",
};

export function createEformidlingClient(options: EformidlingOptions): DigitalMailbox {
  const base = options.baseUrl.replace(/\/$/, "");
  const now = options.now ?? (() => new Date());
  const auth: Record<string, string> =
    options.username !== undefined
      ? { authorization: basicAuth(options.username, options.password ?? "") }
      : {};
  const call = (path: string, init: RequestInit = {}) =>
    send(
      `${base}${path}`,
      { ...init, headers: { accept: "application/json", ...auth, ...init.headers } },
      {
        service: SERVICE,
        timeoutMs: options.timeoutMs,
      },
    );
  const refusal = (status: number, body: string): Error => {
    if (status === 401 || status === 403)
      return new RequestRejectedError(`refused our credentials (${status})`, {
        service: SERVICE,
        status,
      });
    const code = /"exception"\s*:\s*"[\w.]*?(\w+)"/.exec(body)?.[1];
    const details = { service: SERVICE, status, code };
    // The receiver's service record does not take this kind of message (any more).
    if (code && /^(ReceiverDoesNotAccept|IdentifierNotFound)/.test(code))
      return new RecipientUnreachableError(`cannot deliver to this recipient: ${body}`, details);
    return new RequestRejectedError(`refused the request (${status}): ${body}`, details);
  };
  const refuse = async (response: Response) => refusal(response.status, await safeText(response));

  async function choose(letter: DigitalLetter) {
    const response = await call(
      `/api/capabilities/${encodeURIComponent(letter.recipientNationalId)}`,
    );
    if (response.status === 404)
      throw new RecipientUnreachableError("the recipient is not known to eFormidling", {
        service: SERVICE,
        status: 404,
      });
    if (!response.ok) throw await refuse(response);
    const process = letter.isDecision ? PROCESS_DECISION : PROCESS_INFO;
    const offered = (await readJson(response, Capabilities, SERVICE)).capabilities.filter(
      (c) => c.process === process,
    );
    const find = (type: MessageKind) => {
      for (const c of offered) {
        const doc = c.documentTypes.find((d) => d.type === type);
        if (doc) return { capability: c, standard: doc.standard };
      }
      return null;
    };
    const digital = find("digital");
    if (digital?.capability.digitalPostAddress?.address) {
      const supplier = digital.capability.digitalPostAddress.supplier ?? "";
      return {
        kind: "digital" as const,
        standard: digital.standard,
        process,
        provider: SUPPLIERS[supplier] ?? supplier,
      };
    }
    const dpv = find("digital_dpv");
    if (dpv)
      return { kind: "digital_dpv" as const, standard: dpv.standard, process, provider: "altinn" };
    const print = find("print");
    if (print && letter.print)
      return { kind: "print" as const, standard: print.standard, process, provider: "print" };
    throw new RecipientUnreachableError(
      print
        ? "the recipient can only get paper, and no postal address was given"
        : "the recipient can receive nothing through eFormidling",
      { service: SERVICE },
    );
  }

  async function upload(letter: DigitalLetter) {
    const response = await call(
      `/api/messages/out/${letter.id}?title=${encodeURIComponent(letter.title)}`,
      {
        method: "PUT",
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `attachment; name="brev"; filename="${FILE}"`,
        },
        body: new Uint8Array(letter.pdf),
      },
    );
    if (response.ok) return;
    const body = await safeText(response);
    // Uploaded already by an earlier, interrupted attempt: that is the file we want.
    if (response.status === 400 && /DuplicateFilename/.test(body)) return;
    throw refusal(response.status, body);
  }

  async function sendCreated(letter: DigitalLetter, provider: string): Promise<Dispatch> {
    await upload(letter);
    const response = await call(`/api/messages/out/${letter.id}`, { method: "POST" });
    if (!response.ok) throw await refuse(response);
    return { providerMessageId: letter.id, provider, dispatchedAt: now(), deliveredAt: null };
  }

  return {
    provider: SERVICE,

    async send(letter) {
      if (!UUID.test(letter.id))
        throw new RequestRejectedError("the letter id must be a UUID (the messageId)", {
          service: SERVICE,
        });
      // Idempotency: the integration point keeps a conversation per messageId.
      const existing = await call(`/api/conversations/messageId/${letter.id}`);
      if (existing.ok) {
        const conversation = await readJson(existing, Conversation, SERVICE);
        const statuses = conversation.messageStatuses;
        const sent =
          statuses.find((s) => s.status === "SENDT") ??
          statuses.find((s) => ["MOTTATT", "LEVERT", "LEST"].includes(s.status));
        const failed = statuses.find((s) => s.status === "FEIL" || s.status === "LEVETID_UTLOPT");
        if (!sent && failed)
          throw new RequestRejectedError(
            `this sending ended in ${failed.status} before it was sent; send again under a new id`,
            { service: SERVICE, code: failed.status },
          );
        const provider = () =>
          choose(letter).then(
            (r) => r.provider,
            () => SERVICE,
          );
        if (sent)
          return {
            providerMessageId: letter.id,
            provider: await provider(),
            dispatchedAt: new Date(sent.lastUpdate),
            deliveredAt: null,
          };
        // Created by an interrupted attempt: finish it. Gone without a status: it is being sent.
        const out = await call(`/api/messages/out/${letter.id}`);
        if (out.ok) return sendCreated(letter, await provider());
        throw new ServiceUnavailableError("the sending is under way; ask again later", {
          service: SERVICE,
          status: out.status,
        });
      } else if (existing.status !== 404) {
        throw await refuse(existing);
      }
      const route = await choose(letter);
      const created = await call("/api/messages/out", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          standardBusinessDocument(letter, route, {
            at: now(),
            securityLevel: options.securityLevel ?? 3,
            postalCategory: options.postalCategory ?? "B_OEKONOMI",
          }),
        ),
      });
      if (!created.ok) throw await refuse(created);
      return sendCreated(letter, route.provider);
    },

    async receipts(cursor) {
      return receiptsFromStatuses(
        cursor,
        (page, size) => call(`/api/statuses?page=${page}&size=${size}&sort=id,asc`),
        refuse,
      );
    },
  };
}
