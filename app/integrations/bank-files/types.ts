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

/** A file that cannot be trusted as a whole; `line` is 1-based and also leads the message. */
export class BankFileError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "BankFileError";
    this.line = line;
  }
}

export function controlOf(payments: BankPayment[]): { count: number; total: number } {
  return { count: payments.length, total: payments.reduce((sum, p) => sum + p.amount, 0) };
}

/** Entry ids feed an idempotency key, so a duplicate would silently drop a real payment. */
export function assertUniqueEntryIds(payments: BankPayment[]): void {
  const seen = new Map<string, number>();
  for (const p of payments) {
    const earlier = seen.get(p.entryId);
    if (earlier !== undefined) {
      throw new BankFileError(p.line, `entry id "${p.entryId}" repeats the one on line ${earlier}`);
    }
    seen.set(p.entryId, p.line);
  }
}
