import type { ActionFunctionArgs } from "@remix-run/node";
import { json, problem, requireApiCaller } from "~/api/http.server";
import { receiveClaim } from "~/services/claims/intake.server";

const MAX_BODY_BYTES = 64 * 1024;

export async function loader() {
  return problem(405, "Method Not Allowed", { detail: "Use POST to hand over a claim." });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Method Not Allowed");
  const caller = await requireApiCaller(request);
  if (caller instanceof Response) return caller;

  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    return problem(415, "Unsupported Media Type", {
      detail: "Send the claim as application/json.",
    });
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return problem(413, "Payload Too Large");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, "Bad Request", {
      detail: "The body is not valid JSON.",
      errors: [{ path: "(body)", message: "is not valid JSON" }],
    });
  }

  const result = await receiveClaim(caller, body, new Date());
  switch (result.kind) {
    case "invalid":
      return problem(400, "Bad Request", {
        detail: "The claim was not accepted; nothing was stored.",
        errors: result.errors,
      });
    case "conflict":
      return problem(409, "Conflict", { detail: result.detail });
    case "created":
      return json(result.claim, 201, {
        Location: `/api/v1/claims/${encodeURIComponent(result.claim.externalId)}`,
      });
    case "existing":
      return json(result.claim, 200);
  }
}
