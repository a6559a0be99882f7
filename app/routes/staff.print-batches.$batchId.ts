import { createReadStream } from "node:fs";
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { staffPrintBatch } from "~/services/letters/staff-letters.server";

const ROLES = ["SUPERVISOR", "ADMIN"] as const;

/** A print batch's archive, streamed from disk: 404 when not the staff member's, or gone. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const file = await staffPrintBatch(staff, params.batchId ?? "");
  if (!file)
    return new Response("Not found", {
      status: 404,
      headers: { "Cache-Control": "private, no-store" },
    });
  return new Response(createReadableStreamFromReadable(createReadStream(file.path)), {
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Type": "application/zip",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    },
  });
}
