import { defineConfig } from "prisma/config";

// DATABASE_URL is read without env() because env() throws when it is unset, and
// `prisma generate` (run at install time) needs no database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
