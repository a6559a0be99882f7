import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";

/*
 * A file of claims, read as a stream one record at a time (memory bounded whatever its size):
 * CSV with the header documented in docs/api.md, or JSON lines (one claim as the API takes it per
 * line). Each record comes with its line number; a line that cannot be read at all is reported as
 * such and the reading goes on.
 */

export type ClaimFileFormat = "CSV" | "JSONL";

/** A line that is no claim at all: the English `error`, and its reason's code (decision 0110). */
export type FileRecordError = {
  line: number;
  error: string;
  code: "wrong_field_count" | "unreadable_csv" | "not_json";
  params?: { fields: number; expected: number };
  externalId?: string | null;
};

export type FileRecord = { line: number; body: unknown } | FileRecordError;

/** The CSV columns, in the documented order; the first nine must be in the header. */
export const CSV_COLUMNS = [
  "externalId",
  "claimType",
  "nationalId",
  "name",
  "description",
  "currency",
  "principal",
  "issuedOn",
  "dueOn",
  "country",
  "email",
  "phone",
  "language",
  "addressLine1",
  "addressLine2",
  "addressLine3",
  "addressLine4",
  "postalCode",
  "city",
  "addressCountry",
] as const;
type Column = (typeof CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS = CSV_COLUMNS.slice(0, 9);

/** An API field path as the CSV column a person can find in the file. */
export function csvColumnOf(path: string): string {
  const p = path.replace(/^resident\.(address\.)?/, "");
  if (p === "lines" || p.startsWith("lines.")) return "addressLine1";
  if (path === "resident.address.country") return "addressCountry";
  if (path === "resident.address") return "address";
  return p;
}

/** JSON lines when the first thing in the file is `{`; a CSV's delimiter: `;` or `,`, from its header. */
export async function sniff(path: string): Promise<{ format: ClaimFileFormat; delimiter: string }> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    if (head.trimStart().startsWith("{")) return { format: "JSONL", delimiter: "," };
    const firstLine = head.split(/\r?\n/, 1)[0] ?? "";
    const semicolons = firstLine.split(";").length;
    const commas = firstLine.split(",").length;
    return { format: "CSV", delimiter: semicolons > commas ? ";" : "," };
  } finally {
    await handle.close();
  }
}

/** A CSV row as the API's claim body; empty cells are left out, the principal read as a number. */
function bodyOf(row: Partial<Record<Column, string>>): unknown {
  const v = (c: Column) => (row[c] === undefined || row[c] === "" ? undefined : row[c]);
  const lines = (["addressLine1", "addressLine2", "addressLine3", "addressLine4"] as const)
    .map(v)
    .filter((l): l is string => l !== undefined);
  const hasAddress = lines.length > 0 || v("postalCode") || v("city") || v("addressCountry");
  const principal = v("principal");
  const body = {
    externalId: v("externalId"),
    claimType: v("claimType"),
    resident: {
      nationalId: v("nationalId"),
      country: v("country"),
      name: v("name"),
      email: v("email"),
      phone: v("phone"),
      language: v("language"),
      address: hasAddress
        ? { lines, postalCode: v("postalCode"), city: v("city"), country: v("addressCountry") }
        : undefined,
    },
    description: v("description"),
    currency: v("currency"),
    principal: principal !== undefined && /^\d+$/.test(principal) ? Number(principal) : principal,
    issuedOn: v("issuedOn"),
    dueOn: v("dueOn"),
  };
  // Undefined fields out, so the schema sees a claim exactly as a JSON client would send it.
  return JSON.parse(JSON.stringify(body));
}

/** A header that is not the documented one stops the file before anything is read. */
export class ClaimFileHeaderError extends Error {
  constructor(
    message: string,
    /** For the page: columns the header lacks and columns it should not have; none if empty. */
    readonly columns: { missing: string[]; unknown: string[] } | null = null,
  ) {
    super(message);
    this.name = "ClaimFileHeaderError";
  }
}

async function* csvRecords(
  path: string,
  delimiter: string,
  onBytes: (n: number) => void,
): AsyncGenerator<FileRecord> {
  const input = createReadStream(path);
  input.on("data", (chunk) => onBytes(chunk.length));
  const skipped: FileRecord[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
      info: true,
    }),
  );
  parser.on("skip", (err: Error & { lines?: number }) => {
    skipped.push({
      line: err.lines ?? 0,
      error: `cannot be read as CSV (${err.message})`,
      code: "unreadable_csv",
    });
  });
  let header: string[] | null = null;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield* skipped.splice(0);
    if (!header) {
      header = record;
      const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
      const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header!.includes(c));
      if (unknown.length > 0 || missing.length > 0)
        throw new ClaimFileHeaderError(
          [
            missing.length > 0 ? `the header lacks ${missing.join(", ")}` : null,
            unknown.length > 0 ? `the header has unknown columns ${unknown.join(", ")}` : null,
          ]
            .filter(Boolean)
            .join("; "),
          { missing: [...missing], unknown },
        );
      continue;
    }
    if (record.length !== header.length) {
      yield {
        line: info.lines,
        error: `has ${record.length} fields; the header has ${header.length}`,
        code: "wrong_field_count",
        params: { fields: record.length, expected: header.length },
        externalId: header.includes("externalId")
          ? (record[header.indexOf("externalId")] ?? null)
          : null,
      };
      continue;
    }
    const row: Partial<Record<Column, string>> = {};
    header.forEach((h, i) => (row[h as Column] = record[i]));
    yield { line: info.lines, body: bodyOf(row) };
  }
  yield* skipped.splice(0);
  if (!header) throw new ClaimFileHeaderError("the file is empty: it has no header line");
}

async function* jsonLines(path: string, onBytes: (n: number) => void): AsyncGenerator<FileRecord> {
  const input = createReadStream(path);
  input.on("data", (chunk) => onBytes(chunk.length));
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    const trimmed = text.replace(/^\uFEFF/, "").trim();
    if (trimmed === "") continue;
    try {
      yield { line, body: JSON.parse(trimmed) as unknown };
    } catch {
      yield { line, error: "is not valid JSON", code: "not_json" };
    }
  }
}

/** The file's records, one at a time, each with its line number; `onBytes` counts what was read. */
export async function* claimFileRecords(
  path: string,
  onBytes: (n: number) => void = () => {},
): AsyncGenerator<FileRecord, void, undefined> {
  const { format, delimiter } = await sniff(path);
  if (format === "JSONL") yield* jsonLines(path, onBytes);
  else yield* csvRecords(path, delimiter, onBytes);
}
