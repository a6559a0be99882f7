import type { LoaderFunctionArgs } from "@remix-run/node";
import { enforcementExportFile } from "~/services/backoffice/enforcement-batches.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

const ROLES = ["SUPERVISOR", "ADMIN"] as const;

/**
 * A batch's file, byte for byte as it was made and stored, as a download: a resource route, so a
 * plain link works with JavaScript on or off, as often as needed. 404 when not the staff member's;
 * 410 once the retention rules have removed it (the pages then show no link).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const file = await enforcementExportFile(staff, params.exportId ?? "", new Date());
  if (!file)
    return new Response("Not found", {
      status: 404,
      headers: { "Cache-Control": "private, no-store" },
    });
  // The retention rules removed it: the batch and its checksum stay, the personal data is gone.
  if ("removedOn" in file)
    return new Response(`This file was removed on ${file.removedOn} under the retention rules.`, {
      status: 410,
      headers: {
        "Cache-Control": "private, no-store",
        "Content-Type": "text/plain; charset=utf-8",
      },
    });
  const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Type": file.contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      // The checksum stored with the batch (RFC 9530), so the receiver can check what arrived.
      "Repr-Digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
