/**
 * Maskinporten (Digdir's machine-to-machine OAuth server): the JWT-bearer grant of RFC 7523 as
 * Digdir documents it (docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant): a JWT
 * signed with the client's own key (RS256, `kid` of the registered key), `aud` = Maskinporten's
 * issuer, `iss` = client id, `scope`, `iat`, `exp` (at most 120 s later) and a fresh `jti`,
 * posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…` to
 * `<issuer>token`. Tokens are cached per scope until shortly before they expire.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, importJWK, importPKCS8, type CryptoKey, type JWK, type KeyObject } from "jose";
import { z } from "zod/v4";
import { RequestRejectedError } from "../http/errors";
import { readJson, safeText, send } from "../http/request.server";
import { TokenCache } from "../http/token-cache";

const SERVICE = "maskinporten";
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export type MaskinportenOptions = {
  /** Maskinporten's issuer, e.g. https://maskinporten.no/ (also the grant's audience). */
  issuer: string;
  clientId: string;
  /** The client's private key: PKCS#8 PEM or a private JWK as JSON. */
  privateKey: string;
  /** Key id registered with the client; taken from the JWK when it has one. */
  keyId?: string;
  timeoutMs?: number;
  now?: () => number;
};

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
});

export type TokenProvider = {
  /** An access token for these scopes (space-separated), from cache when still valid. */
  token(scope: string): Promise<string>;
  /** Forget the cached token for these scopes (the API said it was not accepted). */
  invalidate(scope: string): void;
};

export function createMaskinportenClient(options: MaskinportenOptions): TokenProvider {
  const now = options.now ?? Date.now;
  const tokenUrl = new URL(
    "token",
    options.issuer.endsWith("/") ? options.issuer : `${options.issuer}/`,
  );
  let signingKey: ReturnType<typeof loadKey> | undefined;
  const caches = new Map<string, TokenCache>();

  async function fetchToken(scope: string) {
    const { key, kid } = await (signingKey ??= loadKey(options.privateKey, options.keyId));
    const seconds = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope })
      .setProtectedHeader({ alg: "RS256", ...(kid ? { kid } : {}) })
      .setAudience(options.issuer)
      .setIssuer(options.clientId)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 120)
      .setJti(randomUUID())
      .sign(key);
    const response = await send(
      tokenUrl.href,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      },
      { service: SERVICE, timeoutMs: options.timeoutMs },
    );
    if (!response.ok) {
      // OAuth errors (RFC 6749 5.2): invalid_grant, invalid_scope, invalid_client… none heal by retrying.
      const body = await safeText(response);
      const code = /"error"\s*:\s*"([^"]+)"/.exec(body)?.[1];
      throw new RequestRejectedError(`refused the token request (${response.status}): ${body}`, {
        service: SERVICE,
        status: response.status,
        code,
      });
    }
    const token = await readJson(response, TokenResponse, SERVICE);
    return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
  }

  const cacheFor = (scope: string) => {
    let cache = caches.get(scope);
    if (!cache) {
      cache = new TokenCache(() => fetchToken(scope), now);
      caches.set(scope, cache);
    }
    return cache;
  };

  return {
    token: (scope) => cacheFor(scope).get(),
    invalidate: (scope) => caches.get(scope)?.invalidate(),
  };
}

async function loadKey(
  privateKey: string,
  keyId: string | undefined,
): Promise<{ key: CryptoKey | KeyObject | Uint8Array; kid: string | undefined }> {
  const text = privateKey.trim();
  if (text.startsWith("{")) {
    const jwk = JSON.parse(text) as JWK;
    return { key: await importJWK(jwk, "RS256"), kid: keyId ?? jwk.kid };
  }
  return { key: await importPKCS8(text, "RS256"), kid: keyId };
}
