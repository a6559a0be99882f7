// Starts every letter stand-in (Maskinporten, KRR, eFormidling integration point, Kivra, FaR)
// on consecutive ports from `basePort` (0: free ports), with the demo people, and returns the
// environment the app needs to use them. `npm start` calls it when a real service is missing.
// Development and tests only: nothing under app/ may import this file.
import { startEformidlingStandin, type EformidlingStandin } from "./eformidling-standin.ts";
import { startFarStandin, type FarStandin } from "./far-standin.ts";
import { startKivraStandin, type KivraStandin } from "./kivra-standin.ts";
import { startKrrStandin, type KrrStandin } from "./krr-standin.ts";
import { LETTER_DEMO_PEOPLE, type DemoContact } from "./letter-demo-people.ts";
import { startMaskinportenStandin, type MaskinportenStandin } from "./maskinporten-standin.ts";

export type LetterStandins = {
  maskinporten: MaskinportenStandin;
  krr: KrrStandin;
  eformidling: EformidlingStandin;
  kivra: KivraStandin;
  far: FarStandin;
  /** Variables for app/infra/env.server.ts, grouped by the service they stand in for. */
  env: {
    krr: Record<string, string>;
    eformidling: Record<string, string>;
    kivra: Record<string, string>;
    far: Record<string, string>;
  };
  people: readonly DemoContact[];
  close(): Promise<void>;
};

export async function startLetterStandins(
  options: {
    basePort?: number;
    people?: readonly DemoContact[];
    statusDelayMs?: number | null;
  } = {},
): Promise<LetterStandins> {
  const base = options.basePort ?? 0;
  const port = (i: number) => (base === 0 ? 0 : base + i);
  const people = options.people ?? LETTER_DEMO_PEOPLE;
  const started: { close(): Promise<void> }[] = [];
  const keep = <T extends { close(): Promise<void> }>(s: T) => (started.push(s), s);
  try {
    const maskinporten = keep(await startMaskinportenStandin({ port: port(0) }));
    const krr = keep(
      await startKrrStandin({ port: port(1), people, verifyToken: maskinporten.verify }),
    );
    const eformidling = keep(
      await startEformidlingStandin({
        port: port(2),
        people,
        statusDelayMs: options.statusDelayMs,
      }),
    );
    const kivra = keep(await startKivraStandin({ port: port(3), people }));
    const far = keep(await startFarStandin({ port: port(4), people }));
    return {
      maskinporten,
      krr,
      eformidling,
      kivra,
      far,
      people,
      env: {
        krr: {
          KRR_URL: krr.url,
          MASKINPORTEN_URL: maskinporten.issuer,
          MASKINPORTEN_CLIENT_ID: maskinporten.client.clientId,
          MASKINPORTEN_KEY: maskinporten.client.privateKeyPem,
          MASKINPORTEN_KID: maskinporten.client.kid,
        },
        eformidling: {
          EFORMIDLING_URL: eformidling.url,
          EFORMIDLING_USERNAME: eformidling.username,
          EFORMIDLING_PASSWORD: eformidling.password,
        },
        kivra: {
          KIVRA_URL: kivra.url,
          KIVRA_CLIENT_ID: kivra.clientId,
          KIVRA_CLIENT_SECRET: kivra.clientSecret,
          KIVRA_TENANT_KEY: kivra.tenantKey,
        },
        far: { FAR_URL: far.url },
      },
      close: async () => {
        for (const s of started.reverse()) await s.close();
      },
    };
  } catch (error) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    throw error;
  }
}
