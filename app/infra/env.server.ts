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

const EnvSchema = z.object({
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
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_POST_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
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
  STRIPE_PAYMENT_METHODS: z
    .string()
    .default("card")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});

export type Env = z.infer<typeof EnvSchema> & { PUBLIC_URL: string };

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops the process with every problem listed. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  cached = {
    ...parsed.data,
    PUBLIC_URL: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`,
  };
  return cached;
}

/** The only settings the browser may see. */
export function publicEnv() {
  return { NODE_ENV: env().NODE_ENV };
}
