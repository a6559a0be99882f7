import { checkDatabase } from "~/services/operations/health.server";

export async function loader() {
  const ok = await checkDatabase();
  return new Response(ok ? "ok" : "database unavailable", {
    status: ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
