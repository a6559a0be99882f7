import { stat } from "node:fs/promises";
import type { ClaimReasonCode, ClaimReasonParams } from "~/domain/claim-reasons";
import type { Role } from "~/domain/state-machine";
import { db } from "~/infra/db.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { claimFileRecords, ClaimFileHeaderError, csvColumnOf, sniff } from "./claim-file.server";
import { receiveClaims, type BatchOutcome } from "./intake-batch.server";
import { claimTypesOf } from "./intake-check.server";

/*
 * A file of claims imported in chunks through the batch intake (intake-batch.server.ts): each
 * chunk of a thousand stored together, the good lines of a file stored whatever its bad ones, each
 * bad line reported with its number and reason. Idempotent per externalId, so a file stopped half
 * way (a crash, a lost connection) is simply imported again: what was stored answers "unchanged".
 * Progress is kept in its ClaimImport row, which the back office's status page reads.
 */

export const CHUNK_CLAIMS = 1000;
/** The report keeps the first thousand bad lines; the counts count them all. */
export const MAX_REPORTED_PROBLEMS = 1000;

/** One reason a line was refused: the file's column (empty: the whole line), code and figures. */
export type ImportReason = { field: string; code: ClaimReasonCode; params?: ClaimReasonParams };

export type ImportProblem = {
  line: number;
  externalId: string | null;
  result: "invalid" | "conflict";
  /** In English, as the command line prints it. */
  reason: string;
  /** The same, by code, for the back office to put in the staff member's language (0110). */
  reasons: ImportReason[];
};

export type ImportProgress = {
  bytesRead: number;
  bytesTotal: number;
  lines: number;
  created: number;
  unchanged: number;
  conflicts: number;
  invalid: number;
};

export type ImportOptions = {
  creditorId: string;
  /** "staff:<id>" or "cli": the claims' events name it. */
  actor: string;
  role: Role;
  path: string;
  fileName: string;
  /** A row made already (the back office makes it first, to show its page at once). */
  importId?: string;
  now?: Date;
  chunkSize?: number;
  onProgress?: (progress: ImportProgress) => void;
};

export type ImportSummary = {
  importId: string;
  status: "DONE" | "FAILED";
  error: string | null;
  progress: ImportProgress;
  problems: ImportProblem[];
};

/** A new import's row, RUNNING, for a file already on disk. */
export async function startClaimImport(
  creditorId: string,
  actor: string,
  path: string,
  fileName: string,
): Promise<string> {
  const [{ size }, { format }] = await Promise.all([stat(path), sniff(path)]);
  const row = await db().claimImport.create({
    data: { creditorId, actor, fileName, format, bytesTotal: BigInt(size) },
  });
  return row.id;
}

function reasonOf(outcome: BatchOutcome, csv: boolean): Pick<ImportProblem, "reason" | "reasons"> {
  if (outcome.result === "conflict")
    return { reason: outcome.detail, reasons: [{ field: "", code: "conflict" }] };
  if (outcome.result !== "invalid") return { reason: "", reasons: [] };
  const field = (path: string) => (path === "(body)" ? "" : csv ? csvColumnOf(path) : path);
  return {
    reason: outcome.errors
      .map((e) => `${csv ? csvColumnOf(e.path) : e.path} ${e.message}`.trim())
      .join("; "),
    reasons: outcome.errors.map((e) => ({
      field: field(e.path),
      code: e.code,
      ...(e.params ? { params: e.params } : {}),
    })),
  };
}

/**
 * Imports a claims file for one creditor, streaming, a chunk at a time. A file whose CSV header is
 * wrong stores nothing; a database error stops the import after the chunks already stored (each
 * chunk is whole or absent), and running it again finishes it.
 */
export async function importClaimFile(opts: ImportOptions): Promise<ImportSummary> {
  const creditor = await db().creditor.findUniqueOrThrow({ where: { id: opts.creditorId } });
  const caller: ApiCaller = {
    creditorId: creditor.id,
    keyId: "",
    country: creditor.country,
    currency: creditor.currency,
    timeZone: creditor.timeZone,
  };
  const importId =
    opts.importId ?? (await startClaimImport(creditor.id, opts.actor, opts.path, opts.fileName));
  const { format } = await sniff(opts.path);
  const csv = format === "CSV";
  const now = opts.now ?? new Date();
  const chunkSize = opts.chunkSize ?? CHUNK_CLAIMS;
  const claimTypes = await claimTypesOf(creditor.id);
  const progress: ImportProgress = {
    bytesRead: 0,
    bytesTotal: (await stat(opts.path)).size,
    lines: 0,
    created: 0,
    unchanged: 0,
    conflicts: 0,
    invalid: 0,
  };
  const problems: ImportProblem[] = [];
  let reported = 0;

  const save = async (
    fresh: ImportProblem[],
    done?: { status: string; error: string | null; code?: string; params?: object },
  ) => {
    const keep = fresh.slice(0, Math.max(0, MAX_REPORTED_PROBLEMS - reported));
    reported += keep.length;
    await db().$executeRaw`
      UPDATE "ClaimImport" SET "bytesRead" = ${BigInt(progress.bytesRead)}, lines = ${progress.lines},
        created = ${progress.created}, unchanged = ${progress.unchanged},
        conflicts = ${progress.conflicts}, invalid = ${progress.invalid},
        problems = problems || ${JSON.stringify(keep)}::jsonb,
        status = ${done?.status ?? "RUNNING"}, error = ${done?.error ?? null},
        "errorCode" = ${done?.code ?? null},
        "errorParams" = ${done?.params ? JSON.stringify(done.params) : null}::jsonb,
        "finishedAt" = ${done ? new Date() : null}, "heartbeatAt" = now()
      WHERE id = ${importId}::uuid`;
    opts.onProgress?.({ ...progress });
  };

  let chunk: { line: number; body: unknown }[] = [];
  let bad: ImportProblem[] = [];
  const flush = async () => {
    const outcomes = chunk.length
      ? await receiveClaims(
          caller,
          chunk.map((c) => c.body),
          now,
          { actor: opts.actor, role: opts.role, claimTypes },
        )
      : [];
    for (const o of outcomes) {
      if (o.result === "created") progress.created += 1;
      else if (o.result === "unchanged") progress.unchanged += 1;
      else {
        if (o.result === "conflict") progress.conflicts += 1;
        else progress.invalid += 1;
        bad.push({
          line: chunk[o.index]!.line,
          externalId: o.externalId,
          result: o.result,
          ...reasonOf(o, csv),
        });
      }
    }
    progress.lines += chunk.length;
    const fresh = bad.sort((a, b) => a.line - b.line);
    problems.push(...fresh);
    chunk = [];
    bad = [];
    await save(fresh);
  };

  try {
    for await (const record of claimFileRecords(opts.path, (n) => (progress.bytesRead += n))) {
      if ("error" in record) {
        progress.invalid += 1;
        progress.lines += 1;
        bad.push({
          line: record.line,
          externalId: record.externalId ?? null,
          result: "invalid",
          reason: record.error,
          reasons: [
            { field: "", code: record.code, ...(record.params ? { params: record.params } : {}) },
          ],
        });
        continue;
      }
      chunk.push(record);
      if (chunk.length >= chunkSize) await flush();
    }
    await flush();
    progress.bytesRead = progress.bytesTotal;
    await save([], { status: "DONE", error: null });
    return { importId, status: "DONE", error: null, progress, problems };
  } catch (error) {
    const message =
      error instanceof ClaimFileHeaderError
        ? `Line 1: ${error.message}. Nothing was imported.`
        : `Stopped by an error after ${progress.lines} lines (the lines before are stored; import the file again to finish): ${error instanceof Error ? error.message : String(error)}`;
    const header = error instanceof ClaimFileHeaderError ? error.columns : null;
    const code = error instanceof ClaimFileHeaderError ? (header ? "header" : "empty") : "stopped";
    const params = header ?? { lines: progress.lines };
    await save([], { status: "FAILED", error: message, code, params }).catch(() => {});
    if (!(error instanceof ClaimFileHeaderError)) throw error;
    return { importId, status: "FAILED", error: message, progress, problems };
  }
}
