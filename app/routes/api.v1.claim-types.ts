import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, requireApiCaller } from "~/api/http.server";
import { listClaimTypes } from "~/services/claims/intake.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request);
  if (caller instanceof Response) return caller;
  return json({ claimTypes: await listClaimTypes(caller.creditorId) });
}
