import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { staffLetterPdf } from "~/services/letters/staff-letters.server";

/**
 * A letter that has left, as the PDF that left, for staff of the claim's creditor (others, and a
 * letter not sent yet, get a 404). Always a download, never cached; the look is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const letter = await staffLetterPdf(staff, params.noticeId ?? "");
  if (!letter)
    return new Response("Not found", {
      status: 404,
      headers: { "Cache-Control": "private, no-store" },
    });
  return new Response(new Uint8Array(letter.pdf), {
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Type": "application/pdf",
      "Content-Length": String(letter.pdf.length),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(letter.fileName)}`,
    },
  });
}
