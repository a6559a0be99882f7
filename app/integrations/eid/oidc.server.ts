// Relying party for national eID login (OpenID Connect, authorization code + PKCE).
import { timingSafeEqual } from "node:crypto";
import * as oidc from "openid-client";

export type EidConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  nationalIdClaim: string;
  /** Accepted `acr` values, e.g. ["idporten-loa-high"]; when set, anything else is rejected. */
  requiredAcr?: string[];
  scope?: string;
};

export type EidLoginStart = { url: string; state: string; nonce: string; codeVerifier: string };
export type EidLoginResult = {
  nationalId: string;
  name?: string;
  acr?: string;
  idToken: string;
  sub: string;
};

export type EidLoginErrorCode =
  | "state_mismatch"
  | "access_denied"
  | "provider_error"
  | "invalid_response"
  | "acr_too_low"
  | "missing_national_id"
  | "discovery_failed";

export class EidLoginError extends Error {
  readonly code: EidLoginErrorCode;
  constructor(code: EidLoginErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EidLoginError";
    this.code = code;
  }
}

export type EidClient = {
  startLogin(): Promise<EidLoginStart>;
  finishLogin(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<EidLoginResult>;
  logoutUrl(idToken: string): string;
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// Values differ by provider: ID-porten sends 11 digits, others 12; separators never belong in the claim.
function nationalIdFrom(value: unknown): string | undefined {
  return typeof value === "string" && /^\d{11,12}$/.test(value) ? value : undefined;
}

function createClient(config: EidConfig, server: oidc.Configuration): EidClient {
  const scope = config.scope ?? "openid profile";
  return {
    async startLogin() {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const params: Record<string, string> = {
        redirect_uri: config.redirectUri,
        scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
      };
      if (config.requiredAcr?.length) params.acr_values = config.requiredAcr.join(" ");
      return { url: oidc.buildAuthorizationUrl(server, params).href, state, nonce, codeVerifier };
    },

    async finishLogin(callbackUrl, expected) {
      // Checked here as well as in openid-client so a forged or replayed callback gets its own error code.
      const state = callbackUrl.searchParams.get("state");
      if (state === null || !sameString(state, expected.state)) {
        throw new EidLoginError(
          "state_mismatch",
          "The login response does not belong to this login attempt.",
        );
      }
      const providerError = callbackUrl.searchParams.get("error");
      if (providerError !== null) {
        const code = providerError === "access_denied" ? "access_denied" : "provider_error";
        const description = callbackUrl.searchParams.get("error_description") ?? "";
        throw new EidLoginError(
          code,
          `eID provider returned ${providerError}: ${description}`.trim(),
        );
      }

      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        const fromProvider =
          err instanceof oidc.ResponseBodyError || err instanceof oidc.AuthorizationResponseError;
        throw new EidLoginError(
          fromProvider ? "provider_error" : "invalid_response",
          "The eID login could not be completed.",
          { cause: err },
        );
      }

      const claims = tokens.claims();
      if (!claims || !tokens.id_token) {
        throw new EidLoginError("invalid_response", "The eID provider returned no ID token.");
      }
      const acr = typeof claims.acr === "string" ? claims.acr : undefined;
      if (config.requiredAcr?.length && (acr === undefined || !config.requiredAcr.includes(acr))) {
        throw new EidLoginError(
          "acr_too_low",
          `Login assurance level ${acr ?? "(none)"} is not accepted.`,
        );
      }
      const nationalId = nationalIdFrom(claims[config.nationalIdClaim]);
      if (nationalId === undefined) {
        throw new EidLoginError(
          "missing_national_id",
          `The ID token has no valid "${config.nationalIdClaim}" claim.`,
        );
      }
      return {
        nationalId,
        ...(typeof claims.name === "string" ? { name: claims.name } : {}),
        ...(acr !== undefined ? { acr } : {}),
        idToken: tokens.id_token,
        sub: claims.sub,
      };
    },

    logoutUrl(idToken) {
      if (!server.serverMetadata().end_session_endpoint) return config.postLogoutRedirectUri;
      return oidc.buildEndSessionUrl(server, {
        id_token_hint: idToken,
        post_logout_redirect_uri: config.postLogoutRedirectUri,
      }).href;
    },
  };
}

const clients = new Map<string, Promise<EidClient>>();

async function discover(config: EidConfig): Promise<EidClient> {
  const issuer = new URL(config.issuer);
  // Plain http is only for the local test eID; a real eID must always be reached over TLS.
  const insecureOk = issuer.protocol === "http:" && LOCAL_HOSTS.has(issuer.hostname);
  try {
    const server = await oidc.discovery(
      issuer,
      config.clientId,
      { client_secret: config.clientSecret },
      oidc.ClientSecretBasic(config.clientSecret),
      insecureOk ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    return createClient(config, server);
  } catch (err) {
    throw new EidLoginError("discovery_failed", `eID discovery failed for ${config.issuer}.`, {
      cause: err,
    });
  }
}

/** Discovery runs once per distinct config; a failed discovery is retried on the next call. */
export async function getEidClient(config: EidConfig): Promise<EidClient> {
  const key = JSON.stringify([
    config.issuer,
    config.clientId,
    config.clientSecret,
    config.redirectUri,
    config.postLogoutRedirectUri,
    config.nationalIdClaim,
    config.requiredAcr ?? null,
    config.scope ?? null,
  ]);
  let client = clients.get(key);
  if (!client) {
    client = discover(config);
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}
