import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireResident } from "~/services/identity/resident-auth.server";
import { asciiFileName, residentLetterPdf } from "~/services/letters/resident-letters.server";

/**
 * A letter of the resident's claim as a PDF: the one that was sent, dated its dispatch day. Only
 * their own claim's, only a letter that has left; anything else is the same 404 as a letter that
 * does not exist. Always a download, never kept by a cache.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const letter = resident.residentId
    ? await residentLetterPdf(resident.residentId, params.claimId ?? "", params.noticeId ?? "")
    : null;
  if (!letter) return new Response("Not found", { status: 404, headers: noStore });
  const encoded = encodeURIComponent(letter.fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return new Response(new Uint8Array(letter.pdf), {
    status: 200,
    headers: {
      ...noStore,
      "Content-Type": "application/pdf",
      "Content-Length": String(letter.pdf.length),
      "Content-Disposition": `attachment; filename="${asciiFileName(letter.fileName)}"; filename*=UTF-8''${encoded}`,
    },
  });
}

const noStore = { "Cache-Control": "private, no-store" };
