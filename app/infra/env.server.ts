import { z } from "zod/v4";

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded");

const list = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * Every setting and its rule, one per variable. A process or command validates only the ones it
 * uses (`requireSettings`); the rest are validated when first read (`env()`), so a staff command
 * never asks for the eID client and a worker never for the session secret.
 */
const SETTINGS = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  PII_ENCRYPTION_KEY: base64Key,
  NATIONAL_ID_HASH_KEY: base64Key,
  EID_ISSUER: z.string().url(),
  EID_CLIENT_ID: z.string().min(1),
  EID_CLIENT_SECRET: z.string().min(1),
  EID_NATIONAL_ID_CLAIM: z.string().min(1).default("pid"),
  EID_ACR_VALUES: list,
  EID_SCOPE: z.string().default("openid profile"),
  EID_COUNTRY: z.enum(["SE", "NO"]).optional(),
  // Staff sign-in through the municipality's own OpenID Connect provider. Unset: password + TOTP only.
  STAFF_OIDC_ISSUER: z.string().url().optional(),
  STAFF_OIDC_CLIENT_ID: z.string().min(1).optional(),
  STAFF_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  STAFF_OIDC_SCOPE: z.string().min(1).default("openid email profile"),
  STAFF_OIDC_EMAIL_CLAIM: z.string().min(1).default("email"),
  // The provider's name on the sign-in button, e.g. "Elvdal kommune".
  STAFF_OIDC_DISPLAY_NAME: z.string().min(1).max(80).optional(),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_POST_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Prometheus metrics on their own listener, for the operator's network only. Unset: PORT + 6464
  // for the web server (9464 by default), PORT + 6465 for a worker on its own; 0: no listener.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default("127.0.0.1"),
  // Outgoing mail. Unset: notices are recorded and queued but not sent until it is set.
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("Kravportal <no-reply@kravportal.invalid>"),
  // Set by `npm start` when it runs the local mail catcher: enables the /dev/mail page.
  DEV_MAIL_CATCHER_URL: z.string().url().optional(),
  // Card payment through Stripe Checkout. No key: the portal offers no online card payment.
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  // Comma-separated: during a rotation both the old and the new signing secret must verify.
  STRIPE_WEBHOOK_SECRETS: list,
  // Points the Stripe SDK at a local stand-in (server/dev/stripe-standin.ts); unset: api.stripe.com.
  STRIPE_API_URL: z.string().url().optional(),
  // Where residents' dispute attachments are kept: outside the web root, under random names.
  ATTACHMENTS_DIR: z
    .string()
    .min(1)
    .default(`${process.env.DATA_DIR ?? ".data"}/attachments`),
  // The largest attachment a resident may send (default 5 MiB).
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  // Letters: contact registers and digital mailboxes (app/integrations/contact-register,
  // app/integrations/digital-mail; docs/digital-mail.md). Each unset: `npm start` runs a local
  // stand-in; a deployment without them has no such channel.
  // Norway, KRR: its base URL, and the portal's Maskinporten client that gets its tokens.
  KRR_URL: z.string().url().optional(),
  MASKINPORTEN_URL: z.string().url().optional(), // the issuer, e.g. https://maskinporten.no/
  MASKINPORTEN_CLIENT_ID: z.string().min(1).optional(),
  // The client's private key: PKCS#8 PEM or a private JWK (JSON).
  MASKINPORTEN_KEY: z
    .string()
    .refine(
      (v) => /-----BEGIN PRIVATE KEY-----/.test(v) || v.trim().startsWith("{"),
      "must be a PKCS#8 PEM key or a JWK",
    )
    .optional(),
  MASKINPORTEN_KID: z.string().min(1).optional(),
  // Norway, the municipality's eFormidling integration point, and its Basic-auth user if on.
  EFORMIDLING_URL: z.string().url().optional(),
  EFORMIDLING_USERNAME: z.string().min(1).optional(),
  EFORMIDLING_PASSWORD: z.string().min(1).optional(),
  // Sweden, Kivra's sender API.
  KIVRA_URL: z.string().url().optional(),
  KIVRA_CLIENT_ID: z.string().min(1).optional(),
  KIVRA_CLIENT_SECRET: z.string().min(1).optional(),
  KIVRA_TENANT_KEY: z.string().min(1).optional(),
  // Sweden, Mina meddelanden's FaR (Recipient service), with the client certificate it requires.
  FAR_URL: z.string().url().optional(),
  FAR_CLIENT_CERT: z.string().min(1).optional(),
  FAR_CLIENT_KEY: z.string().min(1).optional(),
  FAR_CA: z.string().min(1).optional(),
  // The local hour from which each creditor's day of paper letters is batched for the print house
  // (later letters go into the next hourly batch).
  PRINT_HOUR: z.coerce.number().int().min(0).max(23).default(14),
  // Who sends pending letters: the worker (every minute, print batches hourly), or only the
  // command line (`escalate`, `print-batch`), for a test setup that replays past days.
  LETTERS_SENT_BY: z.enum(["worker", "command-line"]).default("worker"),
  // Print batches are written here (and kept: staff download them from here).
  PRINT_BATCH_DIR: z
    .string()
    .min(1)
    .default(`${process.env.DATA_DIR ?? ".data"}/print-batches`),
  // The print house's SFTP drop, sftp://user@host:port/path. Unset: batches stay in PRINT_BATCH_DIR.
  PRINT_SFTP_URL: z
    .string()
    .url()
    .refine((v) => v.startsWith("sftp://"), "must be an sftp:// URL")
    .refine((v) => !new URL(v).password, "put the password in PRINT_SFTP_PASSWORD, not the URL")
    .optional(),
  // Our private key (OpenSSH or PEM text, or base64 of it), or a password.
  PRINT_SFTP_PRIVATE_KEY: z.string().min(1).optional(),
  PRINT_SFTP_PASSWORD: z.string().min(1).optional(),
  // The server's host key fingerprint(s), "SHA256:…" as `ssh-keygen -lf` prints them; comma-separated
  // during a key change. Any other host key is refused.
  PRINT_SFTP_HOST_KEY: z
    .string()
    .regex(
      /^SHA256:[A-Za-z0-9+/]{43}(\s*,\s*SHA256:[A-Za-z0-9+/]{43})*$/,
      "must be SHA256:<43 base64 characters>, comma-separated for several",
    )
    .optional(),
  STRIPE_PAYMENT_METHODS: z
    .string()
    .default("card")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
};

export type SettingKey = keyof typeof SETTINGS;
export const ALL_SETTINGS = Object.keys(SETTINGS) as SettingKey[];
type Parsed = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]> };
export type Env = Parsed & { PUBLIC_URL: string };

// All or nothing: a half-configured staff provider is a mistake, not a way to switch it off.
const STAFF_OIDC_REQUIRED = [
  "STAFF_OIDC_ISSUER",
  "STAFF_OIDC_CLIENT_ID",
  "STAFF_OIDC_CLIENT_SECRET",
] as const satisfies SettingKey[];

type Source = Record<string, string | undefined>;
type Problem = { key: SettingKey; message: string };

function check(key: SettingKey, source: Source): { value?: unknown; problem?: Problem } {
  const raw = source[key] === "" ? undefined : source[key];
  const parsed = SETTINGS[key].safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const message =
    raw === undefined ? "not set" : parsed.error.issues.map((i) => i.message).join("; ");
  return { problem: { key, message } };
}

// Settings that only work together: all or none of each group.
const TOGETHER: { keys: readonly SettingKey[]; what: string }[] = [
  { keys: STAFF_OIDC_REQUIRED, what: "staff OIDC needs issuer, client id and client secret" },
  {
    keys: ["KRR_URL", "MASKINPORTEN_URL", "MASKINPORTEN_CLIENT_ID", "MASKINPORTEN_KEY"],
    what: "KRR needs its URL and a Maskinporten client (issuer, client id, key)",
  },
  { keys: ["EFORMIDLING_USERNAME", "EFORMIDLING_PASSWORD"], what: "Basic auth needs both" },
  {
    keys: ["KIVRA_URL", "KIVRA_CLIENT_ID", "KIVRA_CLIENT_SECRET", "KIVRA_TENANT_KEY"],
    what: "Kivra needs URL, client id, client secret and tenant key",
  },
  { keys: ["FAR_CLIENT_CERT", "FAR_CLIENT_KEY"], what: "a client certificate needs its key" },
];

function problemsOf(keys: readonly SettingKey[], source: Source): Problem[] {
  const problems = keys.flatMap((k) => check(k, source).problem ?? []);
  for (const group of TOGETHER) {
    if (!keys.some((k) => group.keys.includes(k))) continue;
    const set = group.keys.filter((k) => source[k]);
    if (set.length === 0 || set.length === group.keys.length) continue;
    for (const k of group.keys.filter((k) => !source[k])) {
      problems.push({ key: k, message: `must be set when ${set.join(" and ")} is: ${group.what}` });
    }
  }
  if (keys.includes("PRINT_SFTP_URL") && source.PRINT_SFTP_URL) {
    // Without a pinned host key the upload would trust whoever answers: refuse to start instead.
    if (!source.PRINT_SFTP_HOST_KEY)
      problems.push({ key: "PRINT_SFTP_HOST_KEY", message: "must be set when PRINT_SFTP_URL is" });
    if (!source.PRINT_SFTP_PRIVATE_KEY && !source.PRINT_SFTP_PASSWORD)
      problems.push({
        key: "PRINT_SFTP_PRIVATE_KEY",
        message: "PRINT_SFTP_PRIVATE_KEY or PRINT_SFTP_PASSWORD must be set when PRINT_SFTP_URL is",
      });
  }
  return problems;
}

/** A setting a process needs is missing or wrong; the message names the process and the settings. */
export class SettingsError extends Error {
  constructor(
    readonly processName: string,
    readonly problems: Problem[],
  ) {
    super(
      `${processName} needs ${problems.length === 1 ? "a setting" : "settings"} that ${problems.length === 1 ? "is" : "are"} missing or wrong:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join("\n")}`,
    );
    this.name = "SettingsError";
  }
}

/** Validates a set of variables; throws with every problem listed. */
export function parseEnv(
  source: Source,
  keys: readonly SettingKey[] = ALL_SETTINGS,
  processName = "this process",
): Env {
  const problems = problemsOf(keys, source);
  if (problems.length > 0) throw new SettingsError(processName, problems);
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = check(key, source).value;
  return withPublicUrl(out as Parsed, source);
}

function withPublicUrl(parsed: Parsed, source: Source): Env {
  const port = parsed.PORT ?? (check("PORT", source).value as number);
  return { ...parsed, PUBLIC_URL: parsed.PUBLIC_URL ?? `http://localhost:${port}` };
}

// Shared by every copy of this module in one process (the web server's Remix build bundles its
// own): which process this is, so an error names it.
const PROCESS = Symbol.for("kravportal.settings.process");
type Holder = { [PROCESS]?: string };

/** The name errors give this process: "the web server", "kravportal staff create", ... */
export function processName(): string {
  return (globalThis as Holder)[PROCESS] ?? "the web server";
}

/**
 * Declares what this process is and checks, before it does anything, the settings it uses:
 * every problem is listed in one error naming the process. Settings it does not use are not
 * looked at.
 */
export function requireSettings(name: string, keys: readonly SettingKey[]): void {
  (globalThis as Holder)[PROCESS] = name;
  const problems = problemsOf(keys, process.env);
  if (problems.length > 0) throw new SettingsError(name, problems);
  values.clear();
}

const values = new Map<SettingKey, unknown>();
let view: Env | undefined;

function read(key: SettingKey): unknown {
  if (values.has(key)) return values.get(key);
  const problems = problemsOf([key], process.env);
  if (problems.length > 0) throw new SettingsError(processName(), problems);
  const value =
    key === "PUBLIC_URL"
      ? ((check(key, process.env).value as string | undefined) ??
        `http://localhost:${read("PORT") as number}`)
      : check(key, process.env).value;
  values.set(key, value);
  return value;
}

/**
 * The settings, each validated the first time it is read and then kept: a process that never
 * reads the eID client's secret never needs it. A missing one throws a `SettingsError` naming the
 * process and the setting.
 */
export function env(): Env {
  if (!view) {
    const v = {} as Env;
    for (const key of ALL_SETTINGS)
      Object.defineProperty(v, key, { enumerable: true, get: () => read(key) });
    view = v;
  }
  return view;
}

/** What the web server reads: everything a page, a sign-in or a callback may need. */
export const WEB_SETTINGS = ALL_SETTINGS;

/** What the worker reads: the database, mail, payments' provider and the public address in mail. */
export const WORKER_SETTINGS: SettingKey[] = [
  "NODE_ENV",
  "DATABASE_URL",
  "PUBLIC_URL",
  "PORT",
  "LOG_LEVEL",
  "SMTP_URL",
  "MAIL_FROM",
  "STRIPE_SECRET_KEY",
  "STRIPE_API_URL",
  "STRIPE_WEBHOOK_SECRETS",
  "METRICS_PORT",
  "METRICS_HOST",
  "ATTACHMENTS_DIR",
  // Letters: identity numbers for the contact registers, addresses for print.
  "PII_ENCRYPTION_KEY",
  "PRINT_HOUR",
  "LETTERS_SENT_BY",
  "PRINT_BATCH_DIR",
];

/** The only settings the browser may see. */
export function publicEnv() {
  return { NODE_ENV: env().NODE_ENV };
}
