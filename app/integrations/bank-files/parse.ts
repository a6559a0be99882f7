/**
 * Entry point for the importer: detects the format from the file's first bytes and parses it,
 * whole (`parseBankFile`) or as the text arrives (`readBankFile`, decision 0109). Detection is by
 * the formats' own fixed markers, never by file name, because banks and municipalities rename
 * files freely: "<" opens XML, which must then have a camt.054 Document as its root.
 */
import { Camt054Reader } from "./camt054";
import { BgMaxReader } from "./bgmax";
import { OcrGiroReader } from "./ocr-giro";
import { BankFileError, UNKNOWN_FORMAT, readWhole } from "./types";
import type { BankFileControl, BankFileReader, BankPayment, ParsedBankFile } from "./types";
import { CAMT054_NAMESPACE_PREFIX } from "./camt054";

export { BankFileError } from "./types";
export type { BankFileFormat, BankPayment, ParsedBankFile } from "./types";

/** Enough of the start to tell the formats apart. */
const MARKER_LENGTH = 8;

export function detectBankFileFormat(text: string): ParsedBankFile["format"] | undefined {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("<")) {
    // The namespace is declared on the root element, within the first few hundred characters,
    // but XML comments may precede it: search the whole text, the parser re-checks the root.
    return text.includes(CAMT054_NAMESPACE_PREFIX) ? "camt054" : undefined;
  }
  if (start.startsWith("01BGMAX")) return "bgmax";
  if (start.startsWith("NY000010")) return "ocr-giro";
  return undefined;
}

/** The reader for a file that starts with `start` (at least its first few characters). */
export function readerFor(start: string): BankFileReader {
  const head = start.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<")) return new Camt054Reader({ detecting: true });
  if (head.startsWith("01BGMAX")) return new BgMaxReader();
  if (head.startsWith("NY000010")) return new OcrGiroReader();
  throw new BankFileError(1, UNKNOWN_FORMAT);
}

export function parseBankFile(text: string): ParsedBankFile {
  return readWhole(readerFor(text), text.replace(/^\uFEFF/, ""));
}

export type BankFileChunk = {
  format: ParsedBankFile["format"];
  /** Known once the header is read; OCR giro's only at the end. */
  fileId: string | undefined;
  payments: BankPayment[];
  /** On the last chunk only: the file is complete and its control totals agree. */
  end?: { fileId: string; control: BankFileControl };
};

/**
 * Reads a bank file as its text arrives and yields its payments in chunks of about `chunkSize`,
 * each with its line; the last chunk carries `end`. Memory holds one chunk and the entry being
 * read, whatever the file's size. A malformed line anywhere throws a `BankFileError` naming it,
 * possibly after earlier chunks were yielded: the caller keeps the import all-or-nothing.
 */
export async function* readBankFile(
  source: AsyncIterable<string> | Iterable<string>,
  chunkSize = 1000,
): AsyncGenerator<BankFileChunk> {
  let reader: BankFileReader | undefined;
  let start = "";
  let pending: BankPayment[] = [];
  const feed = (text: string) => {
    if (!reader) {
      start += text;
      const head = start.replace(/^\uFEFF/, "").trimStart();
      if (head.length < MARKER_LENGTH) return;
      reader = readerFor(start);
      text = start.replace(/^\uFEFF/, "");
      start = "";
    }
    for (const p of reader.write(text)) pending.push(p);
  };
  for await (const text of source) {
    feed(text);
    while (reader && pending.length >= chunkSize) {
      yield {
        format: reader.format,
        fileId: reader.fileId(),
        payments: pending.slice(0, chunkSize),
      };
      pending = pending.slice(chunkSize);
    }
  }
  if (!reader) {
    reader = readerFor(start);
    feed(start.replace(/^\uFEFF/, ""));
  }
  const end = reader.end();
  pending.push(...end.payments);
  while (pending.length > chunkSize) {
    yield { format: reader.format, fileId: end.fileId, payments: pending.slice(0, chunkSize) };
    pending = pending.slice(chunkSize);
  }
  yield {
    format: reader.format,
    fileId: end.fileId,
    payments: pending,
    end: { fileId: end.fileId, control: end.control },
  };
}
