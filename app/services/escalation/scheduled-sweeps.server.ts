import { Prisma } from "~/generated/prisma/client.ts";
import { hourIn, todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { log } from "~/infra/log.server";
import { runSweep, type SweepSummary } from "./sweep.server";

/**
 * Each creditor's daily sweep, once per calendar day in the creditor's own time zone, from
 * `sweepHour` local time on. The unique (creditor, day) row claims the day, so however often the
 * worker's cron fires and however many workers run, a day is swept once.
 */
export async function runDueDailySweeps(opts: {
  now: Date;
  sweepHour: number;
  publicUrl: string;
}): Promise<SweepSummary[]> {
  const done: SweepSummary[] = [];
  // A merged creditor (a tombstone, decision 0107) has nothing left to sweep.
  const creditors = await db().creditor.findMany({
    where: { mergedAt: null },
    orderBy: { slug: "asc" },
  });
  for (const creditor of creditors) {
    if (hourIn(creditor.timeZone, opts.now) < opts.sweepHour) continue;
    const asOf = todayIn(creditor.timeZone, opts.now);
    let run;
    try {
      run = await db().sweepRun.create({ data: { creditorId: creditor.id, asOf: dbDate(asOf) } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
    const summary = await runSweep({
      asOf,
      creditorSlug: creditor.slug,
      publicUrl: opts.publicUrl,
    });
    await db().sweepRun.update({
      where: { id: run.id },
      data: { finishedAt: new Date(), summary: summary as unknown as Prisma.InputJsonValue },
    });
    log.info("daily sweep done", { creditor: creditor.slug, asOf, examined: summary.examined });
    done.push(summary);
  }
  return done;
}
