/**
 * Norway's contact and reservation register (KRR, Digdir), "Oppslagstjenesten REST":
 * `POST <base>/rest/v1/personer` with `{"personidentifikatorer": [...]}` (1–1000 numbers),
 * `Authorization: Bearer <Maskinporten token>` with the scopes krr:global/kontaktinformasjon.read
 * and krr:global/digitalpost.read. The answer lists `personer[]` with `personidentifikator`,
 * `reservasjon` (JA/NEI), `status` (AKTIV/SLETTET/IKKE_REGISTRERT), `kontaktinformasjon`
 * {`epostadresse`, `mobiltelefonnummer`, …}, `digital_post` {`postkasseadresse`,
 * `postkasseleverandoeradresse` (the provider's organisation number)} and `spraak`.
 * Sources: docs.digdir.no/docs/Kontaktregisteret/oppslagstjenesten_rest and krr_attributter.
 */
import { z } from "zod/v4";
import { RequestRejectedError } from "../http/errors";
import { readJson, rejected, send } from "../http/request.server";
import type { TokenProvider } from "../maskinporten/maskinporten.server";
import type { ContactRecord, ContactRegister, MailboxProvider } from "./types";

const SERVICE = "krr";
export const KRR_SCOPES = "krr:global/kontaktinformasjon.read krr:global/digitalpost.read";
const MAX_PER_CALL = 1000;

/** Postkasseleverandør by organisation number (KRR gives the number, not a name). */
export const NORWEGIAN_MAILBOX_PROVIDERS: Record<string, MailboxProvider> = {
  "984661185": "digipost", // Posten Norge AS
  "922020175": "eboks", // e-Boks AS (Norway)
  "996460320": "eboks", // e-Boks' earlier Norwegian organisation number
};

const Person = z.object({
  personidentifikator: z.string(),
  reservasjon: z.enum(["JA", "NEI"]).optional(),
  status: z.string().optional(),
  varslingsstatus: z.string().optional(),
  kontaktinformasjon: z
    .object({
      epostadresse: z.string().nullish(),
      mobiltelefonnummer: z.string().nullish(),
    })
    .nullish(),
  digital_post: z
    .object({
      postkasseadresse: z.string().nullish(),
      postkasseleverandoeradresse: z.string().nullish(),
    })
    .nullish(),
  spraak: z.string().nullish(),
});
const Answer = z.object({ personer: z.array(Person) });
type Person = z.infer<typeof Person>;

export type KrrOptions = {
  /** e.g. https://kontaktregisteret.no (the client adds /rest/v1/personer) */
  baseUrl: string;
  tokens: TokenProvider;
  scopes?: string;
  timeoutMs?: number;
};

export function createKrrClient(options: KrrOptions): ContactRegister {
  const url = new URL("rest/v1/personer", withSlash(options.baseUrl)).href;
  const scopes = options.scopes ?? KRR_SCOPES;

  async function call(ids: string[], retried = false): Promise<Person[]> {
    const token = await options.tokens.token(scopes);
    const response = await send(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({ personidentifikatorer: ids }),
      },
      { service: SERVICE, timeoutMs: options.timeoutMs },
    );
    if (response.status === 401 && !retried) {
      // Expired or revoked before our clock said so: one fresh token, one more try.
      options.tokens.invalidate(scopes);
      return call(ids, true);
    }
    if (response.status === 401 || response.status === 403) {
      throw new RequestRejectedError(`refused our token (${response.status})`, {
        service: SERVICE,
        status: response.status,
      });
    }
    if (!response.ok) throw await rejected(response, SERVICE);
    return (await readJson(response, Answer, SERVICE)).personer;
  }

  return {
    async lookup(nationalIds) {
      const unique = [...new Set(nationalIds)];
      const result = new Map<string, ContactRecord>();
      for (let i = 0; i < unique.length; i += MAX_PER_CALL) {
        const batch = unique.slice(i, i + MAX_PER_CALL);
        for (const person of await call(batch)) {
          if (batch.includes(person.personidentifikator))
            result.set(person.personidentifikator, toRecord(person));
        }
      }
      for (const id of unique) if (!result.has(id)) result.set(id, unknown(id));
      return result;
    },
  };
}

function toRecord(p: Person): ContactRecord {
  if (p.status !== "AKTIV") return unknown(p.personidentifikator);
  const reserved = p.reservasjon === "JA";
  const supplier = p.digital_post?.postkasseleverandoeradresse ?? null;
  const address = p.digital_post?.postkasseadresse ?? null;
  return {
    nationalId: p.personidentifikator,
    status: "active",
    reservedAgainstDigitalMail: reserved,
    // A reserved person's mailbox must not be used for public-sector mail (eForvaltningsforskriften).
    mailbox:
      !reserved && supplier && address
        ? { provider: NORWEGIAN_MAILBOX_PROVIDERS[supplier] ?? supplier, address }
        : null,
    email: p.kontaktinformasjon?.epostadresse ?? null,
    phone: p.kontaktinformasjon?.mobiltelefonnummer ?? null,
    language: p.spraak ?? null,
    note: reserved ? "reserved against digital mail" : null,
    register: SERVICE,
  };
}

function unknown(nationalId: string): ContactRecord {
  return {
    nationalId,
    status: "unknown",
    reservedAgainstDigitalMail: false,
    mailbox: null,
    email: null,
    phone: null,
    language: null,
    note: null,
    register: SERVICE,
  };
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);
