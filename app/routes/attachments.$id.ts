import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAttachmentForResident } from "~/services/disputes/attachments.server";
import { currentResident } from "~/services/identity/resident-auth.server";

/**
 * A dispute's file, to its own resident only; anyone else (or no one logged in) gets the same 404
 * as for a file that does not exist. Always a download, never rendered by the browser.
 * `X-Content-Type-Options: nosniff` comes from securityHeaders() on every response; set here too,
 * it would be sent twice.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await currentResident(request);
  const file = resident?.residentId
    ? await readAttachmentForResident(resident.residentId, params.id ?? "")
    : null;
  if (!file) return new Response("Not found", { status: 404, headers: noStore });
  // The stored name is already free of quotes and control characters; encode it anyway.
  const encoded = encodeURIComponent(file.fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      ...noStore,
      "Content-Type": file.contentType,
      "Content-Length": String(file.bytes.length),
      "Content-Disposition": `attachment; filename*=UTF-8''${encoded}`,
    },
  });
}

const noStore = { "Cache-Control": "private, no-store" };
