import { createHash } from "node:crypto";
import type { IsoDate } from "~/domain/calendar-date";
import type { EnforcementFormat, FilingClaim } from "./types";

/**
 * One CSV field. Quotes everything that could break a row, and defuses spreadsheet formulas
 * (a field starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe), as
 * the export always did: the file is opened by people as often as read by machines.
 */
export const csvCell = (v: string | number) => {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Minor units as a plain decimal with two places and a point ("1234.50"): never negative here. */
export function decimal(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

export const dateOrEmpty = (d: IsoDate | null) => d ?? "";

export type RenderedFile = { content: Buffer; sha256: string; size: number };

/**
 * The file: UTF-8 without a byte-order mark, a header line, one row per claim, lines ended by
 * CRLF (RFC 4180). Throws (FilingDataError) if any claim's row cannot be written: a file is
 * made whole or not at all.
 */
export function renderCsv(format: EnforcementFormat, claims: readonly FilingClaim[]): RenderedFile {
  const lines = [format.columns.map(csvCell).join(",")];
  for (const claim of claims) {
    const row = format.row(claim);
    if (row.length !== format.columns.length)
      throw new Error(`${format.id}: a row has ${row.length} fields, not ${format.columns.length}`);
    lines.push(row.map(csvCell).join(","));
  }
  const content = Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");
  return {
    content,
    sha256: createHash("sha256").update(content).digest("hex"),
    size: content.length,
  };
}

/**
 * The file's name: the format and its version first, so whoever receives it knows what it is
 * (`kravportal-enforcement-se-v1_vastkust_2026-12-07_1a2b3c4d.csv`).
 */
export function exportFileName(
  format: EnforcementFormat,
  input: { creditorSlug: string; day: IsoDate; exportId: string },
): string {
  const slug = input.creditorSlug.replace(/[^A-Za-z0-9-]/g, "-");
  return `${format.id}_${slug}_${input.day}_${input.exportId.slice(0, 8)}.${format.extension}`;
}
