// Relying party for staff sign-in through the municipality's own identity provider (OpenID
// Connect, authorization code + PKCE). The provider does the MFA; we only learn an email address.
import { timingSafeEqual } from "node:crypto";
import * as oidc from "openid-client";

export type StaffIdpConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  emailClaim: string;
};

export type StaffIdpLoginStart = {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
};
export type StaffIdpLoginResult = { email: string; sub: string };

export type StaffIdpErrorCode =
  | "state_mismatch"
  | "access_denied"
  | "provider_error"
  | "invalid_response"
  | "missing_email"
  | "email_not_verified"
  | "discovery_failed";

export class StaffIdpError extends Error {
  readonly code: StaffIdpErrorCode;
  constructor(code: StaffIdpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StaffIdpError";
    this.code = code;
  }
}

export type StaffIdpClient = {
  startLogin(): Promise<StaffIdpLoginStart>;
  finishLogin(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<StaffIdpLoginResult>;
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// Some providers send booleans as strings ("true"); a claim that is absent says nothing either way.
function unverified(value: unknown): boolean {
  return value !== undefined && value !== true && value !== "true";
}

function createClient(config: StaffIdpConfig, server: oidc.Configuration): StaffIdpClient {
  return {
    async startLogin() {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: config.scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
      });
      return { url: url.href, state, nonce, codeVerifier };
    },

    async finishLogin(callbackUrl, expected) {
      const state = callbackUrl.searchParams.get("state");
      if (state === null || !sameString(state, expected.state)) {
        throw new StaffIdpError(
          "state_mismatch",
          "The sign-in response does not belong to this attempt.",
        );
      }
      const providerError = callbackUrl.searchParams.get("error");
      if (providerError !== null) {
        const code = providerError === "access_denied" ? "access_denied" : "provider_error";
        throw new StaffIdpError(code, `Staff identity provider returned ${providerError}.`);
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
        throw new StaffIdpError(
          fromProvider ? "provider_error" : "invalid_response",
          "The staff sign-in could not be completed.",
          { cause: err },
        );
      }

      const claims = tokens.claims();
      if (!claims) throw new StaffIdpError("invalid_response", "No ID token was returned.");
      const email = claims[config.emailClaim];
      if (typeof email !== "string" || !email.includes("@")) {
        throw new StaffIdpError(
          "missing_email",
          `The ID token has no valid "${config.emailClaim}" claim.`,
        );
      }
      if (unverified(claims.email_verified)) {
        throw new StaffIdpError("email_not_verified", "The provider says the email is unverified.");
      }
      return { email, sub: claims.sub };
    },
  };
}

const clients = new Map<string, Promise<StaffIdpClient>>();

async function discover(config: StaffIdpConfig): Promise<StaffIdpClient> {
  const issuer = new URL(config.issuer);
  // Plain http is only for the local stand-in; a real provider must always be reached over TLS.
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
    throw new StaffIdpError("discovery_failed", `Discovery failed for ${config.issuer}.`, {
      cause: err,
    });
  }
}

/** Discovery runs once per distinct config; a failed discovery is retried on the next call. */
export async function getStaffIdpClient(config: StaffIdpConfig): Promise<StaffIdpClient> {
  const key = JSON.stringify(config);
  let client = clients.get(key);
  if (!client) {
    client = discover(config);
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}
