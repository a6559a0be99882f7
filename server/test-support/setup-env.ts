import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// Each test file's process gets the throwaway database and its own throwaway keys.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.SESSION_SECRET ??= randomBytes(32).toString("hex");
process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.NATIONAL_ID_HASH_KEY ??= randomBytes(32).toString("base64");
process.env.EID_ISSUER ??= "http://localhost:1";
process.env.EID_CLIENT_ID ??= "test";
process.env.EID_CLIENT_SECRET ??= "test";
