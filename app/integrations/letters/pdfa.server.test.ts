/**
 * PDF/A-2b as far as it can be checked without veraPDF (Java, not reachable here): the file is
 * parsed with pdf-lib and its objects are inspected for what a validator would refuse first.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
} from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PAGES, renderLetterPdf } from "./pdf.server";
import { sampleLetter } from "./sample-letters";

let pdf: Buffer;
let doc: PDFDocument;

const name = (dict: PDFDict, key: string) => dict.get(PDFName.of(key))?.toString();
const streamBytes = (s: PDFStream) =>
  s instanceof PDFRawStream ? decodePDFRawStream(s).decode() : s.getContents();

function objects(): PDFDict[] {
  return doc.context
    .enumerateIndirectObjects()
    .map(([, o]) => (o instanceof PDFStream ? o.dict : o))
    .filter((o): o is PDFDict => o instanceof PDFDict);
}

beforeAll(async () => {
  pdf = await renderLetterPdf(sampleLetter("NO", { language: "nn", lines: 20, long: true }));
  doc = await PDFDocument.load(pdf, { updateMetadata: false });
});

describe("the letter PDF as PDF/A-2b", () => {
  it("declares PDF 1.7 and PDF/A part 2, conformance B, in its XMP metadata", () => {
    expect(pdf.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    const metadata = doc.catalog.lookup(PDFName.of("Metadata"), PDFStream);
    const xmp = Buffer.from(streamBytes(metadata)).toString("utf8");
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain("<dc:title>");
  });

  it("has an output intent with an embedded ICC colour profile", () => {
    const intents = doc.catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(name(intent, "S")).toBe("/GTS_PDFA1");
    const profile = intent.lookup(PDFName.of("DestOutputProfile"), PDFStream);
    expect(profile.dict.lookup(PDFName.of("N"), PDFNumber).asNumber()).toBe(3);
    const icc = Buffer.from(streamBytes(profile));
    expect(icc.subarray(36, 40).toString("latin1")).toBe("acsp");
  });

  it("embeds every font it uses (FontFile2), and uses no standard font", () => {
    // Descendant CID fonts are /Font dictionaries too: they are checked through their parent.
    const fonts = objects().filter(
      (o) => name(o, "Type") === "/Font" && name(o, "Subtype") !== "/CIDFontType2",
    );
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      const subtype = name(font, "Subtype");
      expect(subtype, `font ${name(font, "BaseFont")}`).toBe("/Type0");
      const descendant = font.lookup(PDFName.of("DescendantFonts"), PDFArray).lookup(0, PDFDict);
      expect(name(descendant, "Subtype")).toBe("/CIDFontType2");
      const descriptor = descendant.lookup(PDFName.of("FontDescriptor"), PDFDict);
      const file = descriptor.lookup(PDFName.of("FontFile2"));
      expect(file, `font ${name(font, "BaseFont")} is not embedded`).toBeInstanceOf(PDFStream);
      expect(font.get(PDFName.of("ToUnicode"))).toBeInstanceOf(PDFRef);
    }
  });

  it("is not encrypted and has a document id", () => {
    expect(doc.context.trailerInfo.Encrypt).toBeUndefined();
    expect(doc.context.trailerInfo.ID).toBeDefined();
    expect(doc.isEncrypted).toBe(false);
  });

  it("has A4 pages, at most as many as a print house takes", () => {
    const pages = doc.getPages();
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThanOrEqual(MAX_PAGES);
    for (const page of pages) {
      const { width, height } = page.getMediaBox();
      expect(Math.abs(width - 595.28)).toBeLessThan(0.5);
      expect(Math.abs(height - 841.89)).toBeLessThan(0.5);
    }
  });

  it("is tagged, with a structure tree and the letter's language", () => {
    const markInfo = doc.catalog.lookup(PDFName.of("MarkInfo"), PDFDict);
    expect(markInfo.get(PDFName.of("Marked"))?.toString()).toBe("true");
    expect(doc.catalog.get(PDFName.of("StructTreeRoot"))).toBeInstanceOf(PDFRef);
    expect(doc.catalog.get(PDFName.of("Lang"))?.toString()).toBe("(nn-NO)");
  });

  it("holds no JavaScript, no embedded files and no annotations a printer could not print", () => {
    expect(doc.catalog.get(PDFName.of("AA"))).toBeUndefined();
    expect(doc.catalog.get(PDFName.of("OpenAction"))).toBeUndefined();
    const names = doc.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
    expect(names?.get(PDFName.of("JavaScript"))).toBeUndefined();
    expect(names?.get(PDFName.of("EmbeddedFiles"))).toBeUndefined();
    for (const page of doc.getPages()) expect(page.node.Annots()).toBeUndefined();
  });
});
