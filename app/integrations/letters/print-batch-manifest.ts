/**
 * The print batch's manifest: one row per letter, so the print house (and anyone auditing a
 * batch later) can check every PDF against what was meant to be printed and posted. Pure: the
 * caller supplies each PDF's page count and checksum.
 */
import type { PostalAddress } from "./letter-content";

/** Columns of manifest.csv, in order; the header line names them exactly so. */
export const MANIFEST_COLUMNS = [
  "notice_id",
  "file",
  "recipient_name",
  "address_line_1",
  "address_line_2",
  "address_line_3",
  "address_line_4",
  "postal_code",
  "city",
  "country",
  "pages",
  "bytes",
  "sha256",
] as const;

const ADDRESS_COLUMNS = 4;

export type ManifestRow = {
  noticeId: string;
  file: string;
  recipientName: string;
  addressLines: string[];
  postalCode: string;
  city: string;
  country: string;
  pages: number;
  bytes: number;
  sha256: string;
};

/** What may name a letter or a batch: it becomes a file name inside the archive and outside. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

export function letterFileName(noticeId: string): string {
  if (!SAFE_ID.test(noticeId))
    throw new RangeError(`not a usable notice id: ${JSON.stringify(noticeId)}`);
  return `${noticeId}.pdf`;
}

export function manifestRow(
  letter: { noticeId: string; recipient: PostalAddress },
  pdf: { pages: number; bytes: number; sha256: string },
): ManifestRow {
  const r = letter.recipient;
  return {
    noticeId: letter.noticeId,
    file: letterFileName(letter.noticeId),
    recipientName: r.name,
    addressLines: r.lines.map((l) => l.trim()).filter(Boolean),
    postalCode: r.postalCode,
    city: r.city,
    country: r.country,
    pages: pdf.pages,
    bytes: pdf.bytes,
    sha256: pdf.sha256,
  };
}

// A spreadsheet would run a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string | number): string {
  let text = String(value).replace(/[\r\n]+/g, " ");
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Address lines beyond the columns are joined into the last one, so nothing is dropped. */
function addressColumns(lines: string[]): string[] {
  const columns = lines.slice(0, ADDRESS_COLUMNS - 1);
  const rest = lines.slice(ADDRESS_COLUMNS - 1);
  columns.push(rest.join(", "));
  while (columns.length < ADDRESS_COLUMNS) columns.push("");
  return columns;
}

export function manifestCsvHeader(): string {
  return `${MANIFEST_COLUMNS.join(",")}\r\n`;
}

/** One RFC 4180 line (every field quoted, CRLF), in the order of MANIFEST_COLUMNS. */
export function manifestCsvLine(row: ManifestRow): string {
  const fields = [
    row.noticeId,
    row.file,
    row.recipientName,
    ...addressColumns(row.addressLines),
    row.postalCode,
    row.city,
    row.country,
    row.pages,
    row.bytes,
    row.sha256,
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}
