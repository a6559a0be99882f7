/**
 * Hands a print batch to the print house over SFTP (ssh2-sftp-client on ssh2). The server's host
 * key must match a pinned fingerprint, or nothing is sent. A batch goes up under a temporary name
 * and is renamed when complete, so the print house never picks up half a file; a checksum file
 * (`<name>.sha256`, sha256sum format) goes up first. Uploading the same batch again is harmless:
 * a file already there with the same checksum is left alone; a different file under the same
 * name is refused, never overwritten.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import SftpClient from "ssh2-sftp-client";

export type PrintSftpSettings = {
  host: string;
  port: number;
  username: string;
  /** Remote directory the print house collects from. */
  directory: string;
  privateKey: string | null;
  password: string | null;
  /** Allowed host key fingerprints, "SHA256:…" as `ssh-keygen -lf` prints them. */
  hostKeys: string[];
  /** How long to wait for the connection and handshake. */
  timeoutMs?: number;
};

export type SftpFailure = "UNREACHABLE" | "HOST_KEY_MISMATCH" | "AUTH" | "CONFLICT" | "FAILED";

export class PrintSftpError extends Error {
  /** Whether trying again later may succeed (the server was down or the link broke). */
  readonly retryable: boolean;
  constructor(
    readonly kind: SftpFailure,
    message: string,
  ) {
    super(message);
    this.name = "PrintSftpError";
    this.retryable = kind === "UNREACHABLE" || kind === "FAILED";
  }
}

export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Settings from PRINT_SFTP_URL (sftp://user@host:port/path) and its companions. */
export function printSftpSettings(env: {
  PRINT_SFTP_URL: string;
  PRINT_SFTP_PRIVATE_KEY?: string;
  PRINT_SFTP_PASSWORD?: string;
  PRINT_SFTP_HOST_KEY: string;
}): PrintSftpSettings {
  const url = new URL(env.PRINT_SFTP_URL);
  const key = env.PRINT_SFTP_PRIVATE_KEY?.trim();
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: decodeURIComponent(url.username),
    directory: decodeURIComponent(url.pathname) || "/",
    // A key may be given as PEM/OpenSSH text or, to fit on one line, base64 of it.
    privateKey: key
      ? key.startsWith("-----")
        ? key
        : Buffer.from(key, "base64").toString("utf8")
      : null,
    password: env.PRINT_SFTP_PASSWORD ?? null,
    hostKeys: env.PRINT_SFTP_HOST_KEY.split(",").map((k) => k.trim()),
  };
}

export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

function classify(error: unknown, hostKeyRejected: boolean): PrintSftpError {
  if (error instanceof PrintSftpError) return error;
  const e = error as NodeJS.ErrnoException & { level?: string };
  const message = e?.message ?? String(error);
  if (hostKeyRejected) {
    return new PrintSftpError(
      "HOST_KEY_MISMATCH",
      "The print house's server presented a host key that is not in PRINT_SFTP_HOST_KEY: nothing was sent.",
    );
  }
  if (e?.level === "client-authentication" || /authentication/i.test(message)) {
    return new PrintSftpError("AUTH", `The print house's server refused our login: ${message}`);
  }
  if (
    /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ECONNRESET|Timed out|ENETUNREACH/i.test(
      `${e?.code} ${message}`,
    )
  ) {
    return new PrintSftpError(
      "UNREACHABLE",
      `The print house's server could not be reached: ${message}`,
    );
  }
  return new PrintSftpError("FAILED", `SFTP transfer failed: ${message}`);
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export type UploadResult = { remotePath: string; status: "uploaded" | "already-there" };

/**
 * Uploads `localFile` (whose SHA-256 the caller knows from writing it) into the print house's
 * directory under its own file name. Throws PrintSftpError; `retryable` says whether to try later.
 */
export async function uploadPrintBatch(
  settings: PrintSftpSettings,
  localFile: string,
  sha256: string,
): Promise<UploadResult> {
  const name = path.basename(localFile);
  const dir = settings.directory.replace(/\/+$/, "") || "";
  const remote = `${dir}/${name}`;
  const sidecar = `${remote}.sha256`;
  const size = (await stat(localFile)).size;
  const client = new SftpClient("print-batch");
  let hostKeyRejected = false;
  try {
    await client.connect({
      host: settings.host,
      port: settings.port,
      username: settings.username,
      ...(settings.privateKey ? { privateKey: settings.privateKey } : {}),
      ...(settings.password ? { password: settings.password } : {}),
      readyTimeout: settings.timeoutMs ?? 15_000,
      retries: 0,
      hostVerifier: (key: Buffer) => {
        const ok = settings.hostKeys.includes(hostKeyFingerprint(key));
        hostKeyRejected = !ok;
        return ok;
      },
    });
    if ((await client.exists(dir || "/")) !== "d") {
      throw new PrintSftpError(
        "FAILED",
        `The print house's directory ${dir || "/"} does not exist.`,
      );
    }
    if ((await client.exists(remote)) === "-") {
      const there = await client.stat(remote);
      const recorded =
        (await client.exists(sidecar)) === "-"
          ? String(await client.get(sidecar)).slice(0, 64)
          : null;
      const same =
        there.size === size &&
        (recorded ?? (await sha256Of(client.createReadStream(remote)))) === sha256;
      if (!same) {
        throw new PrintSftpError(
          "CONFLICT",
          `A different file named ${name} is already at the print house; it was left as it is.`,
        );
      }
      if (recorded === null)
        await putAtomically(client, Buffer.from(`${sha256}  ${name}\n`), sidecar);
      return { remotePath: remote, status: "already-there" };
    }
    if ((await client.exists(sidecar)) === "-") await client.delete(sidecar); // from an attempt that broke off
    await putAtomically(client, Buffer.from(`${sha256}  ${name}\n`), sidecar);
    await putAtomically(client, localFile, remote);
    return { remotePath: remote, status: "uploaded" };
  } catch (error) {
    throw classify(error, hostKeyRejected);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Writes `<target>.part` (replacing what an earlier attempt left) and renames it to `target`. */
async function putAtomically(client: SftpClient, source: string | Buffer, target: string) {
  const part = `${target}.part`;
  await client.put(source, part);
  await client.rename(part, target);
}
