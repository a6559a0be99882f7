import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, problem, readApiJson } from "~/api/http.server";
import { MAX_BATCH_CLAIMS, receiveClaims } from "~/services/claims/intake-batch.server";
import { loader as claimLoader } from "./api.v1.claims.$externalId";

// Room for a thousand claims with addresses; the input gate (server/input-gate.ts) allows the same.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** GET still reads a claim whose externalId is "batch", as before this route existed. */
export async function loader(args: LoaderFunctionArgs) {
  return claimLoader({ ...args, params: { externalId: "batch" } });
}

/**
 * Up to 1,000 claims in one request, each checked on its own and answered in order; the valid
 * new ones are stored together (intake-batch.server.ts). 200 whatever the claims' outcomes: the
 * request as a whole was understood.
 */
export async function action({ request }: ActionFunctionArgs) {
  const read = await readApiJson(request, {
    maxBytes: MAX_BODY_BYTES,
    mediaDetail: 'Send {"claims": [...]} as application/json.',
    tooLargeDetail: `The body is larger than ${MAX_BODY_BYTES} bytes; send at most ${MAX_BATCH_CLAIMS} claims a request.`,
  });
  if (read instanceof Response) return read;
  const { caller, body } = read;
  const claims = (body as { claims?: unknown } | null)?.claims;
  const extra =
    body && typeof body === "object" ? Object.keys(body).filter((k) => k !== "claims") : [];
  if (!Array.isArray(claims) || extra.length > 0) {
    return problem(400, "Bad Request", {
      detail: 'Send an object {"claims": [...]} with the claims in an array, and nothing else.',
      errors: Array.isArray(claims)
        ? extra.map((k) => ({ path: k, message: "is not a field of a batch" }))
        : [{ path: "claims", message: "must be an array of claims" }],
    });
  }
  if (claims.length === 0)
    return problem(400, "Bad Request", {
      detail: "The batch has no claims.",
      errors: [{ path: "claims", message: "must hold at least one claim" }],
    });
  if (claims.length > MAX_BATCH_CLAIMS)
    return problem(413, "Payload Too Large", {
      detail: `A batch holds at most ${MAX_BATCH_CLAIMS} claims; this one has ${claims.length}. Split it, or import a file.`,
    });
  const results = await receiveClaims(caller, claims, new Date());
  const count = (r: string) => results.filter((x) => x.result === r).length;
  return json({
    summary: {
      received: results.length,
      created: count("created"),
      unchanged: count("unchanged"),
      conflict: count("conflict"),
      invalid: count("invalid"),
    },
    results,
  });
}
