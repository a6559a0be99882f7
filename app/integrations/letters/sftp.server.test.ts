import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSftpStandin, type SftpStandin } from "../../../server/dev/sftp-server";
import { parseEnv } from "~/infra/env.server";
import { printSftpSettings, uploadPrintBatch, type PrintSftpSettings } from "./sftp.server";

let work: string;
let standin: SftpStandin;
let batch: string;
let batchSha: string;
const clientKey = ssh2.utils.generateKeyPairSync("ed25519");

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function settings(overrides: Partial<PrintSftpSettings> = {}): PrintSftpSettings {
  return {
    host: "127.0.0.1",
    port: standin.port,
    username: "print",
    directory: "/inbox",
    privateKey: null,
    password: "s3cret-print",
    hostKeys: [standin.hostKeyFingerprint],
    timeoutMs: 5_000,
    ...overrides,
  };
}

const inbox = () => readdir(path.join(standin.dir, "inbox")).then((n) => n.sort());

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "sftp-"));
  standin = await startSftpStandin({
    dir: path.join(work, "drop"),
    password: "s3cret-print",
    authorizedKey: clientKey.public,
  });
  await import("node:fs/promises").then((fs) => fs.mkdir(path.join(standin.dir, "inbox")));
  batch = path.join(work, "elvdal-2026-11-20-b1.zip");
  const bytes = Buffer.alloc(300_000, 7);
  bytes.write("PK batch", 0);
  await writeFile(batch, bytes);
  batchSha = sha(bytes);
});

afterAll(async () => {
  await standin.close();
  await rm(work, { recursive: true, force: true });
});

describe("uploading a print batch over SFTP", () => {
  it("puts the batch and its checksum file in the print house's directory, and nothing half-written", async () => {
    // What a broken earlier attempt left behind is replaced, not appended to.
    await writeFile(path.join(standin.dir, "inbox", "elvdal-2026-11-20-b1.zip.part"), "junk");
    const result = await uploadPrintBatch(settings(), batch, batchSha);
    expect(result).toEqual({ remotePath: "/inbox/elvdal-2026-11-20-b1.zip", status: "uploaded" });
    expect(await inbox()).toEqual(["elvdal-2026-11-20-b1.zip", "elvdal-2026-11-20-b1.zip.sha256"]);
    const there = await readFile(path.join(standin.dir, "inbox", "elvdal-2026-11-20-b1.zip"));
    expect(sha(there)).toBe(batchSha);
    const sidecar = await readFile(
      path.join(standin.dir, "inbox", "elvdal-2026-11-20-b1.zip.sha256"),
      "utf8",
    );
    expect(sidecar).toBe(`${batchSha}  elvdal-2026-11-20-b1.zip\n`);
  });

  it("does nothing harmful when the same batch is uploaded again", async () => {
    const file = path.join(standin.dir, "inbox", "elvdal-2026-11-20-b1.zip");
    const before = await stat(file);
    const again = await uploadPrintBatch(settings(), batch, batchSha);
    expect(again.status).toBe("already-there");
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect(await inbox()).toHaveLength(2);
  });

  it("refuses to replace a different batch under the same name", async () => {
    const other = path.join(work, "other", "elvdal-2026-11-20-b1.zip");
    await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(other)));
    await writeFile(other, "a different batch");
    await expect(
      uploadPrintBatch(settings(), other, sha(Buffer.from("a different batch"))),
    ).rejects.toMatchObject({
      kind: "CONFLICT",
      retryable: false,
    });
    const there = await readFile(path.join(standin.dir, "inbox", "elvdal-2026-11-20-b1.zip"));
    expect(sha(there)).toBe(batchSha);
  });

  it("logs in with a private key as well", async () => {
    const file = path.join(work, "elvdal-2026-11-21-b2.zip");
    await writeFile(file, "second batch");
    const result = await uploadPrintBatch(
      settings({ password: null, privateKey: clientKey.private }),
      file,
      sha(Buffer.from("second batch")),
    );
    expect(result.status).toBe("uploaded");
  });

  it("sends nothing to a server whose host key is not the pinned one", async () => {
    const file = path.join(work, "elvdal-2026-11-22-b3.zip");
    await writeFile(file, "third batch");
    const wrongKey = `SHA256:${"A".repeat(43)}`;
    await expect(
      uploadPrintBatch(settings({ hostKeys: [wrongKey] }), file, "x"),
    ).rejects.toMatchObject({
      kind: "HOST_KEY_MISMATCH",
      retryable: false,
    });
    expect(await inbox()).not.toContain("elvdal-2026-11-22-b3.zip");
  });

  it("says a wrong password is a login problem, not worth retrying", async () => {
    await expect(
      uploadPrintBatch(settings({ password: "wrong" }), batch, batchSha),
    ).rejects.toMatchObject({
      kind: "AUTH",
      retryable: false,
    });
  });

  it("reports a server that is down as a failure to retry, and the retry succeeds", async () => {
    const dir = path.join(work, "later");
    const down = await startSftpStandin({ dir, password: "s3cret-print" });
    const port = down.port;
    const pinned = down.hostKeyFingerprint;
    await down.close();
    const file = path.join(work, "elvdal-2026-11-23-b4.zip");
    await writeFile(file, "fourth batch");
    const s = { ...settings(), port, hostKeys: [pinned], directory: "/" };
    await expect(uploadPrintBatch(s, file, sha(Buffer.from("fourth batch")))).rejects.toMatchObject(
      {
        kind: "UNREACHABLE",
        retryable: true,
      },
    );
    const hostKey = ssh2.utils.generateKeyPairSync("ed25519").private;
    const up = await startSftpStandin({ dir, password: "s3cret-print", hostKey });
    try {
      const retried = await uploadPrintBatch(
        { ...s, port: up.port, hostKeys: [up.hostKeyFingerprint] },
        file,
        sha(Buffer.from("fourth batch")),
      );
      expect(retried.status).toBe("uploaded");
    } finally {
      await up.close();
    }
  });
});

describe("print SFTP settings", () => {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("PRINT_")) delete base[k];
  const pin = `SHA256:${"c".repeat(43)}`;

  it("refuse to start without a pinned host key, a key or password, or with a password in the URL", () => {
    const url = "sftp://elvdal@print.example:2022/in";
    expect(() => parseEnv({ ...base, PRINT_SFTP_URL: url, PRINT_SFTP_PASSWORD: "p" })).toThrow(
      /PRINT_SFTP_HOST_KEY/,
    );
    expect(() => parseEnv({ ...base, PRINT_SFTP_URL: url, PRINT_SFTP_HOST_KEY: pin })).toThrow(
      /PRINT_SFTP_PRIVATE_KEY/,
    );
    expect(() =>
      parseEnv({
        ...base,
        PRINT_SFTP_URL: "sftp://elvdal:pw@print.example/in",
        PRINT_SFTP_HOST_KEY: pin,
        PRINT_SFTP_PASSWORD: "p",
      }),
    ).toThrow(/not the URL/);
    expect(() =>
      parseEnv({
        ...base,
        PRINT_SFTP_URL: url,
        PRINT_SFTP_HOST_KEY: "md5:ab:cd",
        PRINT_SFTP_PASSWORD: "p",
      }),
    ).toThrow(/SHA256/);
    const env = parseEnv({
      ...base,
      PRINT_SFTP_URL: url,
      PRINT_SFTP_HOST_KEY: pin,
      PRINT_SFTP_PASSWORD: "p",
    });
    expect(
      printSftpSettings({
        ...env,
        PRINT_SFTP_URL: env.PRINT_SFTP_URL!,
        PRINT_SFTP_HOST_KEY: env.PRINT_SFTP_HOST_KEY!,
      }),
    ).toMatchObject({
      host: "print.example",
      password: "p",
      hostKeys: [pin],
    });
    expect(parseEnv(base).PRINT_SFTP_URL).toBeUndefined();
  });

  it("come from the URL, the key or password, and the pinned host keys", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----";
    expect(
      printSftpSettings({
        PRINT_SFTP_URL: "sftp://elvdal@print.example:2022/in/kravportal",
        PRINT_SFTP_PRIVATE_KEY: Buffer.from(key).toString("base64"),
        PRINT_SFTP_HOST_KEY: `SHA256:${"a".repeat(43)}, SHA256:${"b".repeat(43)}`,
      }),
    ).toEqual({
      host: "print.example",
      port: 2022,
      username: "elvdal",
      directory: "/in/kravportal",
      privateKey: key,
      password: null,
      hostKeys: [`SHA256:${"a".repeat(43)}`, `SHA256:${"b".repeat(43)}`],
    });
  });
});
