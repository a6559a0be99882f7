import { generateKeyPair, exportPKCS8, exportJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startMaskinportenStandin,
  type MaskinportenStandin,
} from "../../../server/dev/maskinporten-standin";
import { RequestRejectedError, ServiceUnavailableError } from "../http/errors";
import { createMaskinportenClient } from "./maskinporten.server";

const SCOPE = "krr:global/kontaktinformasjon.read";

describe("Maskinporten JWT-bearer client against the stand-in", () => {
  let mp: MaskinportenStandin;
  beforeAll(async () => {
    mp = await startMaskinportenStandin({ port: 0, tokenLifetimeSeconds: 120 });
  });
  afterAll(() => mp.close());

  const client = (over: Partial<Parameters<typeof createMaskinportenClient>[0]> = {}) =>
    createMaskinportenClient({
      issuer: mp.issuer,
      clientId: mp.client.clientId,
      privateKey: mp.client.privateKeyPem,
      keyId: mp.client.kid,
      ...over,
    });

  it("gets a token the issuer accepts, and reuses it while it is valid", async () => {
    const before = mp.tokensIssued();
    const c = client();
    const first = await c.token(SCOPE);
    const second = await c.token(SCOPE);
    expect(second).toBe(first);
    expect(mp.tokensIssued() - before).toBe(1);
    expect(await mp.verify(first)).toEqual({ clientId: mp.client.clientId, scope: [SCOPE] });
  });

  it("asks for a new token when the cached one is about to expire", async () => {
    let now = Date.now();
    const c = client({ now: () => now });
    const before = mp.tokensIssued();
    const first = await c.token(SCOPE);
    now += 89_000; // 120 s lifetime, renewed 30 s before it ends
    expect(await c.token(SCOPE)).toBe(first);
    now += 2_000;
    const renewed = await c.token(SCOPE);
    expect(renewed).not.toBe(first);
    expect(mp.tokensIssued() - before).toBe(2);
  });

  it("a private JWK works as well as a PEM key", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid: mp.client.kid });
    // A key Maskinporten does not know: refused, permanently.
    await expect(client({ privateKey: jwk, keyId: undefined }).token(SCOPE)).rejects.toMatchObject({
      name: "RequestRejectedError",
      code: "invalid_grant",
    });
  });

  it("a grant signed with the wrong key is refused, not retried", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const error = await client({ privateKey: await exportPKCS8(privateKey) })
      .token(SCOPE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error).toMatchObject({ retryable: false, status: 400, code: "invalid_grant" });
  });

  it("a scope the client may not have is refused", async () => {
    await expect(client().token("skatteetaten:secret")).rejects.toMatchObject({
      code: "invalid_scope",
      retryable: false,
    });
  });

  it("an outage is a retryable error, and the next call succeeds", async () => {
    await fetch(`${mp.issuer}_test/outage`, {
      method: "POST",
      body: JSON.stringify({ status: 503, count: 1 }),
    });
    const c = client();
    const error = await c.token(SCOPE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ retryable: true, status: 503 });
    await expect(c.token(SCOPE)).resolves.toMatch(/^ey/);
  });

  it("a token endpoint that is not there is a retryable error", async () => {
    const down = await startMaskinportenStandin({ port: 0 });
    const issuer = down.issuer;
    await down.close();
    const error = await createMaskinportenClient({
      issuer,
      clientId: down.client.clientId,
      privateKey: down.client.privateKeyPem,
      keyId: down.client.kid,
    })
      .token(SCOPE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });
});
