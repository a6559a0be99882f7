import { inject } from "vitest";

// Every test file's process gets the run's throwaway database and keys (see global-setup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
Object.assign(process.env, inject("secrets"));
process.env.EID_ISSUER ??= "http://localhost:1";
process.env.EID_CLIENT_ID ??= "test";
process.env.EID_CLIENT_SECRET ??= "test";
process.env.LOG_LEVEL ??= "error";
