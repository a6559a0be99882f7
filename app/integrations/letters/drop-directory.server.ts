/**
 * Hands a print batch over by writing it into a directory (a share the print house collects
 * from, or where staff fetch it): the same rules as the SFTP upload. A checksum file first, the
 * batch under a temporary name renamed when complete, the same batch again changes nothing, and
 * a different file under the same name is refused, never overwritten.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, mkdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { PrintSftpError } from "./sftp.server";

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

export async function dropPrintBatch(
  localFile: string,
  sha256: string,
  dir: string,
): Promise<{ path: string; status: "delivered" | "already-there" }> {
  const name = path.basename(localFile);
  const target = path.join(dir, name);
  const sidecar = `${target}.sha256`;
  await mkdir(dir, { recursive: true });
  if (await exists(target)) {
    if ((await sha256File(target)) !== sha256) {
      throw new PrintSftpError(
        "CONFLICT",
        `A different file named ${name} is already in ${dir}; it was left as it is.`,
      );
    }
    if (!(await exists(sidecar))) await writeFile(sidecar, `${sha256}  ${name}\n`);
    return { path: target, status: "already-there" };
  }
  await writeFile(`${sidecar}.part`, `${sha256}  ${name}\n`);
  await rename(`${sidecar}.part`, sidecar);
  const part = `${target}.part`;
  await rm(part, { force: true });
  await copyFile(localFile, part);
  // link() fails if the target appeared meanwhile, where rename() would silently replace it.
  await link(part, target);
  await unlink(part);
  return { path: target, status: "delivered" };
}
