/**
 * Reads a rendered PDF back the way a person or a print house's software would: its text with
 * Mozilla's PDF.js, each string with where it sits on the page (mm from the top left). Tests only.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export type PlacedText = { page: number; text: string; x: number; y: number };

const PT_TO_MM = 25.4 / 72;

export async function readPdf(
  pdf: Buffer,
): Promise<{ pages: number; items: PlacedText[]; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const items: PlacedText[] = [];
  const lines: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3]!;
    const content = await page.getTextContent();
    let line = "";
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const [, , , , x, y] = item.transform as number[];
      if (item.str.trim() !== "") {
        items.push({ page: n, text: item.str, x: x! * PT_TO_MM, y: (height - y!) * PT_TO_MM });
      }
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = "";
      }
    }
    if (line) lines.push(line);
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, items, text: lines.join("\n").replace(/\s+/g, " ") };
}
