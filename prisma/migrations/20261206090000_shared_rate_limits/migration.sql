-- Rate limits shared by every web process and kept across restarts (rate-limiter-flexible's
-- PostgreSQL store, server/rate-limit.ts). Its own columns, in its own order: key, points, expire
-- (epoch milliseconds). Expired rows are deleted by the web processes every few minutes.
CREATE TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);
