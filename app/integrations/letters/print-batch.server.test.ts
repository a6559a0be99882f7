import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { readPdf } from "./pdf-test-support";
import { renderLetterPdf } from "./pdf.server";
import { MANIFEST_COLUMNS, manifestCsvLine, manifestRow } from "./print-batch-manifest";
import { PrintBatchError, writePrintBatch, type PrintLetter } from "./print-batch.server";
import { sampleLetter } from "./sample-letters";

let dir: string;
let letters: PrintLetter[];

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Reads an archive back with yauzl, a zip reader independent of the writer. */
function unzip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const out = new Map<string, Buffer>();
      zip.on("error", reject);
      zip.on("end", () => resolve(out));
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "print-batch-"));
  const contents = [
    sampleLetter("NO", { language: "nb" }),
    sampleLetter("NO", { language: "nn", lines: 20, long: true }),
    sampleLetter("SE", { language: "en" }),
  ];
  letters = await Promise.all(
    contents.map(async (c, i) => ({
      noticeId: `0000000${i}-aaaa-4bbb-8ccc-${"d".repeat(12)}`,
      pdf: await renderLetterPdf(c),
      recipient: c.recipient,
    })),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a print batch", () => {
  it("holds every letter's PDF and a manifest row per letter with pages and checksum", async () => {
    const out = path.join(dir, "a");
    const batch = await writePrintBatch({
      creditorSlug: "elvdal",
      batchId: "b1",
      date: "2026-11-20",
      letters,
      outDir: out,
    });
    expect(batch.fileName).toBe("elvdal-2026-11-20-b1.zip");
    expect(await readdir(out)).toEqual(["elvdal-2026-11-20-b1.zip"]);
    // Residents' names and addresses: only this service's user reads the archive.
    expect((await stat(batch.path)).mode & 0o777).toBe(0o600);
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    const file = await readFile(batch.path);
    expect(batch).toMatchObject({ sha256: sha(file), size: file.length, letters: 3 });

    const entries = await unzip(batch.path);
    expect([...entries.keys()].sort()).toEqual(
      [...letters.map((l) => `${l.noticeId}.pdf`), "manifest.csv", "manifest.json"].sort(),
    );
    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8"));
    expect(manifest).toMatchObject({
      creditor: "elvdal",
      batchId: "b1",
      date: "2026-11-20",
      count: 3,
    });
    const csv = entries.get("manifest.csv")!.toString("utf8").split("\r\n");
    expect(csv[0]).toBe(MANIFEST_COLUMNS.join(","));
    expect(csv).toHaveLength(5); // header, three rows, and the empty string after the last CRLF
    let pages = 0;
    for (const [i, letter] of letters.entries()) {
      const pdf = entries.get(`${letter.noticeId}.pdf`)!;
      expect(pdf.equals(letter.pdf)).toBe(true);
      const row = manifest.letters[i];
      const read = await readPdf(pdf);
      pages += read.pages;
      expect(row).toMatchObject({
        noticeId: letter.noticeId,
        recipientName: letter.recipient.name,
        postalCode: letter.recipient.postalCode,
        city: letter.recipient.city,
        country: letter.recipient.country,
        pages: read.pages,
        bytes: pdf.length,
        sha256: sha(pdf),
      });
      expect(csv[i + 1]).toContain(`"${sha(pdf)}"`);
      expect(csv[i + 1]).toContain(`"${letter.recipient.name}"`);
    }
    expect(batch.pages).toBe(pages);
    expect(manifest.letters[1].pages).toBeGreaterThan(1);
  });

  it("is the same archive, byte for byte, when made again from the same letters", async () => {
    const input = { creditorSlug: "elvdal", batchId: "b2", date: "2026-11-20", letters };
    const a = await writePrintBatch({ ...input, outDir: path.join(dir, "b") });
    const b = await writePrintBatch({ ...input, outDir: path.join(dir, "c") });
    expect(a.sha256).toBe(b.sha256);
  });

  it("refuses a letter twice or an unsafe name, and leaves no file behind", async () => {
    const out = path.join(dir, "d");
    const twice = writePrintBatch({
      creditorSlug: "elvdal",
      batchId: "b3",
      date: "2026-11-20",
      letters: [letters[0]!, letters[0]!],
      outDir: out,
    });
    await expect(twice).rejects.toBeInstanceOf(PrintBatchError);
    const unsafe = writePrintBatch({
      creditorSlug: "elvdal",
      batchId: "b4",
      date: "2026-11-20",
      letters: [{ ...letters[0]!, noticeId: "../../etc/x" }],
      outDir: out,
    });
    await expect(unsafe).rejects.toThrow(/not a usable notice id/);
    await expect(
      writePrintBatch({
        creditorSlug: "../x",
        batchId: "b",
        date: "2026-11-20",
        letters,
        outDir: out,
      }),
    ).rejects.toBeInstanceOf(PrintBatchError);
    expect(await readdir(out)).toEqual([]);
  });

  it("takes letters only as fast as it writes them (memory stays bounded)", async () => {
    const out = path.join(dir, "e");
    const part = path.join(out, "elvdal-2026-11-20-big.zip.part");
    const pdf = letters[0]!.pdf;
    let pulled = 0;
    let widest = 0;
    async function* many() {
      for (let i = 0; i < 2500; i++) {
        const onDisk =
          i % 50 === 0
            ? await stat(part).then(
                (s) => s.size,
                () => 0,
              )
            : null;
        if (onDisk !== null) widest = Math.max(widest, pulled - onDisk);
        pulled += pdf.length;
        yield { noticeId: `n${i}`, pdf, recipient: letters[0]!.recipient };
      }
    }
    const batch = await writePrintBatch({
      creditorSlug: "elvdal",
      batchId: "big",
      date: "2026-11-20",
      letters: many(),
      outDir: out,
    });
    expect(batch.letters).toBe(2500);
    expect(pulled).toBeGreaterThan(50 * 1024 * 1024);
    expect(widest).toBeLessThan(16 * 1024 * 1024);
  });
});

describe("the manifest's CSV", () => {
  it("quotes every field, keeps commas, quotes and line breaks inside one, and defuses formulas", () => {
    const row = manifestRow(
      {
        noticeId: "n1",
        recipient: {
          name: '=HYPERLINK("x"), "Ola"',
          lines: ["Gate 1,\nH0101", "c/o Kari", "Boks 3", "Etg 4", "Bak"],
          postalCode: "0150",
          city: "Oslo",
          country: "NO",
        },
      },
      { pages: 2, bytes: 10, sha256: "ab" },
    );
    expect(manifestCsvLine(row)).toBe(
      `"n1","n1.pdf","'=HYPERLINK(""x""), ""Ola""","Gate 1, H0101","c/o Kari","Boks 3","Etg 4, Bak","0150","Oslo","NO","2","10","ab"\r\n`,
    );
  });
});
