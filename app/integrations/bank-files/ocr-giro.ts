/**
 * Nets OCR giro (Norway), "OCR giro systemspesifikasjon": fixed-width 80-character records,
 * all starting "NY", then service code (3–4), transaction/assignment type (5–6) and record type
 * (7–8). Positions below are 1-based inclusive as in the specification.
 *
 *   NY000010 transmission start  9–16 data sender, 17–23 transmission no., 24–31 data recipient
 *   NY090020 assignment start    9–17 agreement id, 18–24 assignment no., 25–35 account
 *   NY09tt30 amount item 1       9–15 transaction no., 16–21 settlement date DDMMYY, 22–23
 *                                centre id, 24–25 day code, 26 partial settlement no., 27–31
 *                                serial no., 32 sign ("-" = negative), 33–49 amount (øre),
 *                                50–74 KID (right-aligned, space-filled)
 *   NY09tt31 amount item 2       9–15 transaction no., 16–25 form no., 26–34 archive ref.,
 *                                42–47 assignment date, 48–58 debit account
 *   NY09tt32 amount item 3       9–15 transaction no., 16–55 free-text message (types 20, 21)
 *   NY090088 assignment end      9–16 transactions, 17–24 records, 25–41 sum, 42–47 date
 *   NY000089 transmission end    9–16 transactions, 17–24 records, 25–41 sum, 42–47 date
 *
 * Record counts include the start and end records of their level. Negative transactions
 * (reversals, types 18 and 20) are not payments and are skipped, but they count in the end
 * records, whose sum is taken as the signed net.
 */
import { BankFileError, readWhole } from "./types";
import type { BankPayment, ParsedBankFile } from "./types";
import { FixedWidthReader, dateDDMMYY, digits, field, numeric } from "./records";
import type { FixedRecord } from "./records";

type Assignment = {
  start: FixedRecord;
  number: string;
  /** The creditor's account the assignment is for (positions 25–35). */
  account: string;
  transactions: number;
  records: number;
  sum: number;
};
type Totals = { transactions: number; records: number; sum: number };

function checkEnd(r: FixedRecord, level: string, actual: Totals): void {
  const stated: Totals = {
    transactions: numeric(r, 9, 16, "number of transactions"),
    records: numeric(r, 17, 24, "number of records"),
    sum: numeric(r, 25, 41, "sum amount"),
  };
  dateDDMMYY(r, 42, "settlement date");
  if (stated.transactions !== actual.transactions) {
    throw new BankFileError(
      r.line,
      `${level} end states ${stated.transactions} transactions, found ${actual.transactions}`,
    );
  }
  if (stated.records !== actual.records) {
    throw new BankFileError(
      r.line,
      `${level} end states ${stated.records} records, found ${actual.records}`,
    );
  }
  if (stated.sum !== actual.sum) {
    throw new BankFileError(
      r.line,
      `${level} end states sum ${stated.sum}, transactions add up to ${actual.sum} (øre)`,
    );
  }
}

export class OcrGiroReader extends FixedWidthReader {
  readonly format = "ocr-giro" as const;
  private transmissionNo = "";
  private recipient = "";
  private readonly total: Totals = { transactions: 0, records: 1, sum: 0 };
  private assignment: Assignment | undefined;
  private pending:
    { payment: BankPayment; negative: boolean; txNo: string; next: number } | undefined;
  private endDate: string | undefined;

  /** The transmission end's date is part of the id: known only at the end. */
  fileId(): string | undefined {
    return this.endDate
      ? `ocr:${this.recipient}:${this.transmissionNo}:${this.endDate}`
      : undefined;
  }

  protected header(first: FixedRecord | undefined): void {
    if (!first || field(first, 1, 8) !== "NY000010") {
      throw new BankFileError(first?.line ?? 1, 'not a Nets OCR giro file (expected "NY000010")');
    }
    this.transmissionNo = digits(first, 17, 23, "transmission number");
    this.recipient = digits(first, 24, 31, "data recipient");
  }

  protected record(r: FixedRecord, out: BankPayment[]): void {
    if (this.endDate)
      throw new BankFileError(r.line, "records after the NY000089 transmission end");
    const head = field(r, 1, 8);
    this.total.records += 1;
    if (this.assignment) this.assignment.records += 1;
    if (head === "NY000089") {
      if (this.assignment)
        throw new BankFileError(
          r.line,
          `assignment from line ${this.assignment.start.line} has no NY090088 end`,
        );
      checkEnd(r, "transmission", this.total);
      this.endDate = dateDDMMYY(r, 42, "settlement date");
    } else if (head === "NY090020") {
      if (this.assignment)
        throw new BankFileError(
          r.line,
          `assignment from line ${this.assignment.start.line} has no NY090088 end`,
        );
      const number = digits(r, 18, 24, "assignment number");
      const account = field(r, 25, 35).trim();
      this.assignment = { start: r, number, account, transactions: 0, records: 1, sum: 0 };
    } else if (head === "NY090088") {
      if (!this.assignment)
        throw new BankFileError(r.line, "assignment end without an assignment start");
      if (this.pending && this.pending.next === 1) {
        throw new BankFileError(
          r.line,
          `transaction ${this.pending.txNo} has no amount item 2 (NY09..31)`,
        );
      }
      checkEnd(r, "assignment", this.assignment);
      this.assignment = undefined;
      this.pending = undefined;
    } else if (/^NY09\d\d3[012]$/.test(head)) {
      if (!this.assignment) throw new BankFileError(r.line, "transaction outside an assignment");
      const kind = Number(field(r, 8, 8));
      const txNo = digits(r, 9, 15, "transaction number");
      if (kind === 0) {
        if (this.pending && this.pending.next === 1) {
          throw new BankFileError(
            r.line,
            `transaction ${this.pending.txNo} has no amount item 2 (NY09..31)`,
          );
        }
        const sign = field(r, 32, 32);
        if (sign !== "0" && sign !== "-")
          throw new BankFileError(r.line, `sign "${sign}" is not "0" or "-"`);
        const amount = numeric(r, 33, 49, "amount");
        const negative = sign === "-";
        this.assignment.transactions += 1;
        this.assignment.sum += negative ? -amount : amount;
        this.total.transactions += 1;
        this.total.sum += negative ? -amount : amount;
        if (!negative && amount <= 0)
          throw new BankFileError(r.line, "amount must be greater than zero");
        const bookedOn = dateDDMMYY(r, 16, "settlement date");
        const payment: BankPayment = {
          reference: field(r, 50, 74).trim(),
          amount,
          currency: "NOK",
          bookedOn,
          entryId: `${this.assignment.number}:${txNo}`,
          // Nets' own identifiers of the transaction in its settlement: centre, day code,
          // partial settlement and serial number, on the account and settlement date.
          bankRef: `${this.assignment.account}:${bookedOn}:${field(r, 22, 31)}`,
          account: this.assignment.account,
          line: r.line,
        };
        this.pending = { payment, negative, txNo, next: 1 };
        if (!negative) out.push(payment);
      } else {
        // Items 2 and 3 continue the transaction that item 1 opened, in that order.
        if (!this.pending || this.pending.txNo !== txNo || this.pending.next !== kind) {
          throw new BankFileError(
            r.line,
            `amount item ${kind + 1} does not follow item ${kind} of transaction ${txNo}`,
          );
        }
        this.pending.next = kind + 1;
        if (kind === 2) {
          const message = field(r, 16, 55).trim();
          if (message !== "") this.pending.payment.message = message;
        }
      }
    } else {
      throw new BankFileError(r.line, `unknown OCR giro record "${head}"`);
    }
  }

  protected finish(lastLine: number): string {
    if (this.pending && this.pending.next === 1) {
      throw new BankFileError(
        lastLine,
        `transaction ${this.pending.txNo} has no amount item 2 (NY09..31)`,
      );
    }
    if (!this.endDate)
      throw new BankFileError(
        lastLine,
        "file ends without the NY000089 transmission end (truncated?)",
      );
    return this.fileId()!;
  }
}

export function parseOcrGiro(input: string): ParsedBankFile {
  return readWhole(new OcrGiroReader(), input);
}
