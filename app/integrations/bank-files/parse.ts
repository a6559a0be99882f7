/**
 * Entry point for the importer: detects the format from the file's first bytes and parses it.
 * Detection is by the formats' own fixed markers, never by file name, because banks and
 * municipalities rename files freely.
 */
import { CAMT054_NAMESPACE_PREFIX, parseCamt054 } from "./camt054";
import { parseBgMax } from "./bgmax";
import { parseOcrGiro } from "./ocr-giro";
import { BankFileError } from "./types";
import type { ParsedBankFile } from "./types";

export { BankFileError } from "./types";
export type { BankFileFormat, BankPayment, ParsedBankFile } from "./types";

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

export function parseBankFile(text: string): ParsedBankFile {
  switch (detectBankFileFormat(text)) {
    case "camt054":
      return parseCamt054(text);
    case "bgmax":
      return parseBgMax(text);
    case "ocr-giro":
      return parseOcrGiro(text);
    case undefined:
      throw new BankFileError(
        1,
        "unknown bank file format: expected camt.054 XML, BgMax (01BGMAX) or Nets OCR giro (NY000010)",
      );
  }
}
