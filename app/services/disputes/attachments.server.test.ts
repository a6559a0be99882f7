import { PDFDocument, PDFName, PDFString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { checkFiles, nameForType, sanitiseFileName } from "./attachments.server";
import { inspectPdf } from "./pdf-check.server";

const enc = (s: string) => new TextEncoder().encode(s);
const pdfWith = (catalogExtra = "", objects = "") =>
  enc(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R ${catalogExtra} >> endobj\n` +
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
      `${objects}trailer << /Root 1 0 R >>\n%%EOF\n`,
  );
const PDF = pdfWith();
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/** A PDF made by pdf-lib itself with the script inside a compressed object stream. */
async function pdfWithCompressedScript(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const action = doc.context.obj({ S: "JavaScript", JS: PDFString.of("app.alert(1)") });
  doc.catalog.set(PDFName.of("OpenAction"), doc.context.register(action));
  return doc.save({ useObjectStreams: true });
}

describe("file names", () => {
  it("are NFC, without control, bidirectional or zero-width characters, and without a path", () => {
    expect(sanitiseFileName("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitiseFileName("Fa\u0308ktura.pdf")).toBe("Fäktura.pdf");
    expect(sanitiseFileName("Fa\u0308ktura.pdf")).toBe("Fäktura.pdf".normalize("NFC"));
    expect(sanitiseFileName("a\u200bb\u2066c\u0000d.pdf")).toBe("abcd.pdf");
    expect(sanitiseFileName("C:\\Users\\x\\report (v=2).pdf")).toBe("report (v=2).pdf");
    expect(sanitiseFileName("faktura;2026.pdf")).toBe("faktura;2026.pdf");
  });

  it("take the extension of what the file is", () => {
    expect(nameForType("page.html", "application/pdf")).toBe("page.pdf");
    expect(nameForType("scan", "image/png")).toBe("scan.png");
    expect(nameForType("photo.JPEG", "image/jpeg")).toBe("photo.JPEG");
  });
});

describe("checkFiles", () => {
  it("stores PDF bytes named page.html as page.pdf, and U+202E never reaches staff", async () => {
    const result = await checkFiles([
      { name: "page.html", bytes: PDF },
      { name: "kvitto\u202egnp.exe", bytes: PNG },
    ]);
    expect(result.ok && result.files.map((f) => [f.fileName, f.contentType])).toEqual([
      ["page.pdf", "application/pdf"],
      ["kvittognp.png", "image/png"],
    ]);
  });

  it("keeps names with = and ; as they are", async () => {
    const result = await checkFiles([
      { name: "report (v=2).pdf", bytes: PDF },
      { name: "faktura;2026.pdf", bytes: PDF },
    ]);
    expect(result.ok && result.files.map((f) => f.fileName)).toEqual([
      "report (v=2).pdf",
      "faktura;2026.pdf",
    ]);
  });

  it.each([
    "<script>alert(1)</script>.pdf",
    "x/<script>alert(1)</script>.pdf",
    "<img src=x onerror=alert(1)>.pdf",
    "<\u202escript>.pdf",
    "</title>.pdf",
  ])("refuses a name with markup: %j", async (name) => {
    const result = await checkFiles([{ name, bytes: PDF }]);
    expect(result).toMatchObject({ ok: false, errors: [{ message: "dispute.error.badName" }] });
  });

  it("accepts a lone < that is no markup", async () => {
    expect((await checkFiles([{ name: "x < 5.pdf", bytes: PDF }])).ok).toBe(true);
  });

  it.each([
    [
      "an /OpenAction script",
      pdfWith("/OpenAction 4 0 R", "4 0 obj << /S /JavaScript /JS (app.alert\\(1\\)) >> endobj\n"),
      "pdfActive",
    ],
    [
      "a script behind an escaped name",
      pdfWith("/OpenAction << /S /J#61vaScript /J#53 (x) >>"),
      "pdfActive",
    ],
    [
      "a document-level script",
      pdfWith("/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>"),
      "pdfActive",
    ],
    [
      "a link that launches a program",
      pdfWith(
        "",
        "4 0 obj << /Type /Annot /Subtype /Link /A << /S /Launch /F (calc.exe) >> >> endobj\n",
      ),
      "pdfActive",
    ],
    ["an XFA form", pdfWith("/AcroForm << /XFA 4 0 R >>", "4 0 obj << >> endobj\n"), "pdfActive"],
    [
      "an embedded file",
      pdfWith(
        "/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /EF << /F 4 0 R >> >>] >> >>",
        "4 0 obj << /Type /EmbeddedFile /Length 0 >> stream\n\nendstream endobj\n",
      ),
      "pdfEmbedded",
    ],
    [
      "encryption",
      enc(
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R /Encrypt << /Filter /Standard >> >>\n%%EOF\n",
      ),
      "pdfEncrypted",
    ],
    ["no pages at all", enc("%PDF-1.4\n% nothing here\n%%EOF\n"), "pdfDamaged"],
  ])("refuses a PDF with %s", async (_what, bytes, message) => {
    const result = await checkFiles([{ name: "letter.pdf", bytes }]);
    expect(result).toMatchObject({ ok: false, errors: [{ message: `dispute.error.${message}` }] });
  });

  it("finds a script inside a compressed object stream, where a byte scan cannot see it", async () => {
    const bytes = await pdfWithCompressedScript();
    expect(Buffer.from(bytes).includes("JavaScript")).toBe(false);
    expect(await inspectPdf(bytes)).toBe("active");
  });

  it("accepts an ordinary PDF, including one whose /OpenAction only sets the view", async () => {
    expect(await inspectPdf(PDF)).toBe("ok");
    expect(await inspectPdf(pdfWith("/OpenAction [3 0 R /Fit]"))).toBe("ok");
    const made = await PDFDocument.create();
    made.addPage();
    expect(await inspectPdf(await made.save({ useObjectStreams: true }))).toBe("ok");
  });
});
