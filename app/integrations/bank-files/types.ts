/**
 * The normalised shape every bank-file parser produces. Parsers are pure: they turn a file's
 * text into payments and check the file's own control totals, nothing more. Whether a reference
 * is a valid KID/OCR, and which claim it belongs to, is decided by the importer, so a payment
 * with a missing or odd reference is still returned (with `reference: ""` or the raw text).
 */

export type BankFileFormat = "camt054" | "bgmax" | "ocr-giro";

export type BankPayment = {
  /** The KID / OCR reference as given (trimmed, leading zeros kept); "" when the payer gave none. */
  reference: string;
  /** Integer minor units (øre/öre), always > 0. */
  amount: number;
  currency: "NOK" | "SEK";
  /** ISO date YYYY-MM-DD: booking date (camt.054), deposit date (BgMax), settlement date (OCR). */
  bookedOn: string;
  /** Stable and unique within the file, so re-importing the same file is idempotent. */
  entryId: string;
  /**
   * The bank's own reference for this payment, the same whichever file delivers it again
   * (intraday and end-of-day notifications, a re-send after an outage), prefixed by the receiving
   * account: camt.054 AcctSvcrRef (else NtryRef), BgMax's BGC serial number with the deposit day,
   * Nets OCR giro's settlement identifiers. Absent where the file gives none: then only the file
   * and `entryId` identify the payment.
   */
  bankRef?: string;
  /**
   * The account that received the payment, as the file names it: camt.054 the notification's
   * Acct/Id (IBAN, else another scheme's id), BgMax the receiving bankgiro (TK05), Nets OCR giro
   * the assignment's account. Whose money an entry that names no claim is follows from it.
   */
  account?: string;
  payerName?: string;
  /** Free-text message from the payer (BgMax TK25, OCR record 3, camt.054 RmtInf/Ustrd). */
  message?: string;
  /** Further references for one payment (BgMax TK22/TK23); staff split such payments by hand. */
  extraReferences?: string[];
  /** 1-based line where the entry starts, for staff and for error messages. */
  line: number;
};

export type ParsedBankFile = {
  format: BankFileFormat;
  /** The file's own id (MsgId, BgMax/OCR header ids + date): stable across re-imports. */
  fileId: string;
  payments: BankPayment[];
  /** Count and sum (minor units) of `payments`, after the file's own totals were checked. */
  control: { count: number; total: number };
};

export const UNKNOWN_FORMAT =
  "unknown bank file format: expected camt.054 XML, BgMax (01BGMAX) or Nets OCR giro (NY000010)";

/** A file that cannot be trusted as a whole; `line` is 1-based and also leads the message. */
export class BankFileError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "BankFileError";
    this.line = line;
  }
}

export type BankFileControl = { count: number; total: number };

/**
 * A parser fed the file piece by piece (decision 0109): `write` takes the next piece of text and
 * returns the payments it completed, `end` checks the file's own control totals and that nothing
 * is missing. Only the entry being read (and, for BgMax, the open deposit section) is held, plus
 * one short entry id per payment for the uniqueness check. Any error is a `BankFileError`.
 */
export interface BankFileReader {
  readonly format: BankFileFormat;
  /** The file's id as soon as the header gave it; undefined until then (OCR giro: until the end). */
  fileId(): string | undefined;
  write(text: string): BankPayment[];
  end(): { fileId: string; control: BankFileControl; payments: BankPayment[] };
}

/**
 * Count and sum of the payments a reader hands out, and the check that entry ids are unique:
 * entry ids feed an idempotency key, so a duplicate would silently drop a real payment.
 */
export class PaymentTally {
  private readonly seen = new Map<string, number>();
  count = 0;
  total = 0;

  add(payments: BankPayment[]): BankPayment[] {
    for (const p of payments) {
      const earlier = this.seen.get(p.entryId);
      if (earlier !== undefined) {
        throw new BankFileError(
          p.line,
          `entry id "${p.entryId}" repeats the one on line ${earlier}`,
        );
      }
      this.seen.set(p.entryId, p.line);
      this.count += 1;
      this.total += p.amount;
    }
    return payments;
  }

  get control(): BankFileControl {
    return { count: this.count, total: this.total };
  }
}

/** The whole of `text` through a reader, as one parsed file (tests, small files). */
export function readWhole(reader: BankFileReader, text: string): ParsedBankFile {
  const payments = [...reader.write(text)];
  const end = reader.end();
  payments.push(...end.payments);
  return { format: reader.format, fileId: end.fileId, payments, control: end.control };
}
