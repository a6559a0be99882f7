/**
 * The letter integrations this deployment has, built from the environment: for each country its
 * contact register and its digital mailbox, or null where none is configured. Clients are made
 * once and reused (each keeps its access token).
 */
import { env, type Env } from "~/infra/env.server";
import { createFarClient } from "../contact-register/far.server";
import { createKrrClient } from "../contact-register/krr.server";
import type { ContactRegister } from "../contact-register/types";
import { createMaskinportenClient } from "../maskinporten/maskinporten.server";
import { createEformidlingClient } from "./eformidling.server";
import { createKivraClient, type KivraClient } from "./kivra.server";
import type { DigitalMailbox } from "./types";

export type LetterIntegrations = {
  /** Norway: KRR. */
  krr: ContactRegister | null;
  /** Sweden: FaR asks on behalf of a sender, so one register per creditor organisation number. */
  far: ((senderOrgNumber: string) => ContactRegister) | null;
  eformidling: DigitalMailbox | null;
  kivra: KivraClient | null;
};

export function letterIntegrationsFrom(e: Env): LetterIntegrations {
  const krr =
    e.KRR_URL && e.MASKINPORTEN_URL && e.MASKINPORTEN_CLIENT_ID && e.MASKINPORTEN_KEY
      ? createKrrClient({
          baseUrl: e.KRR_URL,
          tokens: createMaskinportenClient({
            issuer: e.MASKINPORTEN_URL,
            clientId: e.MASKINPORTEN_CLIENT_ID,
            privateKey: e.MASKINPORTEN_KEY,
            keyId: e.MASKINPORTEN_KID,
          }),
        })
      : null;
  const farUrl = e.FAR_URL;
  const tls =
    e.FAR_CLIENT_CERT && e.FAR_CLIENT_KEY
      ? { cert: e.FAR_CLIENT_CERT, key: e.FAR_CLIENT_KEY, ...(e.FAR_CA ? { ca: e.FAR_CA } : {}) }
      : undefined;
  const farClients = new Map<string, ContactRegister>();
  const far = farUrl
    ? (senderOrgNumber: string) => {
        let client = farClients.get(senderOrgNumber);
        if (!client) {
          client = createFarClient({ url: farUrl, senderOrgNumber, tls });
          farClients.set(senderOrgNumber, client);
        }
        return client;
      }
    : null;
  return {
    krr,
    far,
    eformidling: e.EFORMIDLING_URL
      ? createEformidlingClient({
          baseUrl: e.EFORMIDLING_URL,
          username: e.EFORMIDLING_USERNAME,
          password: e.EFORMIDLING_PASSWORD,
        })
      : null,
    kivra:
      e.KIVRA_URL && e.KIVRA_CLIENT_ID && e.KIVRA_CLIENT_SECRET && e.KIVRA_TENANT_KEY
        ? createKivraClient({
            baseUrl: e.KIVRA_URL,
            clientId: e.KIVRA_CLIENT_ID,
            clientSecret: e.KIVRA_CLIENT_SECRET,
            tenantKey: e.KIVRA_TENANT_KEY,
          })
        : null,
  };
}

let cached: LetterIntegrations | undefined;

/** The deployment's letter integrations, made once from env(). */
export function letterIntegrations(): LetterIntegrations {
  cached ??= letterIntegrationsFrom(env());
  return cached;
}
