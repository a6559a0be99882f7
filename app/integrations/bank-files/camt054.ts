/**
 * ISO 20022 camt.054 (BankToCustomerDebitCreditNotification), versions .001.02 to .001.08 and
 * later. Each credit entry (Ntry with CdtDbtInd CRDT) becomes one payment per TxDtls, or one
 * payment for the whole entry when the bank sent no transaction details.
 *
 * Skipped on purpose: debit entries and debit TxDtls (our outgoing money), entries whose status
 * is not BOOK (pending/information only: the money is not on the account yet), and reversal
 * entries (RvslInd true: a returned outgoing payment, never a resident's payment).
 */
import { BankFileError, PaymentTally, UNKNOWN_FORMAT, readWhole } from "./types";
import type { BankFileControl, BankFileReader, BankPayment, ParsedBankFile } from "./types";
import { XmlTreeReader, find, findAll, namespaceOf, textAt } from "./xml";
import type { XmlElement } from "./xml";

export const CAMT054_NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.054.";

type Money = { amount: number; currency: "NOK" | "SEK" };

/** "1234.5" → 123450 without floating point; NOK and SEK amounts have at most 2 decimals. */
function minorUnits(el: XmlElement): number {
  const raw = el.text.trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(raw);
  if (!match) throw new BankFileError(el.line, `amount "${raw}" is not a decimal amount`);
  const amount = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(amount)) throw new BankFileError(el.line, `amount ${raw} is too large`);
  return amount;
}

function readAmount(el: XmlElement): Money {
  const amount = minorUnits(el);
  if (amount <= 0) throw new BankFileError(el.line, `amount must be greater than zero`);
  const currency = el.attrs.Ccy;
  if (currency !== "NOK" && currency !== "SEK") {
    throw new BankFileError(el.line, `currency "${currency ?? ""}" is not NOK or SEK`);
  }
  return { amount, currency };
}

function bookingDate(entry: XmlElement): string {
  const raw = textAt(entry, "BookgDt/Dt") ?? textAt(entry, "BookgDt/DtTm")?.slice(0, 10);
  if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    throw new BankFileError(entry.line, `entry has no valid booking date (BookgDt)`);
  }
  return raw;
}

/** Sts is plain text in .02 and Sts/Cd from .07 on; absent counts as booked. */
function isBooked(entry: XmlElement): boolean {
  const status = textAt(entry, "Sts/Cd") ?? textAt(entry, "Sts");
  return status === undefined || status === "BOOK";
}

function payerName(tx: XmlElement): string | undefined {
  return textAt(tx, "RltdPties/Dbtr/Nm") ?? textAt(tx, "RltdPties/Dbtr/Pty/Nm");
}

/** The structured creditor reference (KID/OCR); a payment may carry several Strd blocks. */
function creditorReference(tx: XmlElement): string {
  for (const strd of findAll(tx, "RmtInf/Strd")) {
    const ref = textAt(strd, "CdtrRefInf/Ref");
    if (ref !== undefined) return ref;
  }
  return "";
}

function unstructured(tx: XmlElement): string | undefined {
  const parts = findAll(tx, "RmtInf/Ustrd").map((u) => u.text.trim());
  return parts.some((p) => p !== "") ? parts.join(" ") : undefined;
}

function payment(fields: BankPayment): BankPayment {
  // Drop undefined optionals so results compare cleanly and serialise without noise.
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as BankPayment;
}

/** The account the notification is about: IBAN, else another scheme's id (a Bankgiro number). */
function accountOf(notification: XmlElement): string {
  return textAt(notification, "Acct/Id/IBAN") ?? textAt(notification, "Acct/Id/Othr/Id") ?? "";
}

function entryPayments(entry: XmlElement, fileId: string, account: string): BankPayment[] {
  const bookedOn = bookingDate(entry);
  const entryAmt = find(entry, "Amt");
  if (!entryAmt) throw new BankFileError(entry.line, "entry has no amount (Amt)");
  const total = readAmount(entryAmt);
  const entryRef = textAt(entry, "NtryRef") ?? textAt(entry, "AcctSvcrRef");
  // The account servicer's reference is unique for the account, not just within this message.
  const bankEntryRef = textAt(entry, "AcctSvcrRef") ?? textAt(entry, "NtryRef");
  const bankRef = (ref: string | undefined) => (ref ? `${account}:${ref}` : undefined);
  const txs = findAll(entry, "NtryDtls/TxDtls");

  if (txs.length === 0) {
    return [
      payment({
        reference: "",
        amount: total.amount,
        currency: total.currency,
        bookedOn,
        entryId: entryRef ?? `${fileId}:${entry.line}`,
        bankRef: bankRef(bankEntryRef),
        message: textAt(entry, "AddtlNtryInf"),
        line: entry.line,
      }),
    ];
  }

  const payments: BankPayment[] = [];
  let txSum = 0;
  let allTxAmounts = true;
  txs.forEach((tx, index) => {
    if (textAt(tx, "CdtDbtInd") === "DBIT") {
      allTxAmounts = false; // a debit inside a credit batch: the entry total is net
      return;
    }
    const amtEl = find(tx, "AmtDtls/TxAmt/Amt") ?? find(tx, "Amt");
    if (!amtEl) allTxAmounts = false;
    if (!amtEl && txs.length > 1) {
      throw new BankFileError(tx.line, "transaction has no amount and the entry holds several");
    }
    const money = amtEl ? readAmount(amtEl) : total;
    txSum += money.amount;
    payments.push(
      payment({
        reference: creditorReference(tx),
        amount: money.amount,
        currency: money.currency,
        bookedOn,
        entryId:
          textAt(tx, "Refs/AcctSvcrRef") ??
          (entryRef ? `${entryRef}:${index + 1}` : `${fileId}:${tx.line}`),
        bankRef: bankRef(
          textAt(tx, "Refs/AcctSvcrRef") ??
            (bankEntryRef && txs.length > 1 ? `${bankEntryRef}:${index + 1}` : bankEntryRef),
        ),
        payerName: payerName(tx),
        message: unstructured(tx),
        line: tx.line,
      }),
    );
  });
  // The bank's entry total is the control for its own breakdown.
  if (allTxAmounts && txSum !== total.amount) {
    throw new BankFileError(
      entryAmt.line,
      `entry amount ${total.amount} does not equal the sum of its transactions ${txSum} (minor units)`,
    );
  }
  return payments;
}

/** Ntfctn/TxsSummry/TtlCdtNtries, when the bank sends it, must match the credit entries. */
function checkSummary(notification: XmlElement, credits: { count: number; sum: number }): void {
  const summary = find(notification, "TxsSummry/TtlCdtNtries");
  if (!summary) return;
  const count = textAt(summary, "NbOfNtries");
  if (count !== undefined && Number(count) !== credits.count) {
    throw new BankFileError(
      summary.line,
      `control count ${count} credit entries, but the notification has ${credits.count}`,
    );
  }
  const sumEl = find(summary, "Sum");
  if (!sumEl) return;
  const expected = minorUnits(sumEl);
  if (expected !== credits.sum) {
    throw new BankFileError(
      sumEl.line,
      `control total ${expected} does not equal the credit entries' sum ${credits.sum} (minor units)`,
    );
  }
}

/**
 * camt.054 read as it arrives (decision 0109): each entry (Ntry) is parsed into its payments
 * when its end tag is read and then let go, so memory holds one entry whatever the file's
 * size. The group header (MsgId) and each notification's account and summary come before its
 * entries in the schema and are kept; a notification's control totals are checked at its end.
 */
export class Camt054Reader implements BankFileReader {
  readonly format = "camt054" as const;
  private readonly xml: XmlTreeReader;
  private readonly tally = new PaymentTally();
  private msgId: string | undefined;
  private body: XmlElement | undefined;
  private credits = { count: 0, sum: 0 };
  private out: BankPayment[] = [];

  /** `detecting`: the caller only knows the file is XML, so another root is an unknown format. */
  constructor(opts: { detecting?: boolean } = {}) {
    this.xml = new XmlTreeReader({
      onRoot: (root) => {
        const ns = namespaceOf(root);
        if (root.local === "Document" && ns?.startsWith(CAMT054_NAMESPACE_PREFIX)) return;
        if (opts.detecting) throw new BankFileError(1, UNKNOWN_FORMAT);
        throw new BankFileError(root.line, `not a camt.054 document (namespace "${ns ?? ""}")`);
      },
      onClose: (el, ancestors) => this.closed(el, ancestors),
    });
  }

  fileId(): string | undefined {
    return this.msgId;
  }

  private closed(el: XmlElement, ancestors: readonly XmlElement[]): boolean {
    const parent = ancestors.at(-1);
    if (ancestors.length === 1 && el.local === "BkToCstmrDbtCdtNtfctn") this.body = el;
    if (ancestors.length === 2 && el.local === "GrpHdr") {
      this.msgId = textAt(el, "MsgId");
      if (!this.msgId) throw new BankFileError(parent!.line, "missing GrpHdr/MsgId");
    }
    if (ancestors.length === 3 && el.local === "Ntry" && parent?.local === "Ntfctn") {
      this.entry(el, parent);
      return false;
    }
    if (ancestors.length === 2 && el.local === "Ntfctn") {
      checkSummary(el, this.credits);
      this.credits = { count: 0, sum: 0 };
      return false;
    }
    return true;
  }

  private entry(e: XmlElement, notification: XmlElement): void {
    const indicator = textAt(e, "CdtDbtInd");
    if (indicator !== "CRDT" && indicator !== "DBIT") {
      throw new BankFileError(e.line, `entry has no valid CdtDbtInd ("${indicator ?? ""}")`);
    }
    if (indicator !== "CRDT") return;
    const amt = find(e, "Amt");
    this.credits.count += 1;
    this.credits.sum += amt ? minorUnits(amt) : 0;
    if (!isBooked(e) || textAt(e, "RvslInd") === "true") return;
    if (!this.msgId) throw new BankFileError(e.line, "missing GrpHdr/MsgId before the entries");
    const account = accountOf(notification);
    const payments = entryPayments(e, this.msgId, account);
    if (account !== "") for (const p of payments) p.account = account;
    this.out.push(...payments);
  }

  write(text: string): BankPayment[] {
    this.xml.write(text);
    return this.take();
  }

  end(): { fileId: string; control: BankFileControl; payments: BankPayment[] } {
    const root = this.xml.end();
    if (!this.body) throw new BankFileError(root.line, "missing BkToCstmrDbtCdtNtfctn");
    if (!this.msgId) throw new BankFileError(this.body.line, "missing GrpHdr/MsgId");
    const payments = this.take();
    return { fileId: this.msgId, control: this.tally.control, payments };
  }

  private take(): BankPayment[] {
    const out = this.out;
    this.out = [];
    return this.tally.add(out);
  }
}

export function parseCamt054(text: string): ParsedBankFile {
  return readWhole(new Camt054Reader(), text.replace(/^\uFEFF/, ""));
}
