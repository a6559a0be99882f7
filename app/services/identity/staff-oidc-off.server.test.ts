import { describe, expect, it } from "vitest";
import { parseEnv } from "~/infra/env.server";
import { loader as callbackLoader } from "~/routes/staff.auth.callback";
import { action as startAction, loader as startLoader } from "~/routes/staff.login.oidc";
import { staffOidcOffer } from "./staff-oidc.server";

// The test environment sets no STAFF_OIDC_*: staff sign in with password and TOTP only.

async function status(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
  throw new Error("expected a thrown response");
}

const args = (request: Request) => ({ request, params: {}, context: { cspNonce: "" } });

describe("staff OIDC when not configured", () => {
  it("offers no button and answers 404 on its routes", async () => {
    expect(staffOidcOffer()).toBeNull();
    const post = new Request("http://localhost/staff/login/oidc", { method: "POST" });
    expect(await status(() => startAction(args(post)))).toBe(404);
    expect(await status(() => startLoader())).toBe(404);
    const get = new Request("http://localhost/staff/auth/callback?code=x&state=y");
    expect(await status(() => callbackLoader(args(get)))).toBe(404);
  });
});

describe("staff OIDC settings", () => {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("STAFF_OIDC_")) delete base[k];

  it("are all or nothing: an issuer without a client id and secret stops start-up", () => {
    expect(() => parseEnv({ ...base, STAFF_OIDC_ISSUER: "https://login.elvdal.example" })).toThrow(
      /STAFF_OIDC_CLIENT_ID: must be set[\s\S]*STAFF_OIDC_CLIENT_SECRET: must be set/,
    );
    expect(() => parseEnv({ ...base, STAFF_OIDC_CLIENT_SECRET: "s" })).toThrow(
      /STAFF_OIDC_ISSUER: must be set/,
    );
  });

  it("default the scope and the email claim", () => {
    const e = parseEnv({
      ...base,
      STAFF_OIDC_ISSUER: "https://login.elvdal.example",
      STAFF_OIDC_CLIENT_ID: "kravportal",
      STAFF_OIDC_CLIENT_SECRET: "secret",
    });
    expect(e.STAFF_OIDC_SCOPE).toBe("openid email profile");
    expect(e.STAFF_OIDC_EMAIL_CLAIM).toBe("email");
    expect(parseEnv(base).STAFF_OIDC_ISSUER).toBeUndefined();
  });
});
