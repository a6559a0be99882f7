import { authenticateApiKey, type ApiCaller } from "~/services/identity/api-keys.server";

/** A refused field: its English message, and where a check gives one, a stable code (0110). */
type ProblemFieldError = { path: string; message: string; code?: string; params?: object };

/** RFC 9457 problem details: one shape for every API error. */
export function problem(
  status: number,
  title: string,
  extra: { detail?: string; errors?: ProblemFieldError[] } = {},
) {
  return new Response(JSON.stringify({ type: "about:blank", title, status, ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
  });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

/** The caller's creditor, or a 401 response to return at once. */
export async function requireApiCaller(request: Request): Promise<ApiCaller | Response> {
  const caller = await authenticateApiKey(request.headers.get("Authorization"));
  if (caller) return caller;
  return new Response(
    JSON.stringify({
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      detail: "Send a valid creditor API key as `Authorization: Bearer <key>`.",
    }),
    {
      status: 401,
      headers: {
        "Content-Type": "application/problem+json",
        "WWW-Authenticate": 'Bearer realm="kravportal"',
      },
    },
  );
}
