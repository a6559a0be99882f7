// `npm start`: everything a developer or a demo needs, in one process tree. Starts PostgreSQL
// (embedded) unless DATABASE_URL is set, applies migrations, loads legal figures and demo data,
// starts the local test eID unless a real issuer is configured (it also stands in for the staff
// identity provider unless one is configured), the local mail catcher, Stripe and letter stand-ins
// (KRR + Maskinporten, eFormidling, Kivra, FaR) for each service not configured, then serves
// the portal.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Server } from "node:http";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres.ts";
import { ensureDevSecrets } from "./dev-secrets.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { DEMO_RESIDENTS, DEMO_STAFF } from "../prisma/demo-data.ts";

const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
const port = Number(process.env.PORT ?? 3000);
const closers: (() => Promise<unknown>)[] = [];
let stopping = false;

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say("Stopping…");
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (error) {
      process.stderr.write(`while stopping: ${String(error)}\n`);
    }
  }
  process.exit(code);
}

async function main() {
  process.env.NODE_ENV ??= "production";
  process.env.PUBLIC_URL ??= `http://localhost:${port}`;
  const secrets = ensureDevSecrets(dataDir);
  if (secrets.created.length > 0)
    say(`Generated local secrets (${secrets.created.join(", ")}) in ${secrets.file}`);

  let database: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    database = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "pg"),
      port: Number(process.env.PG_PORT ?? 54329),
      database: "kravportal",
      // graphile-worker probes for its tables before creating them on first start: expected.
      log: (line) =>
        void (/graphile_worker/.test(line) || process.stderr.write(`[postgres] ${line}\n`)),
    });
    closers.push(() => database!.stop());
    process.env.DATABASE_URL = database.url;
    say(`PostgreSQL (embedded) running, data in ${path.join(dataDir, "pg")}`);
  }

  // The local stand-ins are development tools: a release (npm run release) does not carry them,
  // and then the real services must be configured (EID_ISSUER is checked with the settings).
  const standIns = existsSync(path.join(import.meta.dirname, "dev", "test-eid.ts"));
  if (!standIns)
    say(
      "No local stand-ins in this installation: the eID, mail and Stripe settings are used as set.",
    );

  if (!process.env.EID_ISSUER && standIns) {
    const { startTestEid } = await import("./dev/test-eid.ts");
    const eidPort = Number(process.env.TEST_EID_PORT ?? 4010);
    const issuer = `http://localhost:${eidPort}`;
    process.env.EID_ISSUER = issuer;
    process.env.EID_CLIENT_ID ??= "kravportal-local";
    process.env.EID_CLIENT_SECRET ??= "local-test-eid-secret";
    // Only beside the test eID: a deployment with a real eID never gets a stand-in staff IdP.
    const staffStandIn = !process.env.STAFF_OIDC_ISSUER;
    if (staffStandIn) {
      process.env.STAFF_OIDC_ISSUER = issuer;
      process.env.STAFF_OIDC_CLIENT_ID ??= "kravportal-staff-local";
      process.env.STAFF_OIDC_CLIENT_SECRET ??= "local-test-staff-idp-secret";
      process.env.STAFF_OIDC_DISPLAY_NAME ??= "Test municipality";
    }
    const eid = await startTestEid({
      port: eidPort,
      issuer,
      clients: [
        {
          client_id: process.env.EID_CLIENT_ID,
          client_secret: process.env.EID_CLIENT_SECRET,
          redirect_uris: [`${process.env.PUBLIC_URL}/auth/callback`],
          post_logout_redirect_uris: [`${process.env.PUBLIC_URL}/?loggedOut=1`],
        },
      ],
      residents: DEMO_RESIDENTS.map((r) => ({ nationalId: r.nationalId, name: r.name })),
      ...(staffStandIn
        ? {
            staff: {
              clients: [
                {
                  client_id: process.env.STAFF_OIDC_CLIENT_ID!,
                  client_secret: process.env.STAFF_OIDC_CLIENT_SECRET!,
                  redirect_uris: [`${process.env.PUBLIC_URL}/staff/auth/callback`],
                  post_logout_redirect_uris: [`${process.env.PUBLIC_URL}/staff/login?loggedOut=1`],
                },
              ],
              accounts: DEMO_STAFF.map((s) => ({ email: s.email, name: s.name })),
            },
          }
        : {}),
    });
    closers.push(() => eid.close());
    say(
      `Local test eID (no real identities) at ${eid.url}${staffStandIn ? ", also the staff sign-in provider" : ""}`,
    );
  }

  if (!process.env.SMTP_URL && standIns) {
    const { startMailCatcher } = await import("./dev/mail-catcher.ts");
    const catcher = await startMailCatcher({
      smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? port + 22),
      httpPort: Number(process.env.MAIL_CATCHER_HTTP_PORT ?? port + 23),
    });
    closers.push(() => catcher.close());
    process.env.SMTP_URL = catcher.smtpUrl;
    process.env.DEV_MAIL_CATCHER_URL = catcher.apiUrl;
    say(`Local mail catcher (nothing leaves this machine): ${process.env.PUBLIC_URL}/dev/mail`);
  }

  if (!process.env.STRIPE_SECRET_KEY && standIns) {
    const { startStripeStandin } = await import("./dev/stripe-standin.ts");
    const { randomBytes } = await import("node:crypto");
    const secret = `whsec_local_${randomBytes(16).toString("hex")}`;
    const stripePort = Number(process.env.STRIPE_STANDIN_PORT ?? port + 24);
    const standin = await startStripeStandin({
      port: stripePort,
      webhookUrl: `${process.env.PUBLIC_URL}/webhooks/stripe`,
      webhookSecret: secret,
    });
    closers.push(() => standin.close());
    process.env.STRIPE_SECRET_KEY = "sk_test_local_standin";
    process.env.STRIPE_API_URL = standin.url;
    process.env.STRIPE_WEBHOOK_SECRETS = secret;
    say(`Local Stripe stand-in (no money moves) at ${standin.url}`);
  }

  // Contact registers and digital mailboxes: a local stand-in for each one not configured.
  const letterServices = {
    krr: "KRR_URL",
    eformidling: "EFORMIDLING_URL",
    kivra: "KIVRA_URL",
    far: "FAR_URL",
  } as const;
  const missing = Object.entries(letterServices).filter(([, v]) => !process.env[v]);
  if (missing.length > 0 && standIns) {
    const { startLetterStandins } = await import("./dev/letter-standins.ts");
    const standins = await startLetterStandins({
      basePort: Number(process.env.LETTER_STANDINS_PORT ?? port + 25),
    });
    closers.push(() => standins.close());
    for (const [service] of missing) {
      for (const [k, v] of Object.entries(standins.env[service as keyof typeof letterServices]))
        process.env[k] = v;
    }
    say(
      `Local letter stand-ins (demo people only, nothing leaves this machine) for ${missing
        .map(
          ([s]) =>
            ({ krr: "KRR + Maskinporten", eformidling: "eFormidling", kivra: "Kivra", far: "FaR" })[
              s
            ],
        )
        .join(", ")} from ${standins.maskinporten.issuer.replace(/\/$/, "")}`,
    );
  }

  // Every setting is checked before anything is written: a bad value stops here, listed.
  const settings = await import("../app/infra/env.server.ts");
  settings.requireSettings("npm start (the web server and the worker)", settings.WEB_SETTINGS);
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL!, cwd: process.cwd() });
  const { loadLegalRates, loadDemoData } = await import("../prisma/seed.ts");
  await loadLegalRates();
  if (process.env.DEMO_DATA !== "false") await loadDemoData(new Date());

  // Closed after the worker and the web server (closers run in reverse), before the database.
  const { disconnectDb } = await import("../app/infra/db.server.ts");
  closers.push(disconnectDb);

  if (process.env.WORKER !== "false") {
    // A process of its own, started again whenever it stops (a database outage stops it): so the
    // worker failing never takes the web server with it, and never stays down unnoticed.
    const { supervise } = await import("./supervisor.ts");
    const { BATCH_NODE_FLAGS } = await import("./node-flags.ts");
    const worker = supervise({
      name: "Worker",
      nodeFlags: BATCH_NODE_FLAGS,
      modulePath: path.join(import.meta.dirname, "worker/main.ts"),
      say,
    });
    closers.push(() => worker.stop());
    const { watchPool } = await import("./metrics.ts");
    const { pgPool } = await import("../app/infra/db.server.ts");
    watchPool("worker", pgPool());
    say("Worker running: daily escalation sweeps per creditor, mail delivery.");
  }

  const { startWeb } = await import("./web.ts");
  const server: Server = await startWeb();
  // Closed in reverse order: the web server first, the database last.
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const demo = DEMO_RESIDENTS[0];
  say("");
  say(`Kravportal is running at ${process.env.PUBLIC_URL}`);
  if (demo && process.env.DEMO_DATA !== "false" && !process.env.EID_ISSUER?.startsWith("https")) {
    say(
      `Log in as a demo resident: press "Log in with e-ID", then pick ${demo.name} (${demo.nationalId}).`,
    );
  }
  if (process.env.DEMO_DATA !== "false") {
    say(
      `Staff back office: ${process.env.PUBLIC_URL}/staff/login (demo staff and their TOTP secret are in the README).`,
    );
  }
  say("Press Ctrl-C to stop.");
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
// The web server runs in this process: if it fails, everything stops, loudly and with exit code 1,
// so a service manager restarts the whole and no worker runs on without a portal in front of it.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(
      `Kravportal stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    void stop(1);
  });
}
main().catch(async (error: unknown) => {
  process.stderr.write(
    `Kravportal failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await stop(1);
});
