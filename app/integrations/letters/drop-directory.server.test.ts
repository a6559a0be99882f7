import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropPrintBatch } from "./drop-directory.server";

let work: string;
const sha = (b: string) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "drop-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("dropping a print batch into a directory", () => {
  it("writes the batch and its checksum, again changes nothing, and never overwrites another", async () => {
    const file = path.join(work, "elvdal-2026-11-20-b1.zip");
    await writeFile(file, "batch one");
    const out = path.join(work, "out");
    expect(await dropPrintBatch(file, sha("batch one"), out)).toMatchObject({
      status: "delivered",
    });
    expect((await readdir(out)).sort()).toEqual([
      "elvdal-2026-11-20-b1.zip",
      "elvdal-2026-11-20-b1.zip.sha256",
    ]);
    const before = await stat(path.join(out, "elvdal-2026-11-20-b1.zip"));
    expect(await dropPrintBatch(file, sha("batch one"), out)).toMatchObject({
      status: "already-there",
    });
    expect((await stat(path.join(out, "elvdal-2026-11-20-b1.zip"))).mtimeMs).toBe(before.mtimeMs);

    await writeFile(file, "another batch");
    await expect(dropPrintBatch(file, sha("another batch"), out)).rejects.toMatchObject({
      kind: "CONFLICT",
    });
    expect(await readFile(path.join(out, "elvdal-2026-11-20-b1.zip"), "utf8")).toBe("batch one");
  });
});
