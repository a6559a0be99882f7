import { planCalendar } from "~/services/plans/resident-plans.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireResident } from "~/services/identity/resident-auth.server";

/** The plan's due dates as a calendar file, for the resident's own calendar app. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const ics = resident.residentId
    ? await planCalendar(resident.residentId, params.planId ?? "", new Date())
    : null;
  if (!ics) throw new Response("Not found", { status: 404 });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="payment-plan.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
