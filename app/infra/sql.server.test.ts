import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, pgPool, pgReadsPool } from "./db.server";
import { sql } from "./sql.server";

afterAll(async () => {
  await pgPool().query(`DROP TABLE IF EXISTS sql_test_t`);
  await disconnectDb();
});

describe("plain SQL on the pool", () => {
  it("reads DATE as midnight UTC and int8 as BigInt, as Prisma does", async () => {
    const [row] = await sql<{ d: Date; n: bigint; t: Date }>(
      `SELECT DATE '2026-03-01' AS d, 9007199254740993::int8 AS n,
              TIMESTAMPTZ '2026-03-01 10:00:00+01' AS t`,
      [],
    );
    expect(row!.d.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(row!.n).toBe(9007199254740993n);
    expect(row!.t.toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });

  it("prepares a statement again when a migration changes its table's columns", async () => {
    await pgPool().query(`DROP TABLE IF EXISTS sql_test_t`);
    await pgPool().query(`CREATE TABLE sql_test_t (a int)`);
    await pgPool().query(`INSERT INTO sql_test_t VALUES (1)`);
    const read = () => sql<Record<string, unknown>>(`SELECT t.* FROM sql_test_t t`, []);
    // Every pooled connection has it prepared, then the table changes.
    await Promise.all(Array.from({ length: 5 }, read));
    await pgPool().query(`ALTER TABLE sql_test_t ADD COLUMN b int DEFAULT 2`);
    for (let i = 0; i < 5; i++) expect(await read()).toEqual([{ a: 1, b: 2 }]);
  });

  it("plans a read once per connection: the reads pool keeps the generic plan (decision 0116)", async () => {
    const [row] = await sql<{ mode: string }>(
      `SELECT current_setting('plan_cache_mode') AS mode`,
      [],
    );
    expect(row!.mode).toBe("force_generic_plan");
    // Prisma's pool, and every transaction on it, plans as PostgreSQL chooses.
    expect((await pgPool().query(`SHOW plan_cache_mode`)).rows[0]).toEqual({
      plan_cache_mode: "auto",
    });
    const conn = await pgReadsPool().connect();
    try {
      const text = `SELECT count(*)::int AS n FROM "Claim" WHERE "residentId" = $1::uuid`;
      for (let i = 0; i < 8; i++)
        await conn.query({ name: "plan_once_test", text, values: [crypto.randomUUID()] });
      const { rows } = await conn.query(
        `SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements
         WHERE name = 'plan_once_test'`,
      );
      expect(rows).toEqual([{ generic_plans: 8, custom_plans: 0 }]);
    } finally {
      conn.release(true);
    }
  });
});
