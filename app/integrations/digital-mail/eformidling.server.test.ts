import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startEformidlingStandin,
  type EformidlingStandin,
} from "../../../server/dev/eformidling-standin";
import { LETTER_DEMO_PEOPLE } from "../../../server/dev/letter-demo-people";
import {
  RecipientUnreachableError,
  RequestRejectedError,
  ServiceUnavailableError,
} from "../http/errors";
import { standardBusinessDocument } from "./eformidling-document";
import { createEformidlingClient, PROCESS_INFO } from "./eformidling.server";
import { ADDRESS, RETURN_ADDRESS, letter } from "./test-letters";
import { uuidV5 } from "./uuid-v5";

const KARI = "18845610009"; // Digipost, reads it
const OLA = "05928310010"; // e-Boks, delivered
const INGRID = "27829010068"; // reserved: paper, printed
const PER = "14876810183"; // not in KRR: paper, returned
const SOFIE = "01909910028"; // no mailbox, not reserved: Altinn
const AHMED = "21857810004"; // Digipost, fails
const print = { recipient: ADDRESS, returnTo: RETURN_ADDRESS };

describe("eFormidling client against the integration-point stand-in", () => {
  let ip: EformidlingStandin;
  beforeAll(async () => {
    ip = await startEformidlingStandin({
      port: 0,
      people: LETTER_DEMO_PEOPLE,
      statusDelayMs: null,
    });
  });
  afterAll(() => ip.close());

  const client = (over: Partial<Parameters<typeof createEformidlingClient>[0]> = {}) =>
    createEformidlingClient({
      baseUrl: ip.url,
      username: ip.username,
      password: ip.password,
      ...over,
    });
  const control = (path: string, body: unknown = {}) =>
    fetch(`${ip.url}/_test/${path}`, { method: "POST", body: JSON.stringify(body) });

  it("uuidV5 gives the RFC's example id", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("sends to the mailbox the capabilities name, with the PDF as primary document", async () => {
    const l = letter(KARI);
    const before = ip.sentCount();
    const dispatch = await client().send(l);
    expect(dispatch).toMatchObject({
      providerMessageId: l.id,
      provider: "digipost",
      deliveredAt: null,
    });
    expect(ip.sentCount() - before).toBe(1);
    expect(ip.uploads(l.id)).toEqual([{ filename: "brev.pdf", bytes: l.pdf.length }]);
    expect((await client().send(letter(OLA))).provider).toBe("eboks");
    expect((await client().send(letter(SOFIE))).provider).toBe("altinn");
  });

  it("sending the same letter again sends nothing new and gives the same dispatch", async () => {
    const l = letter(OLA);
    const first = await client().send(l);
    const before = ip.sentCount();
    const again = await client().send(l);
    expect(ip.sentCount()).toBe(before);
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(again.provider).toBe("eboks");
    expect(Math.abs(again.dispatchedAt.getTime() - first.dispatchedAt.getTime())).toBeLessThan(
      2000,
    );
  });

  it("finishes a sending that was created but never sent", async () => {
    const l = letter(KARI);
    const sbd = standardBusinessDocument(
      l,
      {
        kind: "digital",
        standard: "urn:no:difi:digitalpost:xsd:digital::digital",
        process: PROCESS_INFO,
        provider: "digipost",
      },
      { at: new Date(), securityLevel: 3, postalCategory: "B_OEKONOMI" },
    );
    const auth = `Basic ${Buffer.from(`${ip.username}:${ip.password}`).toString("base64")}`;
    const created = await fetch(`${ip.url}/api/messages/out`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify(sbd),
    });
    expect(created.status).toBe(200);
    const before = ip.sentCount();
    expect((await client().send(l)).provider).toBe("digipost");
    expect(ip.sentCount() - before).toBe(1);
    expect(ip.uploads(l.id)).toHaveLength(1);
  });

  it("paper for the reserved and the unknown when an address is given; unreachable without one", async () => {
    expect((await client().send(letter(INGRID, { print }))).provider).toBe("print");
    expect((await client().send(letter(PER, { print }))).provider).toBe("print");
    const error = await client()
      .send(letter(INGRID))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect(error).toMatchObject({ retryable: false });
  });

  it("receipts: delivered, read, printed, returned and failed, each once, in order", async () => {
    const c = client();
    const start = await c.receipts(null);
    const sent = {
      kari: await c.send(letter(KARI)),
      ola: await c.send(letter(OLA)),
      ingrid: await c.send(letter(INGRID, { print })),
      per: await c.send(letter(PER, { print })),
      ahmed: await c.send(letter(AHMED)),
    };
    expect((await c.receipts(start.cursor)).receipts).toEqual([]); // nothing has happened yet
    await control("release");
    const { receipts, cursor } = await c.receipts(start.cursor);
    const of = (id: string) => receipts.filter((r) => r.letterId === id).map((r) => r.status);
    expect(of(sent.kari.providerMessageId)).toEqual(["delivered", "read"]);
    expect(of(sent.ola.providerMessageId)).toEqual(["delivered"]);
    expect(of(sent.ingrid.providerMessageId)).toEqual(["printed"]);
    expect(of(sent.per.providerMessageId)).toEqual(["printed", "returned"]);
    expect(of(sent.ahmed.providerMessageId)).toEqual(["failed"]);
    expect(receipts.every((r) => r.at instanceof Date && !Number.isNaN(r.at.getTime()))).toBe(true);
    expect((await c.receipts(cursor)).receipts).toEqual([]);
  });

  it("a test control can make one message fail", async () => {
    const c = client();
    const start = await c.receipts(null);
    const d = await c.send(letter(OLA));
    await control(`messages/${d.providerMessageId}/outcome`, { outcome: "failed" });
    await control("release");
    const { receipts } = await c.receipts(start.cursor);
    expect(receipts.filter((r) => r.letterId === d.providerMessageId).map((r) => r.status)).toEqual(
      ["failed"],
    );
  });

  it("statuses of messages other systems sent are not our receipts; many pages are all read", async () => {
    const c = client();
    const start = await c.receipts(null);
    const foreign = letter(KARI);
    const sbd = standardBusinessDocument(
      foreign,
      {
        kind: "digital",
        standard: "urn:no:difi:digitalpost:xsd:digital::digital",
        process: PROCESS_INFO,
        provider: "digipost",
      },
      { at: new Date(), securityLevel: 3, postalCategory: "B_OEKONOMI" },
    );
    sbd.standardBusinessDocumentHeader.businessScope.scope[0]!.instanceIdentifier =
      crypto.randomUUID();
    const auth = {
      authorization: `Basic ${Buffer.from(`${ip.username}:${ip.password}`).toString("base64")}`,
    };
    await fetch(`${ip.url}/api/messages/out`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(sbd),
    });
    const ours = [];
    for (let i = 0; i < 40; i++) ours.push((await c.send(letter(OLA))).providerMessageId);
    await control("release");
    const { receipts } = await c.receipts(start.cursor); // > 100 statuses: several pages
    expect(receipts.some((r) => r.letterId === foreign.id)).toBe(false);
    expect(new Set(receipts.map((r) => r.letterId))).toEqual(new Set(ours));
  });

  it("errors: bad credentials and a bad id are refused; an outage or no server is retryable", async () => {
    await expect(client({ password: "wrong" }).send(letter(KARI))).rejects.toMatchObject({
      name: "RequestRejectedError",
      status: 401,
    });
    await expect(client().send(letter(KARI, { id: "notice-1" }))).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    await control("outage", { status: 503, count: 1 });
    await expect(client().send(letter(KARI))).rejects.toBeInstanceOf(ServiceUnavailableError);
    const gone = await startEformidlingStandin({ port: 0, people: [] });
    await gone.close();
    await expect(client({ baseUrl: gone.url }).receipts(null)).rejects.toMatchObject({
      retryable: true,
    });
  });
});
