import { inject } from "vitest";

// Every test file's process gets the run's throwaway database and keys (see global-setup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
Object.assign(process.env, inject("secrets"));
process.env.EID_ISSUER ??= "http://localhost:1";
process.env.EID_CLIENT_ID ??= "test";
process.env.EID_CLIENT_SECRET ??= "test";
process.env.LOG_LEVEL ??= "error";
// Stripe: the SDK talks to a local stand-in that tests start on this port (see checkout tests).
// Below Linux's ephemeral range (32768–60999): a port there can be any outgoing connection's
// local port at that moment, and a suite once failed with EADDRINUSE on 44618.
export const STRIPE_TEST_PORT = 21_000 + (process.pid % 4000);
export const STRIPE_TEST_SECRET = "whsec_test_suite";
process.env.STRIPE_SECRET_KEY ??= "sk_test_suite";
process.env.STRIPE_API_URL ??= `http://127.0.0.1:${STRIPE_TEST_PORT}`;
process.env.STRIPE_WEBHOOK_SECRETS ??= STRIPE_TEST_SECRET;
