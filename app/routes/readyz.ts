import { checkReadiness } from "~/services/operations/health.server";

// For the load balancer and the operator: 200 once the database answers and every migration
// this release ships is applied; 503 with what is missing otherwise. /healthz stays cheaper.
export async function loader() {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
