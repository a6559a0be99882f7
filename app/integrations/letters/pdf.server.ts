/**
 * A letter as a PDF/A-2b file for print and for download: A4, DejaVu Sans embedded, tagged, no
 * encryption, the recipient's address where a left window envelope shows it (see
 * docs/letters.md for the measurements). Rendered with PDFKit; the same content always gives
 * the same bytes (the creation date is the letter's date), so a re-made batch has the same
 * checksums.
 */
import PDFDocument from "pdfkit";
import { PDFDocument as ParsedPdf } from "pdf-lib";
import type { LetterContent } from "./letter-content";
import { letterFonts } from "./pdf-fonts.server";
import { LetterWriter, MARGIN, mm } from "./pdf-writer.server";
import { buildLetterView, type LetterView } from "./letter-view.server";

/** Print houses take at most about 14 pages per letter (Digipost's printability rules). */
export const MAX_PAGES = 14;

/** The window of the envelope, and where the address sits in it (mm from the page's top left). */
export const WINDOW = { left: 20, top: 45, width: 85, height: 25 };
const ADDRESS_TOP = 49.5;
const ADDRESS_BOTTOM = 69.5;
const ADDRESS_SIZES = [10, 9.5, 9, 8.5, 8];

export class LetterLayoutError extends Error {
  constructor(
    readonly reason: "ADDRESS_TOO_LONG" | "TOO_MANY_PAGES",
    message: string,
  ) {
    super(message);
    this.name = "LetterLayoutError";
  }
}

function header(w: LetterWriter, view: LetterView): void {
  const { doc } = w;
  const head = w.section();
  w.tag(head, "P", () => {
    w.font(true, 12).doc.text(view.senderName, mm(20), mm(15), { width: mm(95) });
  });
  const meta = view.meta.map((m) => `${m.label}: ${m.value}`).join("\n");
  w.tag(head, "P", () => {
    w.font(false, 9).doc.text(meta, mm(120), mm(15), { width: mm(70), lineGap: 2 });
  });

  // The return address runs on one line along the window's top edge, as small as it must be.
  let size = 6.5;
  w.font(false, size);
  while (size > 5 && doc.widthOfString(view.returnAddress) > mm(WINDOW.width)) {
    size -= 0.25;
    w.font(false, size);
  }
  w.tag(head, "P", () => {
    w.font(false, size).doc.fillColor("#404040");
    doc.text(view.returnAddress, mm(WINDOW.left), mm(WINDOW.top + 0.8), {
      width: mm(WINDOW.width),
      height: mm(3),
      ellipsis: true,
      lineBreak: false,
    });
    doc.fillColor("#000000");
  });

  const address = view.recipientLines.join("\n");
  const fits = ADDRESS_SIZES.find(
    (s) => w.heightOf(address, mm(WINDOW.width), false, s, 0) <= mm(ADDRESS_BOTTOM - ADDRESS_TOP),
  );
  if (fits === undefined) {
    throw new LetterLayoutError(
      "ADDRESS_TOO_LONG",
      "The recipient's address does not fit the envelope window: shorten its lines or have fewer.",
    );
  }
  w.tag(head, "P", () => {
    w.font(false, fits).doc.text(address, mm(WINDOW.left), mm(ADDRESS_TOP), {
      width: mm(WINDOW.width),
      lineGap: 0,
    });
  });
  head.end();
  doc.y = mm(88);
}

function body(w: LetterWriter, view: LetterView): void {
  const intro = w.section();
  w.heading(intro, view.title, 1);
  if (view.about) w.text(intro, "P", view.about, { bold: true, size: 9.5 });
  w.text(intro, "P", view.greeting, { gap: mm(1.5) });
  w.text(intro, "P", view.intro, { gap: mm(4) });
  if (view.message) {
    w.heading(intro, view.message.heading, 2);
    w.text(intro, "P", view.message.body, { gap: mm(4) });
  }
  intro.end();

  if (view.due) {
    const due = w.section();
    const notes = view.due.notes.join("\n");
    w.keep(mm(12) + view.due.facts.length * mm(6) + w.heightOf(notes, w.width, false, 9));
    const top = w.doc.y;
    const page = w.doc.page;
    w.heading(due, view.due.heading, 2);
    w.facts(due, view.due.facts, mm(55), 11);
    w.doc.y += mm(1.5);
    for (const note of view.due.notes) w.text(due, "P", note, { size: 9, gap: mm(1) });
    // A box split over two pages would frame nothing sensible: then it goes without.
    if (w.doc.page === page) w.frame(top);
    else w.doc.y += mm(4);
    due.end();
  }
  if (view.plan) {
    const plan = w.section();
    w.heading(plan, view.plan.heading, 2);
    w.table(plan, view.plan, [0.6, 0.4]);
    plan.end();
  }
  if (view.pay) {
    const pay = w.section();
    w.heading(pay, view.pay.heading, 2, mm(30));
    w.text(pay, "P", view.pay.intro, { size: 9.5, gap: mm(2) });
    w.facts(pay, view.pay.facts, mm(55));
    if (view.pay.abroad.length > 0) {
      w.doc.y += mm(1.5);
      w.facts(pay, view.pay.abroad, mm(55), 9);
    }
    w.doc.y += mm(1.5);
    w.text(pay, "P", view.pay.online, { size: 9.5, gap: mm(4) });
    pay.end();
  }
  if (view.breakdown) {
    const table = w.section();
    w.heading(table, view.breakdown.heading, 2);
    w.table(table, view.breakdown, [0.22, 0.15, 0.41, 0.22], 2);
    table.end();
  }
  for (const block of [view.consequence, view.options]) {
    if (!block) continue;
    const sect = w.section();
    w.heading(sect, block.heading, 2);
    const paragraphs = "body" in block ? [block.body] : block.paragraphs;
    paragraphs.forEach((p, i) =>
      w.text(sect, "P", p, { size: 9.5, gap: i === paragraphs.length - 1 ? mm(4) : mm(1.5) }),
    );
    sect.end();
  }
  const contact = w.section();
  w.heading(contact, view.contact.heading, 2, mm(35));
  w.text(contact, "P", view.contact.intro, { size: 9.5, gap: mm(2) });
  w.facts(contact, view.contact.facts, mm(40), 9);
  w.doc.y += mm(4);
  for (const line of view.closing) w.text(contact, "P", line, { size: 9.5 });
  w.text(contact, "P", `${view.signoff}\n${view.senderName}`);
  contact.end();
}

/** Footer and "page n of m" on every page, once the number of pages is known. */
function footers(w: LetterWriter, view: LetterView): void {
  const { doc } = w;
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a page
    doc.markContent("Artifact", { type: "Pagination" });
    w.font(false, 7.5).doc.fillColor("#404040");
    const y = doc.page.height - mm(13);
    doc.text(view.footer, mm(20), y, { width: mm(120), lineBreak: false, ellipsis: true });
    doc.text(view.pageLabel(i + 1, range.count), mm(140), y, { width: mm(50), align: "right" });
    doc.fillColor("#000000");
    doc.endMarkedContent();
    doc.page.margins.bottom = bottomMargin;
  }
}

export function renderLetterPdf(content: LetterContent): Promise<Buffer> {
  const view = buildLetterView(content);
  const fonts = letterFonts();
  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    pdfVersion: "1.7",
    subset: "PDF/A-2b",
    tagged: true,
    lang: view.lang,
    displayTitle: true,
    bufferPages: true,
    info: {
      // Only our own texts go into the metadata: PDFKit writes them into XMP unescaped.
      Title: view.title.replace(/[<>&]/g, " "),
      Creator: "Kravportal",
      CreationDate: new Date(`${content.date}T12:00:00Z`),
    },
  });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  try {
    const root = doc.struct("Document");
    doc.addStructure(root);
    const writer = new LetterWriter(doc, root, { regular: "regular", bold: "bold" });
    header(writer, view);
    body(writer, view);
    root.end();
    const pages = doc.bufferedPageRange().count;
    if (pages > MAX_PAGES) {
      throw new LetterLayoutError(
        "TOO_MANY_PAGES",
        `The letter needs ${pages} pages; print houses take at most ${MAX_PAGES}.`,
      );
    }
    footers(writer, view);
    doc.end();
    return done.then((pdf) => {
      rendered.set(pdf, pages);
      return pdf;
    });
  } catch (error) {
    doc.removeAllListeners("data");
    return Promise.reject(error);
  }
}

// Page counts of the PDFs this process rendered, so a batch of fresh letters need not parse
// each one again (parsing costs about a tenth of rendering). Held weakly: gone with the buffer.
const rendered = new WeakMap<Uint8Array, number>();

/** The number of pages of a PDF: known if rendered here, else read with a PDF parser. */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const known = rendered.get(pdf);
  if (known !== undefined) return known;
  const parsed = await ParsedPdf.load(pdf, { updateMetadata: false });
  return parsed.getPageCount();
}
