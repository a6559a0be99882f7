// The import step of bench/bank-files.ts in a process of its own, so that its peak memory is the
// importer's alone (as `kravportal import-bank-file` runs it), not the bench's data generation:
// `node --import tsx bench/bank-files-import.ts FILE CHUNK`, with DATABASE_URL and the keys in its
// environment. Prints one JSON line: the time, the RSS high-water mark before and after, the result.
export {};

const [file, chunkRaw] = process.argv.slice(2);
if (!file || !chunkRaw) throw new Error("usage: bank-files-import.ts FILE CHUNK");
const { importBankFile } = await import("../app/services/payments/bank-import.server.ts");
const { bankFileText, checkBankFile } =
  await import("../app/services/payments/bank-file-source.server.ts");
const { disconnectDb } = await import("../app/infra/db.server.ts");
const peakMb = () => process.resourceUsage().maxRSS / 1024;
const beforeMb = peakMb();
const start = performance.now();
const bytes = await checkBankFile(file);
const result = await importBankFile(
  bankFileText(file, bytes.encoding),
  "bench",
  { fileName: "camt054.xml", sha256: bytes.sha256 },
  { chunkSize: Number(chunkRaw) },
);
const ms = performance.now() - start;
const peak = peakMb();
await disconnectDb();
process.stdout.write(`${JSON.stringify({ ms, beforeMb, peakMb: peak, result })}\n`);
