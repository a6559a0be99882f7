import type { ActionFunctionArgs } from "@remix-run/node";
import { json, problem, readApiJson } from "~/api/http.server";
import { receiveClaim } from "~/services/claims/intake.server";

const MAX_BODY_BYTES = 64 * 1024;

export async function loader() {
  return problem(405, "Method Not Allowed", { detail: "Use POST to hand over a claim." });
}

export async function action({ request }: ActionFunctionArgs) {
  const read = await readApiJson(request, {
    maxBytes: MAX_BODY_BYTES,
    mediaDetail: "Send the claim as application/json.",
  });
  if (read instanceof Response) return read;
  const { caller, body } = read;
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
