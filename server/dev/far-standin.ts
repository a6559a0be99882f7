// Local stand-in for Mina meddelanden's forwarding register (FaR), Recipient service v3: answers
// SOAP 1.1 `isReachable` for the Swedish demo people in the schema's element names (the answer
// shape of Sundsvall's test fixture DigitalMailIT/test2_hasAvailableMailboxes/recipient.xml).
// Malformed requests get a soap:Client fault, as HTTP 500 (SOAP 1.1's convention).
// Plain HTTP here; the real service requires a client certificate.
// Development and tests only: nothing under app/ may import this file.
import { XMLParser } from "fast-xml-parser";
import type { DemoContact } from "./letter-demo-people.ts";
import { handleOutageControl, listen, readBody, type Outage, type Res } from "./standin-http.ts";

export type FarStandin = { url: string; calls(): number; close(): Promise<void> };

const SUPPLIERS: Record<string, { id: string; name: string; address: string }> = {
  kivra: { id: "165568402266", name: "Kivra", address: "https://mm.kivra.com/service/v3" },
  // Ids and addresses below are placeholders of the stand-in, not the operators' real ones.
  minmyndighetspost: {
    id: "162021005489",
    name: "Min Myndighetspost",
    address: "https://mmp.example.invalid/service/v3",
  },
  fortnox: {
    id: "165565980999",
    name: "Fortnox",
    address: "https://fortnox.example.invalid/service/v3",
  },
  billo: { id: "165590000000", name: "Billo", address: "https://billo.example.invalid/service/v3" },
};

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (n) => n === "recipientId",
});
const esc = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function envelope(body: string) {
  return `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

function fault(res: Res, code: "Client" | "Server", message: string) {
  res.writeHead(500, { "content-type": "text/xml;charset=UTF-8" });
  res.end(
    envelope(
      `<SOAP-ENV:Fault><faultcode>SOAP-ENV:${code}</faultcode><faultstring>${esc(message)}</faultstring></SOAP-ENV:Fault>`,
    ),
  );
}

export function reachability(p: DemoContact | undefined, id: string): string {
  const supplier =
    p?.country === "SE" && p.inRegister && p.mailbox ? SUPPLIERS[p.mailbox] : undefined;
  const account = supplier
    ? `<ns2:RecipientId>${id}</ns2:RecipientId><ns2:Type>Secure</ns2:Type><ns2:Pending>false</ns2:Pending><ns2:ServiceSupplier><ns2:Id>${supplier.id}</ns2:Id><ns2:Name>${supplier.name}</ns2:Name><ns2:ServiceAdress>${supplier.address}</ns2:ServiceAdress><ns2:InternalServiceAdress/></ns2:ServiceSupplier><ns2:LastRegistration>2024-10-30T15:38:49.517+01:00</ns2:LastRegistration>`
    : `<ns2:RecipientId>${id}</ns2:RecipientId><ns2:Type>Not</ns2:Type><ns2:Pending>false</ns2:Pending>`;
  const accepted = supplier ? p!.senderAccepted : false;
  return `<ns3:return><ns2:AccountStatus>${account}</ns2:AccountStatus><ns2:SenderAccepted>${accepted}</ns2:SenderAccepted></ns3:return>`;
}

export async function startFarStandin(options: {
  port: number;
  people: readonly DemoContact[];
}): Promise<FarStandin> {
  const outage: { current: Outage | null } = { current: null };
  let calls = 0;
  const handle = await listen(
    options.port,
    async (req, res, url) => {
      if (req.method === "POST" && url.pathname === "/_test/outage")
        return handleOutageControl(req, res, outage);
      if (req.method !== "POST") return fault(res, "Client", "POST a SOAP envelope");
      let doc: Record<string, Record<string, Record<string, unknown>>>;
      try {
        doc = parser.parse((await readBody(req, 2_000_000)).toString(), true);
      } catch (error) {
        return fault(res, "Client", `Unmarshalling Error: ${(error as Error).message}`);
      }
      const request = doc?.Envelope?.Body?.isReachable as
        { senderOrgNr?: unknown; recipientId?: unknown } | undefined;
      if (!request) return fault(res, "Client", "No operation isReachable in the body");
      if (typeof request.senderOrgNr !== "string" || !/^16\d{10}$/.test(request.senderOrgNr))
        return fault(
          res,
          "Client",
          "senderOrgNr must be 16 followed by the 10-digit organisation number",
        );
      const ids = Array.isArray(request.recipientId) ? request.recipientId.map(String) : [];
      if (ids.length > 1000 || ids.some((id) => !/^(16\d{10}|(18|19|20)\d{10})$/.test(id)))
        return fault(res, "Client", "recipientId: 0–1000 identity numbers of 12 digits");
      calls += 1;
      const returns = ids
        .map((id) =>
          reachability(
            options.people.find((p) => p.nationalId === id),
            id,
          ),
        )
        .join("");
      res.writeHead(200, { "content-type": "text/xml;charset=UTF-8" });
      res.end(
        envelope(
          `<ns3:isReachableResponse xmlns:ns2="http://minameddelanden.gov.se/schema/Recipient" xmlns:ns3="http://minameddelanden.gov.se/schema/Recipient/v3">${returns}</ns3:isReachableResponse>`,
        ),
      );
    },
    outage,
  );
  return { url: `${handle.url}/Recipient/v3`, calls: () => calls, close: handle.close };
}
