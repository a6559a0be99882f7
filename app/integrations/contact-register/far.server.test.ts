import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFarStandin, type FarStandin } from "../../../server/dev/far-standin";
import { LETTER_DEMO_PEOPLE } from "../../../server/dev/letter-demo-people";
import { RequestRejectedError, ServiceUnavailableError } from "../http/errors";
import { createFarClient } from "./far.server";

const ASTRID = "195403129827"; // Kivra
const LARS = "198711029846"; // Min myndighetspost
const FATIMA = "199206239866"; // Kivra, but has turned this sender away
const GUNNAR = "194908309885"; // no mailbox
const MIKAEL = "197509099920"; // Fortnox

describe("FaR (Mina meddelanden) client against the SOAP stand-in", () => {
  let far: FarStandin;
  beforeAll(async () => {
    far = await startFarStandin({ port: 0, people: LETTER_DEMO_PEOPLE });
  });
  afterAll(() => far.close());
  const client = (over: Partial<Parameters<typeof createFarClient>[0]> = {}) =>
    createFarClient({ url: far.url, senderOrgNumber: "2321000131", ...over });

  it("looks several people up in one call: mailboxes, a refused sender, nothing", async () => {
    const before = far.calls();
    const found = await client().lookup([ASTRID, LARS, FATIMA, GUNNAR, MIKAEL, "191212121212"]);
    expect(far.calls() - before).toBe(1);
    expect(found.get(ASTRID)).toMatchObject({
      status: "active",
      mailbox: { provider: "kivra", address: null },
      reservedAgainstDigitalMail: false,
      register: "far",
    });
    expect(found.get(LARS)?.mailbox?.provider).toBe("minmyndighetspost");
    expect(found.get(MIKAEL)?.mailbox?.provider).toBe("fortnox");
    expect(found.get(FATIMA)).toMatchObject({
      status: "active",
      mailbox: null,
      note: "sender not accepted by recipient",
    });
    expect(found.get(GUNNAR)).toMatchObject({ status: "unknown", mailbox: null });
    expect(found.get("191212121212")?.status).toBe("unknown");
  });

  it("a SOAP client fault is refused; a server fault or an outage is retryable", async () => {
    const error = await client({ senderOrgNumber: "12" })
      .lookup([ASTRID])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error).toMatchObject({ code: "SOAP-ENV:Client" });
    await fetch(`${far.url.replace("/Recipient/v3", "")}/_test/outage`, {
      method: "POST",
      body: JSON.stringify({ status: 503, count: 1 }),
    });
    await expect(client().lookup([ASTRID])).rejects.toBeInstanceOf(ServiceUnavailableError);
    const gone = await startFarStandin({ port: 0, people: [] });
    await gone.close();
    await expect(client({ url: gone.url }).lookup([ASTRID])).rejects.toMatchObject({
      retryable: true,
    });
  });
});
