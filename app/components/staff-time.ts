import { useRouteLoaderData } from "@remix-run/react";
import { useFormat } from "~/components/format";

/**
 * Dates and times on staff pages: in the staff member's language, on the clock of their
 * creditors' time zone (given by the /staff layout), never as raw timestamps.
 */
export function useStaffTime() {
  const data = useRouteLoaderData<{ timeZone?: string }>("routes/staff");
  const f = useFormat();
  const zone = data?.timeZone ?? "UTC";
  return {
    zone,
    /** The day a moment (an ISO timestamp) fell on in the office. */
    day: (instant: string) => f.dayOf(instant, zone),
    /** A moment as day and time in the office, for tables. */
    dateTime: (instant: string) => f.shortDateTime(instant, zone),
  };
}
