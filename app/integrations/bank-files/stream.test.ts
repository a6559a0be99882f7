import { describe, expect, it } from "vitest";
import { camt054 } from "../../../server/test-support/camt054";
import { BankFileError, parseBankFile, readBankFile, type BankFileChunk } from "./parse";
import { sample } from "./test-helpers";

/** The text in pieces of `size` characters, as a stream would bring it. */
function* pieces(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(source: Iterable<string>, chunkSize = 1000): Promise<BankFileChunk[]> {
  const chunks: BankFileChunk[] = [];
  for await (const chunk of readBankFile(source, chunkSize)) chunks.push(chunk);
  return chunks;
}

describe("readBankFile", () => {
  it.each(["camt054-v08.xml", "camt054-v02.xml", "bgmax.txt", "ocr-giro.txt"])(
    "reads %s in pieces of any size exactly as the whole text",
    async (name) => {
      const text = sample(name);
      const whole = parseBankFile(text);
      for (const size of [1, 7, 64, 100_000]) {
        const chunks = await collect(pieces(text, size), 2);
        expect(chunks.flatMap((c) => c.payments)).toEqual(whole.payments);
        expect(chunks.every((c) => c.payments.length <= 2)).toBe(true);
        expect(chunks.at(-1)?.end).toEqual({ fileId: whole.fileId, control: whole.control });
        expect(chunks.slice(0, -1).every((c) => c.end === undefined)).toBe(true);
      }
    },
  );

  it("yields a big camt.054 file in chunks before it has all arrived, and checks the totals at the end", async () => {
    const payments = Array.from({ length: 5000 }, (_, i) => ({
      reference: String(10_000_000 + i),
      amount: 100 + i,
      bookedOn: "2026-03-05",
    }));
    const text = camt054("BIG-1", payments);
    const chunks = await collect(pieces(text, 4096), 1000);
    expect(chunks.map((c) => c.payments.length)).toEqual([1000, 1000, 1000, 1000, 1000, 0]);
    expect(chunks[0]!.fileId).toBe("BIG-1");
    expect(chunks.at(-1)!.end!.control).toEqual({
      count: 5000,
      total: payments.reduce((s, p) => s + p.amount, 0),
    });
    // Line numbers run on across the pieces: entry i's TxDtls is on line 8 + 5i.
    expect(chunks[3]!.payments[0]!.line).toBe(8 + 5 * 3000);

    // A wrong control total shows only at the notification's end, after chunks were yielded.
    const wrong = text.replace(/<Sum>[\d.]+<\/Sum>/, "<Sum>1.00</Sum>");
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const c of readBankFile(pieces(wrong, 4096), 1000)) seen.push(c.payments.length);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BankFileError);
    expect((error as BankFileError).line).toBe(5);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("names the line of a malformed entry in the middle of a big file", async () => {
    const payments = Array.from({ length: 3000 }, (_, i) => ({
      reference: String(20_000_000 + i),
      amount: 500,
      bookedOn: "2026-03-05",
    }));
    const lines = camt054("BIG-2", payments).split("\n");
    // Entry 1500's booking date is on the line after its Ntry, which starts on line 6 + 5i.
    const at = 6 + 5 * 1500 + 1;
    expect(lines[at - 1]).toContain("<BookgDt>");
    lines[at - 1] = lines[at - 1]!.replace(/<Dt>[^<]+<\/Dt>/, "<Dt>05.03.2026</Dt>");
    await expect(collect(pieces(lines.join("\n"), 1000))).rejects.toThrow(
      new BankFileError(6 + 5 * 1500, "entry has no valid booking date (BookgDt)"),
    );
  });

  it("rejects an unknown format on line 1, however short the file", async () => {
    for (const text of ["", "x", "date;amount\n1;2\n", '<?xml version="1.0"?><Other/>']) {
      await expect(collect(pieces(text, 3))).rejects.toThrow(/^line 1: unknown bank file format/);
    }
  });
});
