import { quickAddJob } from "graphile-worker";
import pg from "pg";

/**
 * Asks the worker to deliver the outbox now. Returns false when no worker has ever run against
 * this database (its queue does not exist yet): the mail then waits for the worker's start.
 */
export async function requestOutboxDelivery(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const found = await client.query(
      "SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'",
    );
    if (found.rowCount === 0) return false;
  } finally {
    await client.end();
  }
  // The job key folds many requests into one pending job.
  await quickAddJob({ connectionString }, "deliver_outbox", {}, { jobKey: "deliver_outbox" });
  return true;
}
