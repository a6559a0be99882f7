// Local stand-in for the national test eID (ID-porten test login, BankID test), and optionally for
// a municipality's staff identity provider (email + email_verified claims) for staff sign-in.
// Development and tests only: nothing under app/ may import this file.
import { createHash, generateKeyPair, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
// @ts-expect-error -- oidc-provider ships no type declarations; the few members used are typed below.
import ProviderModule from "oidc-provider";

export type Resident = { nationalId: string; name: string };
/** `emailVerified: false` makes the provider say so in the ID token (default: verified). */
export type StaffAccount = { email: string; name: string; emailVerified?: boolean };
export type TestEidClient = {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
};
export type TestEidOptions = {
  port: number;
  host?: string;
  issuer: string;
  clients: TestEidClient[];
  residents: Resident[];
  nationalIdClaim?: string;
  acr?: string;
  /** Clients that sign staff in: their login page asks for an email address instead. */
  staff?: { clients: TestEidClient[]; accounts: StaffAccount[] };
};
export type TestEid = { url: string; close(): Promise<void> };

// Only the members of oidc-provider (untyped) and its Koa context that this file touches.
type Req = IncomingMessage;
type Res = ServerResponse;
type Interaction = { uid: string; prompt: { name: string }; params: Record<string, unknown> };
type Grant = { addOIDCScope(scope: string): void; save(): Promise<string> };
type TokenModel = { revokeByGrantId(grantId: string): Promise<void> };
type Session = { accountId?: string; authorizations?: Record<string, { grantId?: string }> };
type KoaCtx = {
  oidc: {
    session: Session & { destroy(): Promise<void> };
    entities: { IdTokenHint?: { payload: { sub?: string } } };
    params: { post_logout_redirect_uri?: string; state?: string };
    urlFor(name: string): string;
  };
  cookies: { set(name: string, value: null, opts: object): void };
  type: string;
  status: number;
  body: string;
  redirect(url: string): void;
};
type Provider = {
  callback(): (req: Req, res: Res) => void;
  interactionDetails(req: Req, res: Res): Promise<Interaction & { session?: Session }>;
  interactionFinished(req: Req, res: Res, result: object, opts?: object): Promise<void>;
  cookieName(type: string): string;
  Grant: {
    new (init: { accountId: string; clientId: string }): Grant;
    adapter: { destroy(id: string): Promise<void> };
  };
  AccessToken: TokenModel;
  AuthorizationCode: TokenModel;
};
const ProviderCtor = ProviderModule as new (issuer: string, config: object) => Provider;

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const CSS = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.banner{background:#fff3cd;border:1px solid #8a6d00;padding:.5rem .75rem}label{display:block;font-weight:600;margin-top:1rem}
input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box;border:2px solid #555}button{font-size:1rem;padding:.4rem 1rem;margin-top:.5rem;cursor:pointer}
.error{color:#a00000;font-weight:600}ul{list-style:none;padding:0}li{margin:.25rem 0}li form{display:flex;gap:1rem;align-items:center}li button{margin:0}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Test eID</title><style>${CSS}</style></head><body><main>
<p class="banner">Test eID for development. Not a real identity provider.</p>${body}</main></body></html>`;
}

const messagePage = (title: string, text: string): string =>
  page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);

// One small form per resident so picking one works with JavaScript off.
function loginPage(action: string, residents: Resident[], value = "", error = ""): string {
  const form = `<form method="post" action="${esc(action)}"`;
  const people = residents.map(
    (r) => `<li>${form}><input type="hidden" name="nationalId" value="${esc(r.nationalId)}">
<button type="submit">Log in as ${esc(r.name)}</button><span>${esc(r.nationalId)}</span></form></li>`,
  );
  const err = error && `<p id="nationalId-error" class="error">${esc(error)}</p>`;
  const invalid = error && ' aria-invalid="true" aria-describedby="nationalId-error"';
  return page(
    "Log in",
    `<h1>Log in with test eID</h1>${form} novalidate>
<label for="nationalId">National identity number</label>${err}<input id="nationalId" name="nationalId"
 type="text" inputmode="numeric" autocomplete="off" value="${esc(value)}"${invalid}>
<button type="submit">Log in</button></form><h2>Demo residents</h2><ul>${people.join("")}</ul>`,
  );
}

function staffLoginPage(action: string, accounts: StaffAccount[], value = "", error = ""): string {
  const form = `<form method="post" action="${esc(action)}"`;
  const people = accounts.map(
    (a) => `<li>${form}><input type="hidden" name="email" value="${esc(a.email)}">
<button type="submit">Sign in as ${esc(a.name)}</button><span>${esc(a.email)}</span></form></li>`,
  );
  const err = error && `<p id="email-error" class="error">${esc(error)}</p>`;
  const invalid = error && ' aria-invalid="true" aria-describedby="email-error"';
  return page(
    "Sign in",
    `<h1>Sign in to the test municipality</h1>${form} novalidate>
<label for="email">Work email address</label>${err}<input id="email" name="email"
 type="email" autocomplete="off" value="${esc(value)}"${invalid}>
<button type="submit">Sign in</button></form><h2>Demo staff</h2><ul>${people.join("")}</ul>`,
  );
}

// `form` is oidc-provider's hidden form (id "op.logoutForm", carries the xsrf token); buttons submit it by id.
function logoutPage(form: string): string {
  return page(
    "Log out",
    `<h1>Log out of the test eID?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button>`,
  );
}

/** Accepts the separators people type (spaces, dots, hyphens); returns digits or an error text. */
export function parseNationalId(raw: string): { digits: string } | { error: string } {
  const digits = raw.trim().replace(/[\s.-]/g, "");
  if (digits === "") return { error: "Enter a national identity number." };
  if (!/^\d+$/.test(digits)) return { error: "Use only digits, spaces, dots and hyphens." };
  if (digits.length !== 11 && digits.length !== 12) {
    return { error: "A national identity number has 11 or 12 digits." };
  }
  return { digits };
}

// A hash keeps the number itself out of `sub`, like the pairwise subjects real eIDs issue.
function subjectFor(digits: string): string {
  return createHash("sha256").update(`test-eid:${digits}`).digest("base64url");
}

function staffSubjectFor(email: string): string {
  return createHash("sha256").update(`test-staff-idp:${email.toLowerCase()}`).digest("base64url");
}

async function readForm(req: Req): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error("form body too large");
  }
  return new URLSearchParams(body);
}

function sendHtml(res: Res, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // No form-action: Chrome applies it to the redirect chain back to the RP.
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

export async function startTestEid(opts: TestEidOptions): Promise<TestEid> {
  const claimName = opts.nationalIdClaim ?? "pid";
  const acr = opts.acr ?? "idporten-loa-high";
  type Account =
    { digits: string; name?: string } | { email: string; emailVerified: boolean; name?: string };
  const accounts = new Map<string, Account>();
  const staffClientIds = new Set((opts.staff?.clients ?? []).map((c) => c.client_id));
  const staffByEmail = new Map<string, StaffAccount>();
  for (const a of opts.staff?.accounts ?? []) {
    staffByEmail.set(a.email.toLowerCase(), a);
    const emailVerified = a.emailVerified ?? true;
    accounts.set(staffSubjectFor(a.email), { email: a.email, emailVerified, name: a.name });
  }
  const namesByDigits = new Map<string, string>();
  for (const r of opts.residents) {
    const parsed = parseNationalId(r.nationalId);
    if ("error" in parsed) throw new Error(`resident ${r.name}: ${parsed.error}`);
    namesByDigits.set(parsed.digits, r.name);
    accounts.set(subjectFor(parsed.digits), { digits: parsed.digits, name: r.name });
  }

  // A fresh key per start: nothing secret is committed, and old tokens stop verifying after a restart.
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  const jwk = { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid };
  const longCookie = { httpOnly: true, sameSite: "lax" };

  const config = {
    clients: [...opts.clients, ...(opts.staff?.clients ?? [])].map((c) => ({
      ...c,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [jwk] },
    // `secure` is left to oidc-provider, which only sets it for https requests, so plain-http localhost works.
    cookies: { keys: [randomBytes(32).toString("base64url")], long: longCookie, short: longCookie },
    scopes: ["openid", "profile", "email"],
    // Scope-based claims in the ID token, as ID-porten does, so the RP needs no userinfo call.
    claims: {
      openid: ["sub", claimName, "acr", "amr", "auth_time"],
      profile: ["name"],
      email: ["email", "email_verified"],
    },
    conformIdTokenClaims: false,
    acrValues: [acr],
    responseTypes: ["code"],
    pkce: { required: () => true },
    ttl: { Interaction: 900, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 3600 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (_ctx: unknown, i: Interaction) => `/interaction/${i.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      const claims = () =>
        account && "email" in account
          ? { sub, email: account.email, email_verified: account.emailVerified, name: account.name }
          : { sub, [claimName]: account?.digits, name: account?.name };
      return account && { accountId: sub, claims };
    },
    renderError: (ctx: KoaCtx, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = messagePage("Test eID error", `${out.error}: ${out.error_description ?? ""}`);
    },
  };

  // With a valid id_token_hint for the signed-in account the RP has proven who is logging out, so skip the
  // confirmation (also keeps tests browserless). Otherwise show a plain form that works without JavaScript.
  async function logoutSource(ctx: KoaCtx, form: string): Promise<void> {
    const { session, entities, params } = ctx.oidc;
    const hintSub = entities.IdTokenHint?.payload.sub;
    if (!hintSub || hintSub !== session.accountId) {
      ctx.body = logoutPage(form);
      return;
    }
    const grantIds = Object.values(session.authorizations ?? {}).flatMap((a) =>
      a.grantId ? [a.grantId] : [],
    );
    await Promise.all(
      grantIds.flatMap((id) => [
        provider.AccessToken.revokeByGrantId(id),
        provider.AuthorizationCode.revokeByGrantId(id),
        provider.Grant.adapter.destroy(id),
      ]),
    );
    await session.destroy();
    ctx.cookies.set(provider.cookieName("session"), null, longCookie);
    let target = ctx.oidc.urlFor("end_session_success");
    if (params.post_logout_redirect_uri) {
      const url = new URL(params.post_logout_redirect_uri);
      if (params.state) url.searchParams.set("state", params.state);
      target = url.href;
    }
    ctx.status = 303;
    ctx.redirect(target);
  }

  async function postLogoutSuccessSource(ctx: KoaCtx): Promise<void> {
    ctx.body = messagePage("Logged out", "You are logged out of the test eID.");
  }

  const provider: Provider = new ProviderCtor(opts.issuer, config);

  // A test eID consents on the resident's behalf: the grant covers whatever the client asked for.
  function grantFor(interaction: Interaction, accountId: string): Promise<string> {
    const grant = new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    grant.addOIDCScope(String(interaction.params.scope ?? "openid"));
    return grant.save();
  }

  async function handleInteraction(req: Req, res: Res, uid: string): Promise<void> {
    const interaction = await provider.interactionDetails(req, res).catch(() => undefined);
    if (interaction?.uid !== uid) {
      sendHtml(res, 400, messagePage("Login expired", "Start the login again from the service."));
      return;
    }
    const action = `/interaction/${uid}`;
    const residents = [...namesByDigits].map(([nationalId, name]) => ({ nationalId, name }));
    const signedIn = interaction.session?.accountId;
    const staffClient = staffClientIds.has(String(interaction.params.client_id));
    const signedInAccount = signedIn ? accounts.get(signedIn) : undefined;
    // One provider session serves both kinds of client; a resident is never a staff member.
    const sameKind = signedInAccount !== undefined && "email" in signedInAccount === staffClient;
    if (interaction.prompt.name !== "login" && signedIn && sameKind) {
      const consent = { grantId: await grantFor(interaction, signedIn) };
      await provider.interactionFinished(req, res, { consent });
      return;
    }
    if (staffClient) {
      await handleStaffLogin(req, res, interaction, action);
      return;
    }
    if (req.method !== "POST") {
      sendHtml(res, 200, loginPage(action, residents));
      return;
    }
    const raw = (await readForm(req)).get("nationalId") ?? "";
    const parsed = parseNationalId(raw);
    if ("error" in parsed) {
      sendHtml(res, 400, loginPage(action, residents, raw, parsed.error));
      return;
    }
    const accountId = subjectFor(parsed.digits);
    const name = namesByDigits.get(parsed.digits);
    accounts.set(accountId, { digits: parsed.digits, ...(name ? { name } : {}) });
    const login = { accountId, acr, amr: ["TestID"] };
    const consent = { grantId: await grantFor(interaction, accountId) };
    await provider.interactionFinished(req, res, { login, consent });
  }

  // Any well-formed address signs in, so a journey can also try someone the portal does not know.
  async function handleStaffLogin(
    req: Req,
    res: Res,
    interaction: Interaction,
    action: string,
  ): Promise<void> {
    const listed = [...staffByEmail.values()];
    if (req.method !== "POST") {
      sendHtml(res, 200, staffLoginPage(action, listed));
      return;
    }
    const raw = ((await readForm(req)).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) {
      const error = "Enter an email address, like name@example.org.";
      sendHtml(res, 400, staffLoginPage(action, listed, raw, error));
      return;
    }
    const known = staffByEmail.get(raw.toLowerCase());
    const accountId = staffSubjectFor(raw);
    accounts.set(accountId, {
      email: known?.email ?? raw,
      emailVerified: known?.emailVerified ?? true,
      ...(known ? { name: known.name } : {}),
    });
    const login = { accountId, amr: ["pwd", "otp"] };
    const consent = { grantId: await grantFor(interaction, accountId) };
    await provider.interactionFinished(req, res, { login, consent });
  }

  const oidcCallback = provider.callback();
  const server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\?|$)/.exec(req.url ?? "/");
    if (!match?.[1]) {
      oidcCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[1]).catch((err: unknown) => {
      console.error("test eID interaction failed", err);
      if (res.headersSent) res.end();
      else sendHtml(res, 500, messagePage("Test eID error", "Something went wrong."));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", resolve);
  });
  return {
    url: opts.issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const env = process.env;
  const port = Number(env.TEST_EID_PORT ?? 4010);
  const client = {
    client_id: env.TEST_EID_CLIENT_ID ?? "kravportal-dev",
    client_secret: env.TEST_EID_CLIENT_SECRET ?? "kravportal-dev-secret",
    redirect_uris: [env.TEST_EID_REDIRECT_URI ?? "http://localhost:3000/auth/callback"],
    post_logout_redirect_uris: [env.TEST_EID_POST_LOGOUT_REDIRECT_URI ?? "http://localhost:3000/"],
  };
  const eid = await startTestEid({
    port,
    host: env.TEST_EID_HOST ?? "127.0.0.1",
    issuer: env.TEST_EID_ISSUER ?? `http://localhost:${port}`,
    clients: [client],
    residents: [
      { nationalId: "010170 12345", name: "Kari Nordmann" },
      { nationalId: "150285 54321", name: "Ola Nordmann" },
      { nationalId: "311299 11111", name: "Aisha Rahman" },
    ],
  });
  process.stdout.write(
    `Test eID: ${eid.url}/.well-known/openid-configuration (client ${client.client_id})\n`,
  );
  const stop = () => void eid.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
