import { randomUUID } from "node:crypto";
import { recordEvent } from "../events/events.server";
import { todayIn } from "~/domain/calendar-date";
import { accountOwners, type AccountHolder } from "~/domain/receiving-account";
import { readBankFile, type BankFileChunk } from "~/integrations/bank-files/parse";
import { BankFileError } from "~/integrations/bank-files/types";
import { pgTransaction, type Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { loadLawBook } from "../law/legal-figures.server";
import { importChunk, type ImportCounts } from "./bank-import-chunk.server";

export { bankEntryKey } from "./bank-import-chunk.server";

export type BankImportResult =
  | {
      ok: true;
      duplicate: boolean;
      format: string;
      fileId: string;
      entries: number;
      matched: number;
      overpaid: number;
      unmatched: number;
      mismatched: number;
      /** Entries the bank delivered before in another file (same bank reference): not booked again. */
      alreadyImported: number;
      total: number;
    }
  | { ok: false; line: number; error: string };

/** A file's text: whole, or in pieces as it is read from disk or the network. */
export type BankFileText = string | AsyncIterable<string> | Iterable<string>;

/** Entries matched and booked together, in one set of statements (decision 0109). */
export const IMPORT_CHUNK = 1000;

const noCounts = (): ImportCounts => ({
  matched: 0,
  overpaid: 0,
  unmatched: 0,
  mismatched: 0,
  alreadyImported: 0,
});

/**
 * Imports a bank file (camt.054, BgMax or Nets OCR giro): every payment is matched to its claim
 * by KID/OCR reference and allocated; what matches nothing, pays too much or is in the wrong
 * currency goes to staff. The file is read as it arrives and booked in chunks of `IMPORT_CHUNK`
 * entries, set-based, but the whole file is one transaction: a malformed line anywhere, even
 * after thousands of entries were booked, changes nothing and the error names its line. The
 * unique (format, file id) makes a second import of the same file add nothing; an entry already
 * booked from another file (`bankEntryKey`) is counted and left alone. The transaction is a plain
 * pg connection's, not Prisma's: every statement of the ledger and its rows would otherwise pass
 * through Prisma's query interpreter (decision 0115).
 */
export async function importBankFile(
  text: BankFileText,
  actor: string,
  source: { fileName?: string; sha256?: string } = {},
  opts: {
    chunkSize?: number;
    /**
     * The uploader's creditor (a staff member of one creditor uploaded it). Money in the file that
     * names no claim is the creditor's whose account received it (the file names the account);
     * where no creditor or several have that account, it is this creditor's to settle, and no
     * other creditor's staff see it; without one it is left for any supervisor.
     */
    creditorId?: string;
  } = {},
): Promise<BankImportResult> {
  const law = await loadLawBook();
  const chunks = readBankFile(
    typeof text === "string" ? [text] : text,
    opts.chunkSize ?? IMPORT_CHUNK,
  );
  try {
    return await pgTransaction(async (conn) => {
      // One import at a time: two files carrying the same entry, imported at once, must not
      // both find it new (the unique entry key would then fail the second file as a whole).
      await query(conn, `SELECT pg_advisory_xact_lock(hashtext('kravportal:bank-import'))`, []);
      // Whose money an entry that names no claim is, from the account that received it.
      const ownerOf = accountOwners(
        await query<AccountHolder>(
          conn,
          `SELECT id::text, "mergedIntoId"::text, "bankAccount", iban FROM "Creditor"`,
          [],
        ),
      );
      const counts = noCounts();
      let importId: string | undefined;
      let provisional = false;
      let duplicate = false;
      for await (const chunk of chunks) {
        if (!importId && !duplicate && chunk.fileId !== undefined) {
          duplicate = await seenBefore(conn, chunk, chunk.fileId);
        }
        if (duplicate) {
          // Read to the end all the same: a damaged copy of a known file is still an error.
          if (chunk.end) return duplicateResult(chunk);
          continue;
        }
        if (!importId) {
          // OCR giro's id is known only at its end: the row waits under a provisional one.
          provisional = chunk.fileId === undefined;
          const [row] = await query<{ id: string }>(
            conn,
            `INSERT INTO "BankFileImport" (id, format, "fileId", entries, total, actor)
             VALUES (gen_random_uuid(), $1::text, $2::text, 0, 0, $3::text) RETURNING id::text`,
            [chunk.format, chunk.fileId ?? `pending:${randomUUID()}`, actor],
          );
          importId = row!.id;
        }
        await importChunk(
          conn,
          law,
          {
            format: chunk.format,
            fileId: chunk.fileId,
            importId,
            actor,
            ownerOf,
            creditorId: opts.creditorId ?? null,
          },
          chunk.payments,
          counts,
        );
        if (!chunk.end) continue;
        const { fileId, control } = chunk.end;
        // Seen before after all: everything booked above is rolled back with the transaction.
        if (provisional && (await seenBefore(conn, chunk, fileId))) throw new Duplicate(chunk);
        await query(
          conn,
          `UPDATE "BankFileImport" SET "fileId" = $2::text, entries = $3::int, total = $4::int
           WHERE id = $1::uuid`,
          [importId, fileId, control.count, control.total],
        );

        // Who brought the file in, and which file it was, in the audit log beside the payments.
        await recordEvent(conn, {
          type: "bank_file.imported",
          actor,
          on: todayIn("Europe/Stockholm", new Date()),
          data: {
            importId,
            format: chunk.format,
            fileId,
            fileName: source.fileName ?? null,
            sha256: source.sha256 ?? null,
            entries: control.count,
            total: control.total,
            ...counts,
          },
        });
        return {
          ok: true,
          duplicate: false,
          format: chunk.format,
          fileId,
          entries: control.count,
          total: control.total,
          ...counts,
        } as const;
      }
      throw new Error("bank file ended without its last chunk");
    });
  } catch (error) {
    if (error instanceof BankFileError)
      return { ok: false, line: error.line, error: error.message };
    if (error instanceof Duplicate) return duplicateResult(error.chunk);
    throw error;
  } finally {
    // A file refused half-way: let the reader (and the file or upload under it) go.
    await chunks.return(undefined);
  }
}

/** Whether this file (format and id) was imported before. */
async function seenBefore(conn: Conn, c: BankFileChunk, fileId: string): Promise<boolean> {
  const rows = await query(
    conn,
    `SELECT 1 FROM "BankFileImport" WHERE format = $1::text AND "fileId" = $2::text`,
    [c.format, fileId],
  );
  return rows.length > 0;
}

class Duplicate extends Error {
  constructor(readonly chunk: BankFileChunk) {
    super("bank file imported before");
  }
}

function duplicateResult(chunk: BankFileChunk): BankImportResult {
  return {
    ok: true,
    duplicate: true,
    format: chunk.format,
    fileId: chunk.end!.fileId,
    entries: chunk.end!.control.count,
    total: chunk.end!.control.total,
    ...noCounts(),
  };
}
