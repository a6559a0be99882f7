import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  EidLoginError,
  getEidClient,
  type EidConfig,
} from "../../app/integrations/eid/oidc.server.js";
import { Browser, freePort } from "../test-support/http-browser.js";
import { startTestEid, type TestEid } from "./test-eid.js";

const REDIRECT_URI = "http://127.0.0.1:3999/auth/callback";
const POST_LOGOUT_URI = "http://127.0.0.1:3999/logged-out";

describe("local test eID with the app's OIDC client", () => {
  let eid: TestEid;
  let config: EidConfig;

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    eid = await startTestEid({
      port,
      issuer,
      clients: [
        {
          client_id: "kravportal-test",
          client_secret: "test-secret-0123456789abcdef0123456789",
          redirect_uris: [REDIRECT_URI],
          post_logout_redirect_uris: [POST_LOGOUT_URI],
        },
      ],
      residents: [{ nationalId: "010170 12345", name: "Kari Nordmann" }],
    });
    config = {
      issuer,
      clientId: "kravportal-test",
      clientSecret: "test-secret-0123456789abcdef0123456789",
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: POST_LOGOUT_URI,
      nationalIdClaim: "pid",
      requiredAcr: ["idporten-loa-high"],
    };
  });

  afterAll(async () => {
    await eid?.close();
  });

  /** Runs the browser part of a login and returns the callback URL the RP would receive. */
  async function login(browser: Browser, authUrl: string, nationalId: string): Promise<URL> {
    const first = await browser.follow(await browser.request(authUrl), authUrl, REDIRECT_URI);
    expect(first.res?.status).toBe(200);
    const html = await first.res!.text();
    expect(html).toContain('<label for="nationalId">National identity number</label>');
    expect(html).toContain('<button type="submit">Log in</button>');
    expect(html).toContain("Log in as Kari Nordmann");

    const bad = await browser.request(first.url, { form: { nationalId: "abc" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('aria-invalid="true"');
    const empty = await browser.request(first.url, { form: { nationalId: "  " } });
    expect(empty.status).toBe(400);

    const posted = await browser.request(first.url, { form: { nationalId } });
    const done = await browser.follow(posted, first.url, REDIRECT_URI);
    expect(done.res, `expected a redirect to ${REDIRECT_URI}, got ${done.url}`).toBeUndefined();
    return new URL(done.url);
  }

  it("logs in a known resident and puts pid, name and acr in the ID token", async () => {
    const client = await getEidClient(config);
    const start = await client.startLogin();
    const authUrl = new URL(start.url);
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authUrl.searchParams.get("acr_values")).toBe("idporten-loa-high");

    const callback = await login(new Browser(), start.url, "010170-12345");
    const result = await client.finishLogin(callback, start);
    expect(result).toMatchObject({
      nationalId: "01017012345",
      name: "Kari Nordmann",
      acr: "idporten-loa-high",
    });
    expect(result.sub).not.toContain("01017012345");

    const payload = JSON.parse(
      Buffer.from(result.idToken.split(".")[1]!, "base64url").toString(),
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({
      pid: "01017012345",
      name: "Kari Nordmann",
      acr: "idporten-loa-high",
    });
    expect(payload.amr).toEqual(["TestID"]);
  });

  it("accepts an unknown 12-digit number without a name", async () => {
    const client = await getEidClient(config);
    const start = await client.startLogin();
    const callback = await login(new Browser(), start.url, "1999 0101 1234");
    const result = await client.finishLogin(callback, start);
    expect(result.nationalId).toBe("199901011234");
    expect(result.name).toBeUndefined();
  });

  it("rejects a callback with the wrong state", async () => {
    const client = await getEidClient(config);
    const start = await client.startLogin();
    const callback = await login(new Browser(), start.url, "01017012345");
    const err = await client
      .finishLogin(callback, { ...start, state: "not-the-state" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EidLoginError);
    expect((err as EidLoginError).code).toBe("state_mismatch");
  });

  it("rejects an acr the provider does not give", async () => {
    const client = await getEidClient({ ...config, requiredAcr: ["eidas-loa-ultra"] });
    const start = await client.startLogin();
    const callback = await login(new Browser(), start.url, "01017012345");
    const err = await client.finishLogin(callback, start).catch((e: unknown) => e);
    expect((err as EidLoginError).code).toBe("acr_too_low");
  });

  it("reports a missing national id claim", async () => {
    const client = await getEidClient({ ...config, nationalIdClaim: "national_id" });
    const start = await client.startLogin();
    const callback = await login(new Browser(), start.url, "01017012345");
    const err = await client.finishLogin(callback, start).catch((e: unknown) => e);
    expect((err as EidLoginError).code).toBe("missing_national_id");
  });

  it("asks for confirmation with a plain form when logout has no id_token_hint", async () => {
    const client = await getEidClient(config);
    const browser = new Browser();
    const start = await client.startLogin();
    await client.finishLogin(await login(browser, start.url, "01017012345"), start);

    const endSession = new URL(`${config.issuer}/session/end`);
    endSession.searchParams.set("client_id", config.clientId);
    endSession.searchParams.set("post_logout_redirect_uri", POST_LOGOUT_URI);
    const prompt = await browser.request(endSession.href);
    expect(prompt.status).toBe(200);
    const html = await prompt.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<button type="submit" form="op.logoutForm"[^>]*>Log out<\/button>/);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action && xsrf).toBeTruthy();

    const confirmed = await browser.request(action!, { form: { xsrf: xsrf!, logout: "yes" } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(POST_LOGOUT_URI);
  });

  it("logs out via the end session endpoint without a confirmation click", async () => {
    const client = await getEidClient(config);
    const browser = new Browser();
    const start = await client.startLogin();
    const result = await client.finishLogin(await login(browser, start.url, "01017012345"), start);

    const logoutUrl = new URL(client.logoutUrl(result.idToken));
    expect(logoutUrl.origin + logoutUrl.pathname).toBe(`${config.issuer}/session/end`);
    expect(logoutUrl.searchParams.get("id_token_hint")).toBe(result.idToken);
    expect(logoutUrl.searchParams.get("post_logout_redirect_uri")).toBe(POST_LOGOUT_URI);

    const out = await browser.follow(
      await browser.request(logoutUrl.href),
      logoutUrl.href,
      POST_LOGOUT_URI,
    );
    expect(out.url).toBe(POST_LOGOUT_URI);

    // The eID session is gone: a new login shows the form again instead of signing in silently.
    const again = await client.startLogin();
    const next = await browser.follow(await browser.request(again.url), again.url, REDIRECT_URI);
    expect(next.res?.status).toBe(200);
    expect(await next.res!.text()).toContain("National identity number");
  });
});
