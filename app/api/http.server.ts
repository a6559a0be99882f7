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

/**
 * The opening every JSON POST of the creditor API shares: POST only, a valid API key, a JSON
 * body of at most `maxBytes`. Returns the caller and the parsed body, or the 4xx to return.
 */
export async function readApiJson(
  request: Request,
  opts: { maxBytes: number; mediaDetail: string; tooLargeDetail?: string },
): Promise<{ caller: ApiCaller; body: unknown } | Response> {
  if (request.method !== "POST") return problem(405, "Method Not Allowed");
  const caller = await requireApiCaller(request);
  if (caller instanceof Response) return caller;
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    return problem(415, "Unsupported Media Type", { detail: opts.mediaDetail });
  }
  const text = await request.text();
  if (text.length > opts.maxBytes)
    return problem(
      413,
      "Payload Too Large",
      opts.tooLargeDetail ? { detail: opts.tooLargeDetail } : {},
    );
  try {
    return { caller, body: JSON.parse(text) as unknown };
  } catch {
    return problem(400, "Bad Request", {
      detail: "The body is not valid JSON.",
      errors: [{ path: "(body)", message: "is not valid JSON" }],
    });
  }
}
