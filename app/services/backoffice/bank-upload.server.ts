import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openMultipart } from "~/infra/multipart.server";
import { BankFileCheck, type BankFileBytes } from "../payments/bank-file-source.server";

/**
 * A region's daily camt.054 with 100,000 payments is about 40 MB; BgMax and OCR giro files are
 * smaller for as many. Room to spare, as for claims files.
 */
export const BANK_FILE_MAX_BYTES = 200 * 1024 * 1024;

export type SavedBankFile = BankFileBytes & { name: string; path: string };

export type BankUpload =
  { ok: true; file: SavedBankFile | undefined } | { ok: false; error: "too_large" };

/**
 * The back office's upload of a bank file, streamed by busboy to a private temporary file (the
 * input gate leaves this form unread, server/input-gate.ts; `openMultipart` applies its rule for
 * fields) while its SHA-256, encoding and
 * text-ness are worked out on the way (decision 0109): never held in memory whole. The caller
 * removes the file (`discardBankUpload`) once imported.
 */
export async function saveBankUpload(
  request: Request,
  maxBytes = BANK_FILE_MAX_BYTES,
): Promise<BankUpload> {
  const form = openMultipart(
    request,
    { fileSize: maxBytes, files: 1, fields: 10 },
    { preservePath: true },
  );
  const dir = path.join(tmpdir(), "kravportal-bank-files");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, `${randomUUID()}.upload`);
  const check = new BankFileCheck();
  let name: string | null = null;
  let tooLarge = false;
  try {
    await form.read((field, stream, info, wait) => {
      if (field !== "file" || name !== null) return void stream.resume();
      name = info.filename ?? "";
      stream.on("limit", () => (tooLarge = true));
      const inspect = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          check.update(chunk);
          done(null, chunk);
        },
      });
      wait(pipeline(stream, inspect, createWriteStream(target, { mode: 0o600 })));
    });
  } catch (refused) {
    await rm(target, { force: true });
    throw refused;
  }
  if (tooLarge) {
    await rm(target, { force: true });
    return { ok: false, error: "too_large" };
  }
  if (name === null) return { ok: true, file: undefined };
  return { ok: true, file: { ...check.result(), name, path: target } };
}

export async function discardBankUpload(file: SavedBankFile | undefined): Promise<void> {
  if (file) await rm(file.path, { force: true });
}
