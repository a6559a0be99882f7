// Local stand-in for Maskinporten's token endpoint: checks the JWT-bearer grant the way
// Maskinporten documents it (RS256, `kid` of a registered key, `aud` = this issuer, `iss` = the
// client id, `exp` at most 120 s after `iat`, a `scope` the client may ask for) and issues a
// signed JWT access token. The KRR stand-in verifies those tokens through `verify()`.
// Development and tests only: nothing under app/ may import this file.
import { randomUUID } from "node:crypto";
import {
  SignJWT,
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
} from "jose";
import { handleOutageControl, listen, readBody, sendJson, type Outage } from "./standin-http.ts";

export type StandinClient = {
  clientId: string;
  kid: string;
  publicKey: CryptoKey;
  scopes: string[];
};
export type AccessClaims = { clientId: string; scope: string[] };

export type MaskinportenStandin = {
  /** The issuer (ends with "/"); the token endpoint is `${issuer}token`. */
  issuer: string;
  /** A client registered at start, with its private key, for `npm start` and tests. */
  client: { clientId: string; kid: string; privateKeyPem: string; scopes: string[] };
  tokensIssued(): number;
  /** Makes every token issued so far invalid, as if they had expired. */
  revokeAll(): void;
  verify(token: string): Promise<AccessClaims | null>;
  close(): Promise<void>;
};

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export async function startMaskinportenStandin(options: {
  port: number;
  scopes?: string[];
  tokenLifetimeSeconds?: number;
}): Promise<MaskinportenStandin> {
  const lifetime = options.tokenLifetimeSeconds ?? 120;
  const signing = await generateKeyPair("RS256", { extractable: true });
  const clientKeys = await generateKeyPair("RS256", { extractable: true });
  const scopes = options.scopes ?? [
    "krr:global/kontaktinformasjon.read",
    "krr:global/digitalpost.read",
  ];
  const client = { clientId: `kravportal-local-${randomUUID()}`, kid: randomUUID(), scopes };
  const clients = new Map<string, StandinClient>([
    [client.kid, { ...client, publicKey: clientKeys.publicKey }],
  ]);
  let issued = 0;
  // Tokens carry the generation they were issued in; revokeAll() starts a new one.
  let generation = 0;
  const outage: { current: Outage | null } = { current: null };
  let issuer = "";

  const oauthError = (res: Parameters<typeof sendJson>[0], error: string, description: string) =>
    sendJson(res, 400, { error, error_description: description });

  const handle = await listen(
    options.port,
    async (req, res, url) => {
      if (req.method === "POST" && url.pathname === "/_test/outage")
        return handleOutageControl(req, res, outage);
      if (req.method === "GET" && url.pathname === "/.well-known/oauth-authorization-server") {
        return sendJson(res, 200, {
          issuer,
          token_endpoint: `${issuer}token`,
          jwks_uri: `${issuer}jwk`,
          grant_types_supported: [GRANT],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        });
      }
      if (req.method === "GET" && url.pathname === "/jwk") {
        return sendJson(res, 200, {
          keys: [
            { ...(await exportJWK(signing.publicKey)), kid: "standin", alg: "RS256", use: "sig" },
          ],
        });
      }
      if (req.method !== "POST" || url.pathname !== "/token")
        return sendJson(res, 404, { error: "not found" });
      const form = new URLSearchParams((await readBody(req, 100_000)).toString());
      if (form.get("grant_type") !== GRANT)
        return oauthError(res, "unsupported_grant_type", "grant_type must be jwt-bearer");
      const assertion = form.get("assertion") ?? "";
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(assertion).kid;
      } catch {
        return oauthError(res, "invalid_grant", "Invalid assertion. Not a JWT.");
      }
      const registered = kid ? clients.get(kid) : undefined;
      if (!registered) return oauthError(res, "invalid_grant", "Invalid assertion. Unknown kid.");
      try {
        const { payload } = await jwtVerify(assertion, registered.publicKey, {
          audience: issuer,
          issuer: registered.clientId,
          algorithms: ["RS256"],
          requiredClaims: ["iat", "exp", "jti", "scope"],
        });
        if ((payload.exp ?? 0) - (payload.iat ?? 0) > 120)
          return oauthError(
            res,
            "invalid_grant",
            "Invalid assertion. exp more than 120 s after iat.",
          );
        const asked = String(payload.scope).split(" ").filter(Boolean);
        const denied = asked.filter((s) => !registered.scopes.includes(s));
        if (denied.length > 0)
          return oauthError(res, "invalid_scope", `Not allowed: ${denied.join(" ")}`);
        const now = Math.floor(Date.now() / 1000);
        const accessToken = await new SignJWT({
          scope: asked.join(" "),
          client_id: registered.clientId,
          gen: generation,
        })
          .setProtectedHeader({ alg: "RS256", kid: "standin" })
          .setIssuer(issuer)
          .setIssuedAt(now)
          .setExpirationTime(now + lifetime)
          .setJti(randomUUID())
          .sign(signing.privateKey);
        issued += 1;
        return sendJson(res, 200, {
          access_token: accessToken,
          token_type: "Bearer",
          expires_in: lifetime,
          scope: asked.join(" "),
        });
      } catch (error) {
        return oauthError(res, "invalid_grant", `Invalid assertion. ${(error as Error).message}`);
      }
    },
    outage,
  );
  issuer = `${handle.url}/`;

  return {
    issuer,
    client: { ...client, privateKeyPem: await exportPKCS8(clientKeys.privateKey) },
    tokensIssued: () => issued,
    revokeAll: () => {
      generation += 1;
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, signing.publicKey, {
          issuer,
          algorithms: ["RS256"],
        });
        if (payload.gen !== generation) return null;
        return { clientId: String(payload.client_id), scope: String(payload.scope).split(" ") };
      } catch {
        return null;
      }
    },
    close: handle.close,
  };
}
