import { createHash, randomBytes } from "node:crypto";
import { isUuid } from "~/domain/ids";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { inspectPdf, type PdfVerdict } from "./pdf-check.server";

export const MAX_FILES = 5;

export type IncomingFile = { name: string; bytes: Uint8Array };
export type FieldError = { field: string; message: string; fileName?: string };

/** A checked file, ready to store: its type comes from its content, its name is only a label. */
export type CheckedFile = {
  fileName: string;
  contentType: AllowedType;
  bytes: Uint8Array;
  size: number;
  sha256: string;
};

type AllowedType = "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp";

const EXTENSIONS: Record<AllowedType, string[]> = {
  "application/pdf": [".pdf"],
  "image/png": [".png"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
};

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The file's real type from its first bytes (magic numbers); null for anything not allowed. */
export function sniffContentType(bytes: Uint8Array): AllowedType | null {
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

// Characters that change how a name looks without being part of it: bidirectional overrides and
// isolates (U+202E makes "invoice‮fdp.exe" read "invoiceexe.pdf"), zero-width characters and BOM.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A display name only: never part of a path. NFC-normalised (a name typed on a Mac and one typed
 * on Windows look and compare the same), with directories, control characters, bidirectional
 * and zero-width characters and the characters Windows refuses removed, cut to 100 characters
 * (keeping the extension).
 */
export function sanitiseFileName(name: string): string {
  const base = name.normalize("NFC").replace(INVISIBLE, "").split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  let clean = base.replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g, "").trim();
  clean = clean.replace(/^\.+/, "").trim();
  if (clean.length > 100) {
    const ext = path.extname(clean).slice(0, 10);
    clean = clean.slice(0, 100 - ext.length) + ext;
  }
  return clean || "attachment";
}

/**
 * A name with markup in it (`<script>…`, `<img …>`, `</x>`, `<!--`) is refused outright, not
 * quietly cleaned: looked for in the whole name as sent, path included, so a name whose "/"
 * would otherwise cut `<script>alert(1)</script>.pdf` down to `script>.pdf` is still caught.
 */
function looksLikeMarkup(name: string): boolean {
  return /<\s*[a-z!/?]/i.test(name.normalize("NFC").replace(INVISIBLE, ""));
}

/** The name with the extension of what the file is: "page.html" holding a PDF is "page.pdf". */
export function nameForType(fileName: string, type: AllowedType): string {
  const ext = path.extname(fileName).toLowerCase();
  if (EXTENSIONS[type].includes(ext)) return fileName;
  const base = ext.length > 1 ? fileName.slice(0, -ext.length) : fileName;
  return `${base || "attachment"}${EXTENSIONS[type][0]}`;
}

const PDF_ERRORS: Record<Exclude<PdfVerdict, "ok">, string> = {
  active: "dispute.error.pdfActive",
  embedded: "dispute.error.pdfEmbedded",
  encrypted: "dispute.error.pdfEncrypted",
  damaged: "dispute.error.pdfDamaged",
};

/**
 * Checks every file before anything is written: count, size, content type and name. The messages
 * are i18n keys (dispute.error.*); `{{name}}` is filled in by the page.
 */
export async function checkFiles(
  files: IncomingFile[],
  maxBytes = env().UPLOAD_MAX_BYTES,
): Promise<{ ok: true; files: CheckedFile[] } | { ok: false; errors: FieldError[] }> {
  const real = files.filter((f) => f.bytes.length > 0 || f.name.trim() !== "");
  const errors: FieldError[] = [];
  if (real.length > MAX_FILES) errors.push({ field: "files", message: "dispute.error.tooMany" });
  const checked: CheckedFile[] = [];
  for (const [i, f] of real.entries()) {
    const field = `files.${i}`;
    let fileName = sanitiseFileName(f.name);
    if (looksLikeMarkup(f.name)) {
      errors.push({ field, message: "dispute.error.badName", fileName });
      continue;
    }
    if (f.bytes.length === 0) {
      errors.push({ field, message: "dispute.error.empty", fileName });
      continue;
    }
    if (f.bytes.length > maxBytes) {
      errors.push({ field, message: "dispute.error.tooLarge", fileName });
      continue;
    }
    const type = sniffContentType(f.bytes);
    if (!type) {
      errors.push({ field, message: "dispute.error.badType", fileName });
      continue;
    }
    const ext = path.extname(fileName).toLowerCase();
    // A name promising another type than the content (say a ".pdf" that is not a PDF) is refused.
    const promised = Object.entries(EXTENSIONS).find(([, exts]) => exts.includes(ext));
    if (promised && promised[0] !== type) {
      errors.push({ field, message: "dispute.error.badType", fileName });
      continue;
    }
    if (type === "application/pdf") {
      const verdict = await inspectPdf(f.bytes);
      if (verdict !== "ok") {
        errors.push({ field, message: PDF_ERRORS[verdict], fileName });
        continue;
      }
    }
    // Any other name (".html", ".exe", none) is only a label: the stored name says what it is.
    fileName = nameForType(fileName, type);
    checked.push({
      fileName,
      contentType: type,
      bytes: f.bytes,
      size: f.bytes.length,
      sha256: createHash("sha256").update(f.bytes).digest("hex"),
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, files: checked };
}

function storagePath(storageKey: string): string {
  // Keys are generated here (hex only); the check keeps a bad row from reaching outside the dir.
  if (!/^[0-9a-f]{64}$/.test(storageKey)) throw new Error("invalid storage key");
  return path.join(path.resolve(env().ATTACHMENTS_DIR), storageKey);
}

export type StoredFile = CheckedFile & { storageKey: string };

/** Writes checked files under fresh random keys; on any failure removes what it wrote. */
export async function storeFiles(files: CheckedFile[]): Promise<StoredFile[]> {
  if (files.length === 0) return [];
  await mkdir(path.resolve(env().ATTACHMENTS_DIR), { recursive: true, mode: 0o700 });
  const stored: StoredFile[] = [];
  try {
    for (const f of files) {
      const storageKey = randomBytes(32).toString("hex");
      await writeFile(storagePath(storageKey), f.bytes, { flag: "wx", mode: 0o600 });
      stored.push({ ...f, storageKey });
    }
  } catch (e) {
    await removeFiles(stored.map((s) => s.storageKey));
    throw e;
  }
  return stored;
}

export async function removeFiles(storageKeys: string[]): Promise<void> {
  await Promise.all(storageKeys.map((k) => rm(storagePath(k), { force: true })));
}

export type AttachmentContent = {
  fileName: string;
  contentType: string;
  bytes: Buffer;
};

async function readRow(
  row: { fileName: string; contentType: string; storageKey: string } | null,
): Promise<AttachmentContent | null> {
  if (!row) return null;
  try {
    const bytes = await readFile(storagePath(row.storageKey));
    return { fileName: row.fileName, contentType: row.contentType, bytes };
  } catch {
    return null;
  }
}

/** An attachment of one of the resident's own disputes; null for anyone else's, as for none. */
export async function readAttachmentForResident(residentId: string, attachmentId: string) {
  if (!isUuid(attachmentId)) return null;
  const row = await db().attachment.findFirst({
    where: { id: attachmentId, dispute: { residentId } },
  });
  return readRow(row);
}

/** For staff: an attachment on a claim of one of the creditors they work for. */
export async function readAttachmentForCreditors(creditorIds: string[], attachmentId: string) {
  if (!isUuid(attachmentId) || creditorIds.length === 0) return null;
  const row = await db().attachment.findFirst({
    where: { id: attachmentId, dispute: { claim: { creditorId: { in: creditorIds } } } },
  });
  return readRow(row);
}
