// Local stand-in for KRR's REST look-up (POST /rest/v1/personer), answering for the demo people
// in KRR's own field names, and only with what the token's scopes allow (as KRR does).
// Every call needs a Maskinporten token from the Maskinporten stand-in.
// Development and tests only: nothing under app/ may import this file.
import type { AccessClaims } from "./maskinporten-standin.ts";
import type { DemoContact } from "./letter-demo-people.ts";
import {
  bearer,
  handleOutageControl,
  listen,
  readBody,
  sendJson,
  type Outage,
} from "./standin-http.ts";

export type KrrStandin = { url: string; lookups(): number; close(): Promise<void> };

const SUPPLIERS: Record<string, string> = { digipost: "984661185", eboks: "922020175" };

export function krrPerson(p: DemoContact | undefined, id: string, scopes: string[]) {
  if (!p || p.country !== "NO" || !p.inRegister)
    return { personidentifikator: id, status: "IKKE_REGISTRERT" };
  const contact = scopes.includes("krr:global/kontaktinformasjon.read");
  const post = scopes.includes("krr:global/digitalpost.read");
  const supplier = p.mailbox ? SUPPLIERS[p.mailbox] : undefined;
  return {
    personidentifikator: id,
    reservasjon: p.reserved ? "JA" : "NEI",
    status: "AKTIV",
    ...(contact
      ? {
          varslingsstatus: p.email || p.phone ? "KAN_VARSLES" : "KAN_IKKE_VARSLES",
          kontaktinformasjon: {
            ...(p.email
              ? { epostadresse: p.email, epostadresse_oppdatert: "2026-01-10T10:14:52+01" }
              : {}),
            ...(p.phone
              ? {
                  mobiltelefonnummer: p.phone,
                  mobiltelefonnummer_oppdatert: "2026-01-10T10:14:52+01",
                }
              : {}),
          },
          ...(p.language ? { spraak: p.language } : {}),
        }
      : {}),
    ...(post && supplier
      ? {
          digital_post: {
            postkasseadresse: `${p.name.toLowerCase().replace(/\s+/g, ".")}#${id.slice(-4)}`,
            postkasseleverandoeradresse: supplier,
          },
        }
      : {}),
  };
}

export async function startKrrStandin(options: {
  port: number;
  people: readonly DemoContact[];
  verifyToken: (token: string) => Promise<AccessClaims | null>;
}): Promise<KrrStandin> {
  const outage: { current: Outage | null } = { current: null };
  let lookups = 0;
  const handle = await listen(
    options.port,
    async (req, res, url) => {
      if (req.method === "POST" && url.pathname === "/_test/outage")
        return handleOutageControl(req, res, outage);
      if (req.method !== "POST" || url.pathname !== "/rest/v1/personer")
        return sendJson(res, 404, { message: "Not found" });
      const token = bearer(req);
      const claims = token ? await options.verifyToken(token) : null;
      if (!claims) {
        res.setHeader("www-authenticate", 'Bearer error="invalid_token"');
        return sendJson(res, 401, {
          error: "invalid_token",
          error_description: "Missing, expired or invalid token",
        });
      }
      if (!claims.scope.some((s) => s.startsWith("krr:global/")))
        return sendJson(res, 403, { error: "insufficient_scope" });
      let ids: unknown;
      try {
        ids = (
          JSON.parse((await readBody(req, 1_000_000)).toString()) as {
            personidentifikatorer?: unknown;
          }
        ).personidentifikatorer;
      } catch {
        return sendJson(res, 400, { message: "Body is not JSON" });
      }
      if (
        !Array.isArray(ids) ||
        ids.length < 1 ||
        ids.length > 1000 ||
        !ids.every((i) => typeof i === "string" && /^\d{11}$/.test(i))
      )
        return sendJson(res, 400, {
          message: "personidentifikatorer must hold 1–1000 eleven-digit numbers",
        });
      lookups += 1;
      const people = ids.map((id: string) =>
        krrPerson(
          options.people.find((p) => p.nationalId === id),
          id,
          claims.scope,
        ),
      );
      return sendJson(res, 200, { personer: people });
    },
    outage,
  );
  return { url: handle.url, lookups: () => lookups, close: handle.close };
}
