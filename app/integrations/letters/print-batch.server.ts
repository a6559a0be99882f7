/**
 * A day's letters for one creditor as one zip archive for the print house: each letter as
 * `<noticeId>.pdf`, plus manifest.csv and manifest.json (docs/letters.md lists the columns).
 * The archive is streamed to a file while letters arrive, with at most a few megabytes of them
 * in memory, so a batch of any size fits; the manifests are spooled to files beside it. It is
 * written under a temporary name and renamed when complete, so a reader never sees half of it.
 * The same letters always give the same bytes (entry dates are the batch's date).
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import type { PostalAddress } from "./letter-content";
import {
  MANIFEST_COLUMNS,
  manifestCsvHeader,
  manifestCsvLine,
  manifestRow,
  SAFE_ID,
  type ManifestRow,
} from "./print-batch-manifest";
import { pdfPageCount } from "./pdf.server";

export type PrintLetter = {
  noticeId: string;
  pdf: Buffer;
  recipient: PostalAddress;
  /** The PDF's page count if the caller knows it (it rendered the letter); else it is read. */
  pages?: number;
};

export type PrintBatchInput = {
  creditorSlug: string;
  batchId: string;
  /** The batch's day (ISO date): in its file name and as every entry's date. */
  date: string;
  letters: Iterable<PrintLetter> | AsyncIterable<PrintLetter>;
  /** Directory the archive is written to. */
  outDir: string;
  /** Entry name extension: "pdf"; bench/letters.ts puts its plain-text baseline in as "txt". */
  entryExtension?: "pdf" | "txt";
};

export type PrintBatch = {
  path: string;
  fileName: string;
  sha256: string;
  size: number;
  letters: number;
  pages: number;
};

export class PrintBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrintBatchError";
  }
}

/** How far the letters handed in may run ahead of what reached the file. */
const AHEAD_BYTES = 8 * 1024 * 1024;

export function printBatchFileName(creditorSlug: string, date: string, batchId: string): string {
  if (!SAFE_ID.test(creditorSlug) || !SAFE_ID.test(batchId) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new PrintBatchError(
      "creditor slug, batch id and date must be plain names and an ISO date",
    );
  }
  return `${creditorSlug}-${date}-${batchId}.zip`;
}

/** A text file written line by line, for a manifest too large to keep in memory. */
function spool(file: string) {
  const stream = createWriteStream(file, { mode: 0o600 });
  return {
    async write(text: string) {
      if (!stream.write(text))
        await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        stream.end((e?: Error) => (e ? reject(e) : resolve())),
      ),
    destroy: () => stream.destroy(),
  };
}

export async function writePrintBatch(input: PrintBatchInput): Promise<PrintBatch> {
  const fileName = printBatchFileName(input.creditorSlug, input.date, input.batchId);
  // Names and addresses of residents: readable by this service's user only (the directory too,
  // when this call makes it), whatever the umask.
  await mkdir(input.outDir, { recursive: true, mode: 0o700 });
  const final = path.join(input.outDir, fileName);
  const part = `${final}.part`;
  const csvFile = `${final}.manifest.csv.part`;
  const jsonFile = `${final}.manifest.json.part`;
  const mtime = new Date(`${input.date}T12:00:00Z`);

  const zip = new yazl.ZipFile();
  const hash = createHash("sha256");
  let written = 0;
  let wake: (() => void) | null = null;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      written += chunk.length;
      wake?.();
      done(null, chunk);
    },
  });
  // After a failure yazl may still write to its stream; the failure is reported through `output`.
  zip.outputStream.on("error", () => {});
  const output = pipeline(zip.outputStream, meter, createWriteStream(part, { mode: 0o600 }));
  let failed: unknown = null;
  output.catch((error: unknown) => {
    failed = error; // a full disk while letters still arrive: stop taking them
    wake?.();
  });

  const csv = spool(csvFile);
  const json = spool(jsonFile);
  const seen = new Set<string>();
  let added = 0;
  let pages = 0;
  try {
    await csv.write(manifestCsvHeader());
    await json.write(
      `{"creditor":${JSON.stringify(input.creditorSlug)},"batchId":${JSON.stringify(input.batchId)},` +
        `"date":${JSON.stringify(input.date)},"columns":${JSON.stringify(MANIFEST_COLUMNS)},"letters":[\n`,
    );
    for await (const letter of input.letters) {
      if (seen.has(letter.noticeId)) {
        throw new PrintBatchError(`notice ${letter.noticeId} is in the batch twice`);
      }
      seen.add(letter.noticeId);
      const row: ManifestRow = manifestRow(letter, {
        pages:
          letter.pages ?? (input.entryExtension === "txt" ? 1 : await pdfPageCount(letter.pdf)),
        bytes: letter.pdf.length,
        sha256: createHash("sha256").update(letter.pdf).digest("hex"),
      });
      // PDFs are compressed inside already: storing them costs no space and saves the CPU.
      if (input.entryExtension === "txt") row.file = row.file.replace(/\.pdf$/, ".txt");
      // As a stream, not `addBuffer`: yazl keeps every entry until the archive ends, and an
      // entry made from a buffer keeps the buffer (its pump closure), so a batch of 100,000
      // letters held them all in memory. A stream it has read holds nothing.
      const body = new PassThrough();
      body.end(letter.pdf);
      zip.addReadStream(body, row.file, { mtime, compress: false, size: letter.pdf.length });
      added += letter.pdf.length;
      await csv.write(manifestCsvLine(row));
      await json.write(`${seen.size > 1 ? ",\n" : ""}${JSON.stringify(row)}`);
      pages += row.pages;
      while (added - written > AHEAD_BYTES && !failed) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      if (failed) throw failed;
    }
    await json.write(`\n],"count":${seen.size}}\n`);
    await Promise.all([csv.close(), json.close()]);
    zip.addFile(csvFile, "manifest.csv", { mtime });
    zip.addFile(jsonFile, "manifest.json", { mtime });
    zip.end();
    await output;
    await rename(part, final);
  } catch (error) {
    csv.destroy();
    json.destroy();
    meter.destroy(new PrintBatchError("batch abandoned"));
    await output.catch(() => {}); // the file is closed before it is removed
    await rm(part, { force: true });
    throw error;
  } finally {
    await Promise.all([rm(csvFile, { force: true }), rm(jsonFile, { force: true })]);
  }
  return {
    path: final,
    fileName,
    sha256: hash.digest("hex"),
    size: written,
    letters: seen.size,
    pages,
  };
}
