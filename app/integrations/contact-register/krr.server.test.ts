import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKrrStandin, type KrrStandin } from "../../../server/dev/krr-standin";
import { LETTER_DEMO_PEOPLE } from "../../../server/dev/letter-demo-people";
import {
  startMaskinportenStandin,
  type MaskinportenStandin,
} from "../../../server/dev/maskinporten-standin";
import { RequestRejectedError, ServiceUnavailableError } from "../http/errors";
import { createMaskinportenClient } from "../maskinporten/maskinporten.server";
import { createKrrClient } from "./krr.server";

const KARI = "18845610009"; // Digipost
const OLA = "05928310010"; // e-Boks
const INGRID = "27829010068"; // reserved
const PER = "14876810183"; // not in KRR
const SOFIE = "01909910028"; // email and phone only
const STRANGER = "01018012345"; // not a demo person at all

describe("KRR client against the KRR and Maskinporten stand-ins", () => {
  let mp: MaskinportenStandin;
  let krr: KrrStandin;
  beforeAll(async () => {
    mp = await startMaskinportenStandin({ port: 0 });
    krr = await startKrrStandin({ port: 0, people: LETTER_DEMO_PEOPLE, verifyToken: mp.verify });
  });
  afterAll(async () => {
    await krr.close();
    await mp.close();
  });

  const client = (baseUrl = krr.url) =>
    createKrrClient({
      baseUrl,
      tokens: createMaskinportenClient({
        issuer: mp.issuer,
        clientId: mp.client.clientId,
        privateKey: mp.client.privateKeyPem,
        keyId: mp.client.kid,
      }),
    });

  it("looks several people up in one call: mailbox, reserved, unknown, email only", async () => {
    const before = krr.lookups();
    const found = await client().lookup([KARI, OLA, INGRID, PER, SOFIE, STRANGER]);
    expect(krr.lookups() - before).toBe(1);
    expect(found.get(KARI)).toMatchObject({
      status: "active",
      reservedAgainstDigitalMail: false,
      mailbox: { provider: "digipost", address: "kari.nordmann#0009" },
      email: "kari@example.no",
      phone: "+4799999901",
      language: "nb",
      register: "krr",
    });
    expect(found.get(OLA)?.mailbox).toEqual({ provider: "eboks", address: "ola.hansen#0010" });
    expect(found.get(INGRID)).toMatchObject({
      status: "active",
      reservedAgainstDigitalMail: true,
      mailbox: null,
      email: "ingrid@example.no",
    });
    expect(found.get(PER)).toMatchObject({ status: "unknown", mailbox: null, email: null });
    expect(found.get(SOFIE)).toMatchObject({ mailbox: null, email: "sofie@example.no" });
    expect(found.get(STRANGER)?.status).toBe("unknown");
    expect(found.size).toBe(6);
  });

  it("uses one token for many look-ups, and a fresh one when KRR no longer accepts it", async () => {
    const c = client();
    const before = mp.tokensIssued();
    await c.lookup([KARI]);
    await c.lookup([OLA]);
    expect(mp.tokensIssued() - before).toBe(1);
    mp.revokeAll();
    expect((await c.lookup([KARI])).get(KARI)?.mailbox?.provider).toBe("digipost");
    expect(mp.tokensIssued() - before).toBe(2);
  });

  it("splits more than 1,000 numbers into several calls", async () => {
    const many = Array.from(
      { length: 1001 },
      (_, i) => `0101${String(800000 + i).padStart(7, "0")}`,
    );
    const before = krr.lookups();
    const found = await client().lookup([...many, KARI]);
    expect(krr.lookups() - before).toBe(2);
    expect(found.size).toBe(1002);
    expect(found.get(KARI)?.status).toBe("active");
  });

  it("a malformed number is refused, permanently", async () => {
    const error = await client()
      .lookup(["not-a-number"])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error).toMatchObject({ status: 400, retryable: false });
  });

  it("a 5xx or an unreachable KRR is a retryable error", async () => {
    await fetch(`${krr.url}/_test/outage`, {
      method: "POST",
      body: JSON.stringify({ status: 502, count: 1 }),
    });
    const c = client();
    await expect(c.lookup([KARI])).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(c.lookup([KARI])).resolves.toBeInstanceOf(Map);

    const gone = await startKrrStandin({ port: 0, people: [], verifyToken: mp.verify });
    await gone.close();
    const error = await client(gone.url)
      .lookup([KARI])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ServiceUnavailableError", retryable: true });
  });
});
