import { db } from "~/infra/db.server";
import type { StaffContext } from "./queues.server";
import { importBankFile, type BankImportResult } from "../payments/bank-import.server";
import { bankFileText } from "../payments/bank-file-source.server";
import {
  BANK_FILE_MAX_BYTES,
  discardBankUpload,
  saveBankUpload,
  type SavedBankFile,
} from "./bank-upload.server";

export type ImportSummary = Extract<BankImportResult, { ok: true }>;

export type BankUploadOutcome =
  | { ok: true; fileName: string; result: ImportSummary }
  | { ok: false; error: "forbidden" | "no_file" | "too_large" | "not_text" }
  | { ok: false; error: "bad_file"; line: number; message: string };

/** Bank files arrive at the office's own account for every creditor: matching them is a supervisor's job. */
export const canImportBankFiles = (staff: StaffContext) => staff.role !== "AGENT";

/**
 * A supervisor's upload of a bank file, already streamed to a temporary file
 * (`saveBankUpload`): checked to be text, then imported from disk piece by piece exactly as the
 * command-line tool does (one transaction; a file seen before adds nothing; a damaged file
 * changes nothing and names its line), with the staff member as the actor and the file's name
 * and SHA-256 in the audit event. camt.054 is UTF-8 XML; BgMax and Nets OCR giro are Latin-1;
 * a NUL byte or other control characters mean something else was chosen (a PDF, a zip, a picture).
 */
export async function uploadBankFile(
  staff: StaffContext,
  file: SavedBankFile | undefined,
): Promise<BankUploadOutcome> {
  if (!canImportBankFiles(staff)) return { ok: false, error: "forbidden" };
  if (!file || file.size === 0) return { ok: false, error: "no_file" };
  if (!file.isText) return { ok: false, error: "not_text" };
  // Only the last path segment, and never more than a line's worth: it is shown back to staff.
  // Control characters out: the name goes into the audit event, and PostgreSQL refuses a NUL.
  const fileName =
    (file.name.split(/[\\/]/).pop() ?? "")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      .slice(0, 200) || "upload";
  // Staff of one creditor bring in that creditor's account's file: money in it that names no
  // claim is theirs to settle, not every creditor's supervisors'. (An administrator's upload, or
  // the command line's, leaves it unassigned, as before.)
  const creditorId = staff.creditorIds.length === 1 ? staff.creditorIds[0] : undefined;
  const result = await importBankFile(
    bankFileText(file.path, file.encoding),
    `staff:${staff.staffId}`,
    { fileName, sha256: file.sha256 },
    { ...(creditorId ? { creditorId } : {}) },
  );
  if (!result.ok) return { ok: false, error: "bad_file", line: result.line, message: result.error };
  return { ok: true, fileName, result };
}

/** The upload route's whole action: the form streamed to disk, imported, the file removed. */
export async function receiveBankUpload(
  staff: StaffContext,
  request: Request,
  maxBytes = BANK_FILE_MAX_BYTES,
): Promise<BankUploadOutcome> {
  const upload = await saveBankUpload(request, maxBytes);
  if (!upload.ok) return { ok: false, error: "too_large" };
  try {
    return await uploadBankFile(staff, upload.file);
  } finally {
    await discardBankUpload(upload.file);
  }
}

export type RecentImport = {
  id: string;
  importedAt: string;
  format: string;
  fileId: string;
  fileName: string | null;
  sha256: string | null;
  entries: number;
  total: number;
  /** The files' entries' currency; null when they mix currencies or there are none. */
  currency: string | null;
  by: string;
  counts: Record<"MATCHED" | "OVERPAID" | "UNMATCHED" | "MISMATCH", number>;
};

/** The latest imports, newest first, with what became of their entries and who brought them in. */
export async function recentBankImports(limit = 20): Promise<RecentImport[]> {
  const rows = await db().bankFileImport.findMany({ orderBy: { importedAt: "desc" }, take: limit });
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [grouped, events] = await Promise.all([
    db().bankEntry.groupBy({
      by: ["importId", "status", "currency"],
      where: { importId: { in: ids } },
      _count: { _all: true },
    }),
    db().event.findMany({
      where: {
        type: "bank_file.imported",
        OR: ids.map((id) => ({ data: { path: ["importId"], equals: id } })),
      },
      select: { data: true },
    }),
  ]);
  const staffIds = rows.flatMap((r) => (r.actor.startsWith("staff:") ? [r.actor.slice(6)] : []));
  const staff = await db().staff.findMany({
    where: { id: { in: [...new Set(staffIds)] } },
    select: { id: true, name: true },
  });
  const names = new Map(staff.map((s) => [`staff:${s.id}`, s.name]));
  const source = new Map(
    events.map((e) => {
      const d = e.data as { importId?: string; fileName?: string | null; sha256?: string | null };
      return [d.importId, d] as const;
    }),
  );
  return rows.map((r) => {
    const counts = { MATCHED: 0, OVERPAID: 0, UNMATCHED: 0, MISMATCH: 0 };
    const currencies = new Set<string>();
    for (const g of grouped) {
      if (g.importId !== r.id) continue;
      counts[g.status] += g._count._all;
      currencies.add(g.currency);
    }
    return {
      id: r.id,
      importedAt: r.importedAt.toISOString(),
      format: r.format,
      fileId: r.fileId,
      fileName: source.get(r.id)?.fileName ?? null,
      sha256: source.get(r.id)?.sha256 ?? null,
      entries: r.entries,
      total: r.total,
      currency: currencies.size === 1 ? [...currencies][0]! : null,
      by: names.get(r.actor) ?? r.actor,
      counts,
    };
  });
}
