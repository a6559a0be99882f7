import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFStream,
  type PDFObject,
} from "pdf-lib";

/** What a resident's PDF holds besides pages to read; anything but "ok" is refused. */
export type PdfVerdict = "ok" | "active" | "embedded" | "encrypted" | "damaged";

// Names that make a PDF act rather than show: scripts (in any action, form or name tree), the
// launching of programs, XFA forms (which carry their own scripts) and rich media.
const ACTIVE_KEYS = new Set(["JS", "XFA", "RichMedia", "RichMediaContent"]);
const ACTIVE_NAMES = new Set(["JavaScript", "Launch", "RichMedia", "ImportData"]);
// Files carried inside the PDF, as attachments or annotations.
const EMBEDDED_KEYS = new Set(["EmbeddedFiles", "EF"]);
const EMBEDDED_NAMES = new Set(["EmbeddedFile", "FileAttachment"]);

/**
 * Looks at every object of the PDF, as pdf-lib reads them (cross-reference streams and object
 * streams unpacked, `#xx` escapes in names decoded, so `/J#61vaScript` is `/JavaScript`), for
 * what would run or unpack when staff open it. A string scan of the raw bytes would miss both
 * compressed object streams and escaped names. An encrypted PDF cannot be looked into, and one
 * pdf-lib cannot read has no pages to show; both are refused.
 */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfVerdict> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
    if (doc.getPageCount() < 1) return "damaged";
  } catch (error) {
    // pdf-lib's error classes are compiled for ES5, where `instanceof` on them does not hold.
    const encrypted =
      error instanceof EncryptedPDFError ||
      (error instanceof Error && /is encrypted/.test(error.message));
    return encrypted ? "encrypted" : "damaged";
  }
  let verdict: PdfVerdict = "ok";
  const visit = (obj: PDFObject | undefined): void => {
    if (verdict === "active" || obj === undefined) return;
    if (obj instanceof PDFName) {
      const name = obj.decodeText();
      if (ACTIVE_NAMES.has(name)) verdict = "active";
      else if (EMBEDDED_NAMES.has(name)) verdict = "embedded";
      return;
    }
    if (obj instanceof PDFArray) return obj.asArray().forEach(visit);
    const dict = obj instanceof PDFStream ? obj.dict : obj instanceof PDFDict ? obj : undefined;
    if (!dict) return;
    for (const [key, value] of dict.entries()) {
      const name = key.decodeText();
      if (ACTIVE_KEYS.has(name)) verdict = "active";
      else if (EMBEDDED_KEYS.has(name) && verdict === "ok") verdict = "embedded";
      visit(value);
    }
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) visit(obj);
  visit(doc.context.trailerInfo.Root);
  return verdict;
}
