/**
 * Sweden: Mina meddelanden's forwarding register (FaR, Skatteverket/Digg), SOAP 1.1 document
 * style, the Recipient service v3 (`isReachable`): which digital mailbox (Kivra, Min
 * myndighetspost, Fortnox, Billo) each person has, and whether they accept this sender. Shapes
 * from the WSDL and XSDs in Sundsvallskommun/api-service-digital-mail-sender
 * (src/main/resources/contracts/my-messages: Recipient.wsdl, schema/v3/Recipient.xsd,
 * schema/Recipient.xsd) and its RecipientIntegrationMapper:
 *   <isReachable xmlns="http://minameddelanden.gov.se/schema/Recipient/v3">
 *     <senderOrgNr>16 + 10-digit organisation number</senderOrgNr>
 *     <recipientId>12-digit personnummer</recipientId> (up to 1000) </isReachable>
 *   → <return><AccountStatus><RecipientId/><Type>Secure|Not…</Type><Pending/>
 *      <ServiceSupplier><Id/><Name/><ServiceAdress/>…</ServiceSupplier></AccountStatus>
 *      <SenderAccepted>true|false</SenderAccepted></return>…
 * The real service needs a client certificate (mutual TLS); pass `tls` and it is used.
 * The request is built and the answer read with fast-xml-parser (a real XML parser), not by hand.
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { Agent } from "undici";
import { RequestRejectedError, ServiceUnavailableError } from "../http/errors";
import { rejected, safeText, send } from "../http/request.server";
import { z } from "zod/v4";
import type { ContactRecord, ContactRegister, MailboxProvider } from "./types";

const SERVICE = "far";
const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const V3 = "http://minameddelanden.gov.se/schema/Recipient/v3";
const MAX_PER_CALL = 1000;

export type FarOptions = {
  url: string; // the Recipient service endpoint
  /** The creditor's Swedish organisation number (10 digits; "16" is added). */
  senderOrgNumber: string;
  /** Client certificate and key (PEM) for mutual TLS, and the CA when it is not a public one. */
  tls?: { cert: string; key: string; ca?: string };
  timeoutMs?: number;
};

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true });
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false, // keep personnummer and org numbers as text
  isArray: (name) => name === "return",
});

const FarReturnSchema = z.object({
  AccountStatus: z.object({
    RecipientId: z.string(),
    Type: z.string(),
    Pending: z.string().optional(),
    ServiceSupplier: z
      .object({ Name: z.string(), ServiceAdress: z.string().optional() })
      .optional(),
  }),
  SenderAccepted: z.string(),
});
type FarReturn = z.infer<typeof FarReturnSchema>;
const Answer = z.object({
  Envelope: z.object({
    Body: z.object({
      isReachableResponse: z.union([
        z.literal(""),
        z.object({ return: z.array(FarReturnSchema).default([]) }),
      ]),
    }),
  }),
});
const Fault = z.object({
  Envelope: z.object({
    Body: z.object({
      Fault: z.object({ faultcode: z.string(), faultstring: z.string().default("") }),
    }),
  }),
});

export function providerFromSupplier(name: string): MailboxProvider {
  const n = name.toLowerCase();
  for (const known of ["kivra", "minmyndighetspost", "fortnox", "billo"])
    if (n.replace(/\s+/g, "").includes(known)) return known;
  return n;
}

export function createFarClient(options: FarOptions): ContactRegister {
  const sender =
    options.senderOrgNumber.length === 10
      ? `16${options.senderOrgNumber}`
      : options.senderOrgNumber;
  const dispatcher = options.tls ? new Agent({ connect: { ...options.tls } }) : undefined;

  async function call(ids: string[]): Promise<FarReturn[]> {
    const envelope = builder.build({
      "soapenv:Envelope": {
        "@_xmlns:soapenv": SOAP,
        "soapenv:Header": "",
        "soapenv:Body": {
          "v3:isReachable": { "@_xmlns:v3": V3, "v3:senderOrgNr": sender, "v3:recipientId": ids },
        },
      },
    }) as string;
    const response = await send(
      options.url,
      {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""' },
        body: `<?xml version="1.0" encoding="UTF-8"?>${envelope}`,
      },
      { service: SERVICE, timeoutMs: options.timeoutMs, dispatcher, returnServerFault: true },
    );
    const text = await safeText(response, Infinity);
    let doc: unknown;
    try {
      doc = parser.parse(text, true);
    } catch (error) {
      throw new ServiceUnavailableError(
        `answered ${response.status} with XML it could not read`,
        { service: SERVICE, status: response.status },
        { cause: error },
      );
    }
    const fault = Fault.safeParse(doc);
    if (fault.success) {
      const { faultcode, faultstring } = fault.data.Envelope.Body.Fault;
      const details = { service: SERVICE, status: response.status, code: faultcode };
      // soap:Client: our request was wrong; soap:Server: theirs, try again later.
      if (/Client$/.test(faultcode))
        throw new RequestRejectedError(`refused the request: ${faultstring}`, details);
      throw new ServiceUnavailableError(`failed: ${faultstring}`, details);
    }
    if (!response.ok)
      throw await rejected(new Response(text, { status: response.status }), SERVICE);
    const answer = Answer.safeParse(doc);
    if (!answer.success)
      throw new ServiceUnavailableError("answered without an isReachableResponse", {
        service: SERVICE,
        status: response.status,
      });
    const content = answer.data.Envelope.Body.isReachableResponse;
    return typeof content === "string" ? [] : content.return;
  }

  return {
    async lookup(nationalIds) {
      const unique = [...new Set(nationalIds)];
      const result = new Map<string, ContactRecord>();
      for (let i = 0; i < unique.length; i += MAX_PER_CALL) {
        for (const r of await call(unique.slice(i, i + MAX_PER_CALL))) {
          const record = toRecord(r);
          if (unique.includes(record.nationalId)) result.set(record.nationalId, record);
        }
      }
      for (const id of unique) if (!result.has(id)) result.set(id, unknown(id, null));
      return result;
    },
  };
}

function toRecord(r: FarReturn): ContactRecord {
  const account = r.AccountStatus;
  const id = account.RecipientId;
  const supplier = account.ServiceSupplier;
  if (account.Type === "Not" || !supplier) return unknown(id, null);
  const accepted = r.SenderAccepted === "true";
  const pending = account.Pending === "true";
  const reachable = accepted && !pending && Boolean(supplier.ServiceAdress);
  return {
    nationalId: id,
    status: "active",
    reservedAgainstDigitalMail: false,
    mailbox: reachable
      ? { provider: providerFromSupplier(String(supplier.Name ?? "")), address: null }
      : null,
    email: null,
    phone: null,
    language: null,
    note: !accepted
      ? "sender not accepted by recipient"
      : pending
        ? "mailbox is pending activation"
        : null,
    register: SERVICE,
  };
}

function unknown(nationalId: string, note: string | null): ContactRecord {
  return {
    nationalId,
    status: "unknown",
    reservedAgainstDigitalMail: false,
    mailbox: null,
    email: null,
    phone: null,
    language: null,
    note,
    register: SERVICE,
  };
}
