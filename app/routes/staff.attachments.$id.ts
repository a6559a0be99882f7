import type { LoaderFunctionArgs } from "@remix-run/node";
import { staffAttachment } from "~/services/backoffice/case.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

/** A dispute's file, for staff of that claim's creditor only (others get a 404); always a download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const file = await staffAttachment(staff, params.id ?? "");
  if (!file)
    return new Response("Not found", {
      status: 404,
      headers: { "Cache-Control": "private, no-store" },
    });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Type": file.contentType,
      "Content-Length": String(file.bytes.length),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    },
  });
}
