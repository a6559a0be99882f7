import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bankFileText, checkBankFile } from "./bank-file-source.server";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bank-source-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, bytes: Uint8Array | string) {
  const at = path.join(dir, name);
  await writeFile(at, bytes);
  return at;
}

async function textOf(at: string, encoding: "utf-8" | "latin1") {
  let text = "";
  for await (const piece of bankFileText(at, encoding)) text += piece;
  return text;
}

describe("a bank file on disk, read as a stream", () => {
  it("keeps a UTF-8 character whole where it falls across two reads, and hashes the bytes", async () => {
    // The reads are 256 KiB: put a two-byte "ø" across the first boundary.
    const text = "x".repeat(256 * 1024 - 1) + "ø" + "Sønn AS\n".repeat(1000);
    const bytes = Buffer.from(text, "utf8");
    const at = await file("utf8.xml", bytes);
    const checked = await checkBankFile(at);
    expect(checked).toEqual({
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      isText: true,
      encoding: "utf-8",
    });
    expect(await textOf(at, checked.encoding)).toBe(text);
  });

  it("reads a file that is not valid UTF-8 as Latin-1, as BgMax and OCR giro files are", async () => {
    const bytes = Buffer.from("01BGMAX Bj\xf6rk \xc5sa\n", "latin1");
    const at = await file("bgmax.txt", bytes);
    const checked = await checkBankFile(at);
    expect(checked.encoding).toBe("latin1");
    expect(await textOf(at, checked.encoding)).toBe("01BGMAX Björk Åsa\n");
  });

  it("is not text with a NUL or other control byte, nor when only blanks and a BOM", async () => {
    const pdf = await file("x.pdf", new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]));
    expect((await checkBankFile(pdf)).isText).toBe(false);
    const blank = await file("blank.txt", Buffer.from("\ufeff \r\n\t\n", "utf8"));
    expect((await checkBankFile(blank)).isText).toBe(false);
    const one = await file("one.txt", Buffer.from("\ufeffN", "utf8"));
    expect((await checkBankFile(one)).isText).toBe(true);
  });
});
