import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import SftpClient from "ssh2-sftp-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSftpStandin, type SftpStandin } from "./sftp-server";

let work: string;
let standin: SftpStandin;
let client: SftpClient;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "sftp-standin-"));
  standin = await startSftpStandin({ dir: path.join(work, "root"), password: "pw" });
  client = new SftpClient();
  await client.connect({
    host: "127.0.0.1",
    port: standin.port,
    username: "print",
    password: "pw",
  });
});

afterAll(async () => {
  await client.end();
  await standin.close();
  await rm(work, { recursive: true, force: true });
});

describe("the SFTP stand-in", () => {
  it("keeps every path inside its directory", async () => {
    await client.put(Buffer.from("x"), "/../../escape.txt");
    expect(await readdir(standin.dir)).toContain("escape.txt");
    expect(await readdir(work)).toEqual(["root"]);
  });

  it("refuses to rename onto an existing file, as OpenSSH's sftp-server does", async () => {
    await client.put(Buffer.from("a"), "/a.txt");
    await client.put(Buffer.from("b"), "/b.txt");
    await expect(client.rename("/a.txt", "/b.txt")).rejects.toThrow();
    expect(String(await client.get("/b.txt"))).toBe("b");
    await client.rename("/a.txt", "/c.txt");
    expect((await client.list("/")).map((f) => f.name).sort()).toEqual([
      "b.txt",
      "c.txt",
      "escape.txt",
    ]);
  });

  it("refuses a wrong password", async () => {
    const other = new SftpClient();
    await expect(
      other.connect({
        host: "127.0.0.1",
        port: standin.port,
        username: "print",
        password: "no",
        retries: 0,
      }),
    ).rejects.toThrow(/authentication/i);
  });
});
