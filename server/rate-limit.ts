import type { RequestHandler } from "express";
import { rateLimit, type ClientRateLimitInfo, type Store } from "express-rate-limit";
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

/**
 * An express-rate-limit store over rate-limiter-flexible's PostgreSQL limiter: one count per
 * client and limit in the `RateLimit` table, shared by every web process and kept across
 * restarts. If the database cannot be reached, each process counts in memory meanwhile (the
 * limiter's insurance), so an outage neither blocks everyone nor lifts the limit.
 */
export class PostgresRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly limiter: RateLimiterAbstract;

  constructor(opts: { pool: pg.Pool; name: string; limit: number; windowSeconds: number }) {
    this.prefix = opts.name;
    this.limiter = new RateLimiterPostgres({
      storeClient: opts.pool,
      storeType: "pool",
      tableName: "RateLimit",
      // Made by a migration (prisma/migrations/*_shared_rate_limits), not at run time.
      tableCreated: true,
      keyPrefix: opts.name,
      points: opts.limit,
      duration: opts.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix: opts.name,
        points: opts.limit,
        duration: opts.windowSeconds,
      }),
    });
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    // consume() rejects with the count once it is past the limit: the count is what is wanted.
    const res = await this.limiter.consume(key).catch((e: unknown) => {
      if (e instanceof RateLimiterRes) return e;
      throw e;
    });
    return { totalHits: res.consumedPoints, resetTime: new Date(Date.now() + res.msBeforeNext) };
  }

  async decrement(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

/** A per-client limit of `perMinute` requests, counted in PostgreSQL; 429 problem+json past it. */
export function sharedLimiter(
  pool: pg.Pool,
  name: string,
  perMinute: number,
  message: string,
): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    store: new PostgresRateLimitStore({ pool, name, limit: perMinute, windowSeconds: 60 }),
    handler: (_req, res) => {
      res.status(429).type("application/problem+json").send({
        type: "about:blank",
        title: "Too many requests",
        status: 429,
        detail: message,
      });
    },
  });
}
