import { runMigrations, runOnce } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, pgPool } from "~/infra/db.server";
import { seedDemo } from "../../../server/test-support/fixtures";
import {
  figuresCountedAt,
  recountFigures,
  recountUnderWay,
  requestRecount,
} from "./figures-queries.server";

/*
 * "Count again now" (decision 0104, follow-up): the request hands the recount to the worker's
 * queue and returns at once; the page can tell a recount is under way; a second is not started
 * while one waits or runs; the worker's `figures` task counts and the time moves on.
 */

const figuresJobs = async () =>
  (
    await pgPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs
        WHERE task_identifier = 'figures' AND attempts < max_attempts`,
    )
  ).rows[0]!.n;

/** What the worker does with the queue's `figures` jobs (its own task list, this task only). */
const workerRuns = () => runOnce({ pgPool: pgPool(), taskList: { figures: () => recountFigures().then(() => undefined) } }); // prettier-ignore

beforeAll(async () => {
  // Something to count (the demo creditors' claims).
  await seedDemo();
  // The worker's queue, as a worker's start makes it; and no recount left waiting by others.
  await runMigrations({ pgPool: pgPool() });
  await workerRuns();
  await recountFigures();
});
afterAll(() => disconnectDb());

describe("count again now", () => {
  it("is queued for the worker, not counted in the request; a second ask adds nothing", async () => {
    const before = await figuresCountedAt();
    expect(await recountUnderWay()).toBe(false);
    expect(await requestRecount()).toBe("queued");
    expect(await figuresJobs()).toBe(1);
    expect(await recountUnderWay()).toBe(true);
    // Nothing was counted by the request itself.
    expect((await figuresCountedAt())?.getTime()).toBe(before?.getTime());
    expect(await requestRecount()).toBe("under_way");
    expect(await figuresJobs()).toBe(1);
  });

  it("is counted by the worker's figures task; then nothing is under way", async () => {
    const before = (await figuresCountedAt())!;
    await workerRuns();
    expect(await figuresJobs()).toBe(0);
    expect(await recountUnderWay()).toBe(false);
    expect((await figuresCountedAt())!.getTime()).toBeGreaterThan(before.getTime());
  });

  it("is not started a second time while one runs", async () => {
    const holder = await pgPool().connect();
    try {
      // A recount running elsewhere holds the recount's lock.
      await holder.query(`SELECT pg_advisory_lock(104104, 1)`);
      expect(await recountUnderWay()).toBe(true);
      expect(await recountFigures()).toBe(false);
      expect(await requestRecount()).toBe("under_way");
      expect(await figuresJobs()).toBe(0);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(104104, 1)`);
      holder.release();
    }
    expect(await recountUnderWay()).toBe(false);
  });
});
