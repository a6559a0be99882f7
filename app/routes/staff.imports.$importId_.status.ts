import type { LoaderFunctionArgs } from "@remix-run/node";
import { claimImportView } from "~/services/claims/claim-upload.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

/** How far an import has come, polled by its page while it runs (the counts, not the report). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: ["SUPERVISOR", "ADMIN"] });
  const view = await claimImportView(params.importId ?? "", staff.creditorIds, false);
  if (!view) throw new Response("Not found", { status: 404 });
  const { status, bytesRead, bytesTotal, lines, created, unchanged, conflicts, invalid } = view;
  return Response.json(
    { status, bytesRead, bytesTotal, lines, created, unchanged, conflicts, invalid },
    { headers: { "Cache-Control": "no-store" } },
  );
}
