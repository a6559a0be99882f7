/**
 * Places a letter's blocks on A4 pages with PDFKit, and tags each one (headings, paragraphs,
 * tables) so a screen reader can follow the PDF a resident downloads. Rules, boxes and page
 * furniture are marked as artifacts. Blocks never split a table row or a heading from what
 * follows it; a long table continues on the next page under a repeated header.
 */
import type { Fact, Table } from "./letter-view.server";

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export const mm = (v: number) => (v * 72) / 25.4;

export const MARGIN = { top: mm(20), bottom: mm(22), left: mm(20), right: mm(20) };
const BODY = 10;
const SMALL = 8.5;
const NOTE = 7.5;
const GREY = "#404040";
const RULE = "#9a9a9a";

export type FontNames = { regular: string; bold: string };

type Cell = { text: string; bold?: boolean; size?: number; note?: string };

export class LetterWriter {
  constructor(
    readonly doc: Doc,
    readonly root: Struct,
    readonly fonts: FontNames,
  ) {}

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` still fits on this one. */
  keep(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.continueOnNewPage();
  }

  /** Drawing that carries no meaning (rules, boxes): outside the structure tree. */
  artifact(draw: () => void): void {
    this.doc.markContent("Artifact", { type: "Layout" });
    draw();
    this.doc.endMarkedContent();
  }

  tag(parent: Struct, type: string, draw: () => void): void {
    const element = this.doc.struct(type, {}, () => draw());
    parent.add(element);
    element.end();
  }

  section(): Struct {
    const sect = this.doc.struct("Sect");
    this.root.add(sect);
    return sect;
  }

  font(bold: boolean, size: number): this {
    this.doc.font(bold ? this.fonts.bold : this.fonts.regular).fontSize(size);
    return this;
  }

  heightOf(text: string, width: number, bold: boolean, size: number, lineGap = 1): number {
    this.font(bold, size);
    return this.doc.heightOfString(text, { width, lineGap });
  }

  /** Text at the current position, full width, then a gap. */
  text(
    parent: Struct,
    type: string,
    text: string,
    opts: { bold?: boolean; size?: number; gap?: number; color?: string } = {},
  ): void {
    const size = opts.size ?? BODY;
    this.keep(Math.min(this.heightOf(text, this.width, !!opts.bold, size), mm(15)));
    this.tag(parent, type, () => {
      this.font(!!opts.bold, size).doc.fillColor(opts.color ?? "#000000");
      this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: 1 });
    });
    this.doc.fillColor("#000000");
    this.doc.y += opts.gap ?? mm(2.5);
  }

  heading(parent: Struct, text: string, level: 1 | 2, following = mm(12)): void {
    const size = level === 1 ? 15 : 11.5;
    this.keep(this.heightOf(text, this.width, true, size) + following);
    this.text(parent, `H${level}`, text, { bold: true, size, gap: mm(level === 1 ? 3 : 1.5) });
  }

  private cellHeight(cell: Cell, width: number): number {
    const main = this.heightOf(cell.text, width, !!cell.bold, cell.size ?? SMALL);
    return cell.note ? main + mm(0.8) + this.heightOf(cell.note, width, false, NOTE) : main;
  }

  private drawRow(
    row: Struct | null,
    cells: Cell[],
    x: number[],
    w: number[],
    y: number,
    header: boolean,
  ): void {
    cells.forEach((cell, i) => {
      const draw = () => {
        const align = i === cells.length - 1 ? "right" : "left";
        this.font(!!cell.bold, cell.size ?? SMALL).doc.fillColor("#000000");
        this.doc.text(cell.text, x[i]!, y, { width: w[i]!, lineGap: 1, align });
        if (cell.note) {
          this.font(false, NOTE).doc.fillColor(GREY);
          this.doc.text(cell.note, x[i]!, this.doc.y + mm(0.8), { width: w[i]!, lineGap: 1 });
          this.doc.fillColor("#000000");
        }
      };
      if (row) this.tag(row, header ? "TH" : "TD", draw);
      else this.artifact(draw);
    });
  }

  /**
   * A table with a header row, body rows and a total row. `widths` are fractions of the text
   * width; a page break between rows repeats the header (as an artifact: it was read once).
   */
  table(parent: Struct, table: Table, widths: number[], noteColumn = -1): void {
    const pad = mm(1.2);
    const gutter = mm(2.5);
    const w = widths.map((f) => f * this.width - gutter);
    const x = widths.reduce<number[]>(
      (acc, _f, i) => [...acc, i === 0 ? this.left : acc[i - 1]! + widths[i - 1]! * this.width],
      [],
    );
    const element = this.doc.struct("Table");
    parent.add(element);
    const head: Cell[] = table.cols.map((c) => ({ text: c, bold: true }));
    const headHeight = Math.max(...head.map((c, i) => this.cellHeight(c, w[i]!))) + 2 * pad;
    const drawHead = (tagged: boolean) => {
      const y = this.doc.y + pad;
      if (tagged) {
        const tr = this.doc.struct("TR");
        element.add(tr);
        this.drawRow(tr, head, x, w, y, true);
        tr.end();
      } else this.drawRow(null, head, x, w, y, true);
      this.doc.y = y + headHeight - pad;
      this.rule(this.doc.y, 0.8);
    };
    const first = table.rows[0];
    const firstHeight = first ? this.rowHeight(first, w, noteColumn) : 0;
    this.keep(headHeight + firstHeight + mm(10));
    drawHead(true);
    const body = table.rows.map((r) => ({ cells: this.cells(r, noteColumn), total: false }));
    const total: Cell[] = [{ text: table.total.label, bold: true, size: BODY }];
    while (total.length < table.cols.length - 1) total.push({ text: "" });
    total.push({ text: table.total.value, bold: true, size: BODY });
    for (const row of [...body, { cells: total, total: true }]) {
      const height = Math.max(...row.cells.map((c, i) => this.cellHeight(c, w[i]!))) + 2 * pad;
      if (this.doc.y + height > this.bottom) {
        this.doc.continueOnNewPage();
        drawHead(false);
      }
      if (row.total) this.rule(this.doc.y, 0.8);
      const tr = this.doc.struct("TR");
      element.add(tr);
      const y = this.doc.y + pad;
      this.drawRow(tr, row.cells, x, w, y, false);
      tr.end();
      this.doc.y = y + height - pad;
      if (!row.total) this.rule(this.doc.y, 0.3);
    }
    element.end();
    this.doc.y += mm(4);
  }

  private cells(row: Table["rows"][number], noteColumn: number): Cell[] {
    return row.cells.map((text, i) => ({ text, note: i === noteColumn ? row.note : undefined }));
  }

  private rowHeight(row: Table["rows"][number], w: number[], noteColumn: number): number {
    const cells = this.cells(row, noteColumn);
    return Math.max(...cells.map((c, i) => this.cellHeight(c, w[i]!))) + mm(2.4);
  }

  /** Label and value pairs in two columns; a pair with no value is a small heading. */
  facts(parent: Struct, facts: Fact[], labelWidth: number, size = BODY, x = this.left): void {
    const valueX = x + labelWidth;
    const valueW = this.left + this.width - valueX;
    const element = this.doc.struct("Table");
    parent.add(element);
    for (const fact of facts) {
      const labelH = this.heightOf(
        fact.label,
        fact.value ? labelWidth - mm(2) : this.width,
        true,
        size,
      );
      const valueH = fact.value ? this.heightOf(fact.value, valueW, false, size) : 0;
      const height = Math.max(labelH, valueH) + mm(1);
      this.keep(height);
      const y = this.doc.y;
      const tr = this.doc.struct("TR");
      element.add(tr);
      this.tag(tr, "TH", () => {
        this.font(true, size).doc.text(fact.label, x, y, {
          width: fact.value ? labelWidth - mm(2) : this.width,
          lineGap: 1,
        });
      });
      if (fact.value) {
        this.tag(tr, "TD", () => {
          this.font(false, size).doc.text(fact.value, valueX, y, { width: valueW, lineGap: 1 });
        });
      }
      tr.end();
      this.doc.y = y + height;
    }
    element.end();
  }

  rule(y: number, weight: number, x1 = this.left, x2 = this.left + this.width): void {
    this.artifact(() => {
      this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(weight).strokeColor(RULE).stroke();
    });
  }

  /** A frame around what was drawn from `top` to the current position, on one page. */
  frame(top: number): void {
    const pad = mm(2.5);
    this.artifact(() => {
      this.doc
        .rect(this.left - pad, top - pad, this.width + 2 * pad, this.doc.y - top + pad)
        .lineWidth(0.8)
        .strokeColor(RULE)
        .stroke();
    });
    this.doc.y += pad + mm(3);
  }
}
