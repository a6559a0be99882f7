import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { db } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { openMultipart } from "~/infra/multipart.server";
import { importClaimFile, startClaimImport, type ImportReason } from "./claim-import.server";

/** A claims file of a region's month (100,000 lines with addresses is about 25 MB) with room to spare. */
export const CLAIM_FILE_MAX_BYTES = 200 * 1024 * 1024;

export type ClaimUpload =
  | { ok: true; creditorId: string; fileName: string; path: string }
  | { ok: false; error: "no_file" | "too_large" | "no_creditor" };

/**
 * The back office's upload of a claims file, streamed to a private temporary file by busboy (the
 * input gate leaves this one form unread, server/input-gate.ts; `openMultipart` applies its rule
 * for fields), never held in memory whole.
 */
export async function saveClaimUpload(request: Request): Promise<ClaimUpload> {
  const form = openMultipart(request, { fileSize: CLAIM_FILE_MAX_BYTES, files: 1, fields: 10 });
  const dir = path.join(tmpdir(), "kravportal-claim-imports");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, `${randomUUID()}.upload`);
  let fileName: string | null = null;
  let size = 0;
  let tooLarge = false;
  let fields: Record<string, string>;
  try {
    fields = await form.read((name, stream, info, wait) => {
      if (name !== "file" || fileName !== null) return void stream.resume();
      fileName = info.filename ?? "";
      stream.on("limit", () => (tooLarge = true));
      stream.on("data", (chunk: Buffer) => (size += chunk.length));
      wait(pipeline(stream, createWriteStream(target, { mode: 0o600 })));
    });
  } catch (refused) {
    await rm(target, { force: true });
    throw refused;
  }
  const fail = async (error: "no_file" | "too_large" | "no_creditor") => {
    await rm(target, { force: true });
    return { ok: false as const, error };
  };
  if (tooLarge) return fail("too_large");
  if (fileName === null || size === 0) return fail("no_file");
  if (!fields.creditorId) return fail("no_creditor");
  // Only the last path segment, without control characters: it is shown back to staff.
  const shown =
    (String(fileName).split(/[\\/]/).pop() ?? "")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      .slice(0, 200) || "upload";
  return { ok: true, creditorId: fields.creditorId, fileName: shown, path: target };
}

/**
 * Starts importing an uploaded file for a creditor and returns at once with the import's id; the
 * import goes on in this process (its page shows how far it is) and the file is removed after.
 */
export async function startUploadedImport(
  staffId: string,
  role: "SUPERVISOR" | "ADMIN",
  upload: Extract<ClaimUpload, { ok: true }>,
): Promise<string> {
  const actor = `staff:${staffId}`;
  const importId = await startClaimImport(upload.creditorId, actor, upload.path, upload.fileName);
  void importClaimFile({
    creditorId: upload.creditorId,
    actor,
    role: role === "ADMIN" ? "admin" : "supervisor",
    path: upload.path,
    fileName: upload.fileName,
    importId,
  })
    .catch((error: unknown) =>
      log.error("claim import failed", {
        importId,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    .finally(() => rm(upload.path, { force: true }));
  return importId;
}

export type ImportView = {
  id: string;
  creditorName: string;
  timeZone: string;
  fileName: string;
  format: string;
  status: string;
  bytesTotal: number;
  bytesRead: number;
  lines: number;
  created: number;
  unchanged: number;
  conflicts: number;
  invalid: number;
  /** Amounts in a reason are in the creditor's currency. */
  currency: string;
  /** `reasons` by code (decision 0110); an import from before them has only the English `reason`. */
  problems: {
    line: number;
    externalId: string | null;
    result: string;
    reason: string;
    reasons?: ImportReason[];
  }[];
  error: string | null;
  /**
   * Why it stopped, as a code for the page (header, empty, stopped, interrupted) and its figures;
   * null for an import from before the codes, which has only the English `error`.
   */
  errorCode: string | null;
  errorParams: Record<string, unknown> | null;
  startedAt: string;
  finishedAt: string | null;
  /** The staff member's name; null for the command line. */
  by: string | null;
};

/** An import as its page shows it, if it is one of the staff member's creditors'. */
export async function claimImportView(
  id: string,
  creditorIds: string[],
  withProblems = true,
): Promise<ImportView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await db().claimImport.findFirst({
    where: { id, creditorId: { in: creditorIds } },
    include: { creditor: { select: { name: true, timeZone: true, currency: true } } },
  });
  if (!row) return null;
  return viewOf(row, withProblems, await staffNames([row.actor]));
}

/** The latest imports of the staff member's creditors, newest first. */
export async function recentClaimImports(creditorIds: string[], take = 20): Promise<ImportView[]> {
  const rows = await db().claimImport.findMany({
    where: { creditorId: { in: creditorIds } },
    include: { creditor: { select: { name: true, timeZone: true, currency: true } } },
    orderBy: { startedAt: "desc" },
    take,
  });
  const names = await staffNames(rows.map((r) => r.actor));
  return rows.map((r) => viewOf(r, false, names));
}

async function staffNames(actors: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.filter((a) => a.startsWith("staff:")).map((a) => a.slice(6)))];
  const staff = await db().staff.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true },
  });
  return new Map(staff.map((s) => [`staff:${s.id}`, s.name]));
}

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof db>["claimImport"]["findFirst"]>>> & {
  creditor: { name: string; timeZone: string; currency: string };
};

/**
 * A RUNNING import writes its row with every chunk of a thousand lines (seconds apart); one not
 * heard of for this long was interrupted: its process stopped (a restart, a crash) mid-file.
 */
export const IMPORT_SILENT_MS = 5 * 60_000;

function viewOf(
  r: Row,
  withProblems: boolean,
  names: Map<string, string>,
  now = Date.now(),
): ImportView {
  const interrupted = r.status === "RUNNING" && now - r.heartbeatAt.getTime() > IMPORT_SILENT_MS;
  return {
    id: r.id,
    creditorName: r.creditor.name,
    timeZone: r.creditor.timeZone,
    currency: r.creditor.currency,
    fileName: r.fileName,
    format: r.format,
    status: interrupted ? "INTERRUPTED" : r.status,
    bytesTotal: Number(r.bytesTotal),
    bytesRead: Number(r.bytesRead),
    lines: r.lines,
    created: r.created,
    unchanged: r.unchanged,
    conflicts: r.conflicts,
    invalid: r.invalid,
    problems: withProblems ? (r.problems as ImportView["problems"]) : [],
    error: r.error,
    errorCode: interrupted ? "interrupted" : r.errorCode,
    errorParams: interrupted
      ? { lines: r.lines }
      : ((r.errorParams as Record<string, unknown> | null) ?? null),
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    by: names.get(r.actor) ?? null,
  };
}
