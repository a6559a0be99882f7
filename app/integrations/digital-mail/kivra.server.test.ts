import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKivraStandin, type KivraStandin } from "../../../server/dev/kivra-standin";
import { LETTER_DEMO_PEOPLE } from "../../../server/dev/letter-demo-people";
import {
  RecipientUnreachableError,
  RequestRejectedError,
  ServiceUnavailableError,
} from "../http/errors";
import { createKivraClient } from "./kivra.server";
import { letter, minimalPdf } from "./test-letters";

const ASTRID = "195403129827"; // Kivra
const LARS = "198711029846"; // Min myndighetspost, not Kivra
const ELIN = "200101159903"; // FaR says Kivra, but Kivra refuses (opted out)

describe("Kivra client against the Kivra stand-in", () => {
  let kivra: KivraStandin;
  beforeAll(async () => {
    kivra = await startKivraStandin({
      port: 0,
      people: LETTER_DEMO_PEOPLE,
      tokenLifetimeSeconds: 3600,
    });
  });
  afterAll(() => kivra.close());

  const client = (over: Partial<Parameters<typeof createKivraClient>[0]> = {}) =>
    createKivraClient({
      baseUrl: kivra.url,
      clientId: kivra.clientId,
      clientSecret: kivra.clientSecret,
      tenantKey: kivra.tenantKey,
      ...over,
    });

  it("matches users and sends a letter, which Kivra confirms as delivered at once", async () => {
    const c = client();
    expect(await c.matchRecipients([ASTRID, LARS, ELIN])).toEqual(new Set([ASTRID]));
    const l = letter(ASTRID, { language: "sv", title: "Påminnelse" });
    const d = await c.send(l);
    expect(d.provider).toBe("kivra");
    expect(d.providerMessageId).toMatch(/^[0-9a-f]{34}$/);
    expect(d.deliveredAt).toEqual(d.dispatchedAt);
    expect(kivra.delivered().at(-1)).toMatchObject({
      ssn: ASTRID,
      subject: "Påminnelse",
      type: "letter",
      files: [`${l.id}.pdf`],
    });
    expect(await c.receipts(null)).toEqual({ receipts: [], cursor: null });
  });

  it("one token for many calls; renewed when it runs out, and when Kivra no longer takes it", async () => {
    let now = Date.now();
    const c = client({ now: () => now });
    const before = kivra.tokensIssued();
    await c.matchRecipients([ASTRID]);
    await c.matchRecipients([ASTRID]);
    expect(kivra.tokensIssued() - before).toBe(1);
    now += 3600_000;
    await c.matchRecipients([ASTRID]);
    expect(kivra.tokensIssued() - before).toBe(2);
    kivra.revokeAll();
    await c.matchRecipients([ASTRID]);
    expect(kivra.tokensIssued() - before).toBe(3);
  });

  it("the same letter sent twice reaches the mailbox once; another letter is another delivery", async () => {
    const c = client();
    const l = letter(ASTRID);
    const count = kivra.delivered().length;
    const first = await c.send(l);
    const again = await c.send(l);
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(kivra.delivered().length - count).toBe(1);
    await c.send({ ...letter(ASTRID), pdf: l.pdf });
    expect(kivra.delivered().length - count).toBe(2);
  });

  it("a recipient Kivra refuses is unreachable (paper), not an error to retry", async () => {
    for (const who of [ELIN, LARS]) {
      const error = await client()
        .send(letter(who))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecipientUnreachableError);
      expect(error).toMatchObject({ code: "40105", retryable: false });
    }
  });

  it("bad input is refused permanently: not a PDF, a 10-digit number, wrong credentials", async () => {
    await expect(
      client().send({ ...letter(ASTRID), pdf: new TextEncoder().encode("hello") }),
    ).rejects.toMatchObject({ name: "RequestRejectedError", code: "40019" });
    await expect(client().send(letter("5403129827"))).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(client({ clientSecret: "nope" }).send(letter(ASTRID))).rejects.toMatchObject({
      name: "RequestRejectedError",
      code: "40104",
    });
    expect(minimalPdf().length).toBeGreaterThan(100);
  });

  it("an outage or no server is retryable", async () => {
    await fetch(`${kivra.url}/_test/outage`, {
      method: "POST",
      body: JSON.stringify({ status: 503, count: 1 }),
    });
    await expect(client().matchRecipients([ASTRID])).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    const gone = await startKivraStandin({ port: 0, people: [] });
    await gone.close();
    await expect(client({ baseUrl: gone.url }).send(letter(ASTRID))).rejects.toMatchObject({
      retryable: true,
    });
  });
});
