/**
 * Helpers for the fixed-width 80-character formats (BgMax, Nets OCR giro). Positions are
 * written 1-based and inclusive, exactly as the banks' specifications print them, so each
 * parser can be checked against its spec table by eye.
 */
import { parseIsoDate } from "~/domain/calendar-date";
import { LineSplitter } from "./lines";
import { BankFileError, PaymentTally } from "./types";
import type { BankFileControl, BankFileFormat, BankFileReader, BankPayment } from "./types";

export const RECORD_LENGTH = 80;

export type FixedRecord = { line: number; text: string };

/**
 * A non-blank line padded to 80 characters, or null for a blank one. Trailing spaces are often
 * trimmed by mail and file-transfer tools, so short lines are accepted; a field that is then
 * missing fails its own numeric check. Longer lines mean a different layout and are rejected.
 */
export function recordOf(line: number, raw: string): FixedRecord | null {
  const body = raw.replace(/\s+$/, "");
  if (body === "") return null;
  if (body.length > RECORD_LENGTH) {
    throw new BankFileError(
      line,
      `record is ${body.length} characters long, expected at most ${RECORD_LENGTH}`,
    );
  }
  return { line, text: body.padEnd(RECORD_LENGTH, " ") };
}

/**
 * The reading loop of the fixed-width formats, line by line as the text arrives: the first
 * record goes to `header`, every later one to `record`, and `finish` checks the end record and
 * returns the file id. Subclasses hold only their open section.
 */
export abstract class FixedWidthReader implements BankFileReader {
  abstract readonly format: BankFileFormat;
  private readonly lines = new LineSplitter();
  private readonly tally = new PaymentTally();
  private seenHeader = false;
  private lastRecordLine = 1;

  abstract fileId(): string | undefined;
  protected abstract header(r: FixedRecord | undefined): void;
  protected abstract record(r: FixedRecord, out: BankPayment[]): void;
  protected abstract finish(lastLine: number): string;

  write(text: string): BankPayment[] {
    const out: BankPayment[] = [];
    for (const l of this.lines.push(text)) this.feed(l.line, l.text, out);
    return this.tally.add(out);
  }

  end(): { fileId: string; control: BankFileControl; payments: BankPayment[] } {
    const out: BankPayment[] = [];
    for (const l of this.lines.end()) this.feed(l.line, l.text, out);
    if (!this.seenHeader) this.header(undefined);
    const fileId = this.finish(this.lastRecordLine);
    this.tally.add(out);
    return { fileId, control: this.tally.control, payments: out };
  }

  private feed(line: number, raw: string, out: BankPayment[]): void {
    const r = recordOf(line, raw);
    if (!r) return;
    this.lastRecordLine = r.line;
    if (this.seenHeader) return this.record(r, out);
    this.seenHeader = true;
    this.header(r);
  }
}

/** Characters from..to, 1-based inclusive. */
export function field(record: FixedRecord, from: number, to: number): string {
  return record.text.slice(from - 1, to);
}

/** A field that must be all digits, kept as text (ids, timestamps: leading zeros matter). */
export function digits(record: FixedRecord, from: number, to: number, what: string): string {
  const raw = field(record, from, to);
  if (!/^\d+$/.test(raw)) {
    throw new BankFileError(record.line, `${what} field is not numeric ("${raw}")`);
  }
  return raw;
}

/** A numeric field as a safe integer; `what` names the field in the error for staff. */
export function numeric(record: FixedRecord, from: number, to: number, what: string): number {
  const raw = digits(record, from, to, what);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new BankFileError(record.line, `${what} ${raw} is too large`);
  }
  return value;
}

/** YYYYMMDD (BgMax) to ISO, rejecting impossible dates such as 20250230. */
export function dateYYYYMMDD(record: FixedRecord, from: number, what: string): string {
  const raw = field(record, from, from + 7);
  const iso = /^\d{8}$/.test(raw)
    ? parseIsoDate(`${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6)}`)
    : null;
  if (iso === null) throw new BankFileError(record.line, `${what} "${raw}" is not a valid date`);
  return iso;
}

/** DDMMYY (Nets) to ISO. The spec has two-digit years; 70–99 are read as 19YY (OCR giro dates
 * from the 1990s), 00–69 as 20YY. */
export function dateDDMMYY(record: FixedRecord, from: number, what: string): string {
  const raw = field(record, from, from + 5);
  const century = Number(raw.slice(4)) >= 70 ? "19" : "20";
  const iso = /^\d{6}$/.test(raw)
    ? parseIsoDate(`${century}${raw.slice(4)}-${raw.slice(2, 4)}-${raw.slice(0, 2)}`)
    : null;
  if (iso === null) throw new BankFileError(record.line, `${what} "${raw}" is not a valid date`);
  return iso;
}
