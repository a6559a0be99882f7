import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { CONTROL_CHARS } from "~/infra/input-boundary.server";
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
 * input gate leaves this form unread, server/input-gate.ts) while its SHA-256, encoding and
 * text-ness are worked out on the way (decision 0109): never held in memory whole. The caller
 * removes the file (`discardBankUpload`) once imported.
 */
export async function saveBankUpload(
  request: Request,
  maxBytes = BANK_FILE_MAX_BYTES,
): Promise<BankUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !request.body)
    throw new Response("This form must be sent as multipart/form-data.", { status: 400 });
  const dir = path.join(tmpdir(), "kravportal-bank-files");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, `${randomUUID()}.upload`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      preservePath: true,
      defParamCharset: "utf8",
      limits: { fileSize: maxBytes, files: 1, fields: 10 },
    });
  } catch {
    throw new Response("The multipart form has no usable boundary.", { status: 400 });
  }
  const check = new BankFileCheck();
  let name: string | null = null;
  let tooLarge = false;
  const writes: Promise<void>[] = [];
  // The input gate does not read this form (it is streamed): its rule for fields holds here.
  let controlChars = false;
  parser.on("field", (_name, value: string) => {
    if (CONTROL_CHARS.test(value)) controlChars = true;
  });
  parser.on("file", (field, stream, info) => {
    if (field !== "file" || name !== null) return void stream.resume();
    name = info.filename ?? "";
    stream.on("limit", () => (tooLarge = true));
    const inspect = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        check.update(chunk);
        done(null, chunk);
      },
    });
    writes.push(pipeline(stream, inspect, createWriteStream(target, { mode: 0o600 })));
  });
  try {
    await pipeline(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
  } catch {
    await rm(target, { force: true });
    throw new Response("The multipart form is malformed.", { status: 400 });
  }
  if (controlChars) {
    await rm(target, { force: true });
    throw new Response("Control characters are not accepted.", { status: 400 });
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
