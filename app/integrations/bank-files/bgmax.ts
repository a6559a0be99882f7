/**
 * Bankgirot BgMax ("Bankgiro Inbetalningar", layout BGMAX version 01): fixed-width records,
 * the two-digit transaction code (TK) in positions 1–2. Positions below are 1-based inclusive
 * as in Bankgirot's technical manual.
 *
 *   TK01 start     3–22 layout "BGMAX", 23–24 version, 25–44 timestamp, 45 test (T) / prod (P)
 *   TK05 opening   3–12 receiving bankgiro, 13–22 plusgiro, 23–25 currency
 *   TK20 payment   3–12 sender bankgiro, 13–37 reference, 38–55 amount (öre), 56 reference
 *   TK21 deduction    code, 57 channel, 58–69 BGC serial number, 70 image flag (TK21: 71 code)
 *   TK22/23 extra  same layout as TK20: further references for the preceding payment
 *   TK25 info      3–52 information text        TK26 name  3–37 name, 38–72 extra name
 *   TK27–29        address / org. no.: ignored (not needed to match a payment)
 *   TK15 deposit   3–37 account, 38–45 payment date, 46–50 deposit serial, 51–68 amount,
 *                  69–71 currency, 72–79 number of payments (TK20 + TK21)
 *   TK70 end       3–10 TK20 count, 11–18 TK21 count, 19–26 TK22+TK23 count, 27–34 TK15 count
 *
 * TK21 deductions (credit notes the payer offset against the bankgiro) are not payments: they
 * are skipped, but they count towards the TK15 deposit, whose amount is TK20s minus TK21s.
 */
import { BankFileError, readWhole } from "./types";
import type { BankPayment, ParsedBankFile } from "./types";
import { FixedWidthReader, dateYYYYMMDD, digits, field, numeric } from "./records";
import type { FixedRecord } from "./records";

type Section = {
  opened: FixedRecord;
  currency: string;
  payments: BankPayment[];
  amount: number; // TK20 sum minus TK21 sum, öre
  count: number; // TK20 + TK21 records
};

const text = (r: FixedRecord, from: number, to: number): string => field(r, from, to).trim();

function paymentFrom(r: FixedRecord): BankPayment {
  const amount = numeric(r, 38, 55, "amount");
  if (amount <= 0) throw new BankFileError(r.line, "amount must be greater than zero");
  const serial = text(r, 58, 69);
  if (serial === "") throw new BankFileError(r.line, "BGC serial number is missing");
  return {
    // Reference codes 0/1 mean "no reference" and leave the field blank; 5 (wrong reference)
    // and 4 (not OCR-checked) keep the raw text for staff to read.
    reference: text(r, 13, 37),
    amount,
    currency: "SEK", // replaced with the section currency when the deposit closes
    bookedOn: "", // known only from the TK15 deposit record that follows
    entryId: serial,
    line: r.line,
  };
}

export class BgMaxReader extends FixedWidthReader {
  readonly format = "bgmax" as const;
  private timestamp: string | undefined;
  private receivingBankgiro: string | undefined;
  private section: Section | undefined;
  /** The TK20 that TK22–TK26 records belong to. */
  private last: BankPayment | undefined;
  private ended = false;
  private readonly counts = { tk20: 0, tk21: 0, extra: 0, tk15: 0 };

  fileId(): string | undefined {
    // The receiving bankgiro comes with the first TK05, before any payment.
    return this.timestamp && this.receivingBankgiro
      ? `bgmax:${this.receivingBankgiro}:${this.timestamp}`
      : undefined;
  }

  protected header(header: FixedRecord | undefined): void {
    if (!header || field(header, 1, 2) !== "01" || text(header, 3, 22) !== "BGMAX") {
      throw new BankFileError(header?.line ?? 1, 'not a BgMax file (expected "01BGMAX")');
    }
    const version = numeric(header, 23, 24, "layout version");
    if (version !== 1) throw new BankFileError(header.line, `unsupported BgMax version ${version}`);
    this.timestamp = digits(header, 25, 44, "timestamp");
    // A test file carries fake payments with real-looking references: never import it.
    if (field(header, 45, 45) === "T")
      throw new BankFileError(header.line, "this is a BgMax test file (T)");
  }

  protected record(r: FixedRecord, out: BankPayment[]): void {
    const tk = field(r, 1, 2);
    if (this.ended) throw new BankFileError(r.line, "records after the TK70 end record");
    if (tk !== "05" && tk !== "70" && !this.section) {
      throw new BankFileError(r.line, `TK${tk} outside a deposit section (no TK05 before it)`);
    }
    switch (tk) {
      case "05": {
        if (this.section)
          throw new BankFileError(
            r.line,
            `TK05 before the TK15 closing line ${this.section.opened.line}`,
          );
        const currency = text(r, 23, 25);
        if (currency !== "SEK")
          throw new BankFileError(r.line, `currency "${currency}" is not SEK`);
        this.receivingBankgiro ??= String(numeric(r, 3, 12, "receiving bankgiro"));
        this.section = { opened: r, currency, payments: [], amount: 0, count: 0 };
        this.last = undefined;
        break;
      }
      case "20": {
        const last = paymentFrom(r);
        this.last = last;
        this.section!.payments.push(last);
        this.section!.amount += last.amount;
        this.section!.count += 1;
        this.counts.tk20 += 1;
        break;
      }
      case "21":
        this.section!.amount -= numeric(r, 38, 55, "amount");
        this.section!.count += 1;
        this.counts.tk21 += 1;
        this.last = undefined; // TK22–TK26 after a deduction describe the deduction, not a payment
        break;
      case "22":
      case "23": {
        this.counts.extra += 1;
        numeric(r, 38, 55, "amount");
        const ref = text(r, 13, 37);
        if (this.last && ref !== "")
          this.last.extraReferences = [...(this.last.extraReferences ?? []), ref];
        break;
      }
      case "25": {
        const info = text(r, 3, 52);
        if (this.last && info !== "")
          this.last.message = this.last.message ? `${this.last.message} ${info}` : info;
        break;
      }
      case "26": {
        const name = [text(r, 3, 37), text(r, 38, 72)].filter((s) => s !== "").join(" ");
        if (this.last && name !== "") this.last.payerName = name;
        break;
      }
      case "27":
      case "28":
      case "29":
        break;
      case "15": {
        const s = this.section!;
        const bookedOn = dateYYYYMMDD(r, 38, "payment date");
        const amount = numeric(r, 51, 68, "deposit amount");
        const count = numeric(r, 72, 79, "number of payments");
        const currency = text(r, 69, 71);
        if (currency !== s.currency) {
          throw new BankFileError(
            r.line,
            `deposit currency "${currency}" differs from TK05 "${s.currency}"`,
          );
        }
        if (amount !== s.amount) {
          throw new BankFileError(
            r.line,
            `deposit amount ${amount} does not equal the payments' sum ${s.amount} (öre)`,
          );
        }
        if (count !== s.count) {
          throw new BankFileError(
            r.line,
            `deposit count ${count} does not equal the ${s.count} payment records`,
          );
        }
        for (const p of s.payments) {
          // Bankgirot's serial number for the payment, on the receiving bankgiro and deposit day.
          const bankRef = `${this.receivingBankgiro ?? "none"}:${bookedOn}:${p.entryId}`;
          out.push({ ...p, bookedOn, currency: "SEK", bankRef, account: this.receivingBankgiro });
        }
        this.counts.tk15 += 1;
        this.section = undefined;
        this.last = undefined;
        break;
      }
      case "70": {
        if (this.section)
          throw new BankFileError(
            r.line,
            `deposit section from line ${this.section.opened.line} has no TK15`,
          );
        const expected: [string, number, number][] = [
          ["payment (TK20)", numeric(r, 3, 10, "TK20 count"), this.counts.tk20],
          ["deduction (TK21)", numeric(r, 11, 18, "TK21 count"), this.counts.tk21],
          ["extra reference (TK22/23)", numeric(r, 19, 26, "TK22/23 count"), this.counts.extra],
          ["deposit (TK15)", numeric(r, 27, 34, "TK15 count"), this.counts.tk15],
        ];
        for (const [what, stated, actual] of expected) {
          if (stated !== actual) {
            throw new BankFileError(
              r.line,
              `end record states ${stated} ${what} records, file has ${actual}`,
            );
          }
        }
        this.ended = true;
        break;
      }
      default:
        throw new BankFileError(r.line, `unknown BgMax record type TK${tk}`);
    }
  }

  protected finish(lastLine: number): string {
    if (!this.ended) {
      throw new BankFileError(lastLine, "file ends without a TK70 end record (truncated?)");
    }
    return `bgmax:${this.receivingBankgiro ?? "none"}:${this.timestamp}`;
  }
}

export function parseBgMax(input: string): ParsedBankFile {
  return readWhole(new BgMaxReader(), input);
}
