/**
 * A bank file on disk, read as a stream (decision 0109): one pass checks that it is text, finds
 * its encoding and takes its SHA-256; the import then reads it again piece by piece, decoded as
 * it goes, so no file is ever held whole in memory.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export type BankFileBytes = {
  size: number;
  sha256: string;
  /** No NUL or other control characters (tab and line ends aside), and something besides blanks. */
  isText: boolean;
  /** camt.054 is UTF-8 XML; BgMax and Nets OCR giro are Latin-1: UTF-8 when it is valid, else Latin-1. */
  encoding: "utf-8" | "latin1";
};

const BOM = [0xef, 0xbb, 0xbf];

/** What `BankFileBytes` says of a file, worked out piece by piece as its bytes pass. */
export class BankFileCheck {
  private readonly hash = createHash("sha256");
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });
  private size = 0;
  private control = false;
  private content = false;
  private validUtf8 = true;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const at = this.size + i;
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) this.control = true;
      else if (b > 0x20 && !(at < 3 && b === BOM[at])) this.content = true;
    }
    this.size += chunk.length;
    if (this.validUtf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        this.validUtf8 = false;
      }
    }
  }

  result(): BankFileBytes {
    if (this.validUtf8) {
      try {
        this.utf8.decode();
      } catch {
        this.validUtf8 = false;
      }
    }
    return {
      size: this.size,
      sha256: this.hash.digest("hex"),
      isText: !this.control && this.content,
      encoding: this.validUtf8 ? "utf-8" : "latin1",
    };
  }
}

/** One pass over a file on disk. */
export async function checkBankFile(path: string): Promise<BankFileBytes> {
  const check = new BankFileCheck();
  for await (const chunk of createReadStream(path)) check.update(chunk as Buffer);
  return check.result();
}

/** The file's text, decoded piece by piece (a character split between two reads is kept whole). */
export async function* bankFileText(
  path: string,
  encoding: BankFileBytes["encoding"],
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}
