// Local stand-in for a print house's SFTP drop: real SSH and SFTP (ssh2's Server), files kept in
// a directory. Development and tests only: nothing under app/ may import this file.
// Like OpenSSH's sftp-server, RENAME onto an existing file fails, so a client that uploads
// under a temporary name and renames can never overwrite a batch the print house already has.
//   npx tsx server/dev/sftp-server.ts [--port 2222] [--dir .data/print-drop]
import { createHash, timingSafeEqual } from "node:crypto";
import { mkdirSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ssh2, { type Attributes, type AuthContext, type SFTPWrapper } from "ssh2";

const { Server, utils } = ssh2;
const { STATUS_CODE, OPEN_MODE } = utils.sftp;

export type SftpStandin = {
  url: string;
  port: number;
  /** The host key's fingerprint as OpenSSH prints it: what PRINT_SFTP_HOST_KEY pins. */
  hostKeyFingerprint: string;
  dir: string;
  close(): Promise<void>;
};

export type SftpStandinOptions = {
  dir: string;
  port?: number;
  username?: string;
  password?: string;
  /** OpenSSH public key line of a key allowed to log in, e.g. "ssh-ed25519 AAAA…". */
  authorizedKey?: string;
  /** OpenSSH private host key; a fresh ed25519 key when absent. */
  hostKey?: string;
};

export function fingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(publicKeyBlob).digest("base64").replace(/=+$/, "")}`;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function authenticate(
  ctx: AuthContext,
  opts: Required<Pick<SftpStandinOptions, "username">> & SftpStandinOptions,
) {
  if (ctx.username !== opts.username) return ctx.reject();
  if (ctx.method === "password" && opts.password && same(ctx.password, opts.password))
    return ctx.accept();
  if (ctx.method === "publickey" && opts.authorizedKey) {
    const allowed = utils.parseKey(opts.authorizedKey);
    if (allowed instanceof Error || ctx.key.algo !== allowed.type) return ctx.reject();
    if (!allowed.getPublicSSH().equals(ctx.key.data)) return ctx.reject();
    if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
    return allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true
      ? ctx.accept()
      : ctx.reject();
  }
  return ctx.reject(["password", "publickey"]);
}

function attrsOf(s: {
  mode: number;
  size: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
}): Attributes {
  return {
    mode: s.mode,
    size: s.size,
    uid: s.uid,
    gid: s.gid,
    atime: s.atimeMs / 1000,
    mtime: s.mtimeMs / 1000,
  };
}

/** Serves one SFTP session over files under `root`; paths never leave it. */
function serveSftp(sftp: SFTPWrapper, root: string): void {
  const files = new Map<number, FileHandle>();
  const dirs = new Map<number, { path: string; names: string[] | null }>();
  let next = 1;
  const local = (p: string) => path.join(root, path.posix.normalize(`/${p}`));
  const handleOf = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const idOf = (h: Buffer) => (h.length === 4 ? h.readUInt32BE(0) : -1);
  const fail = (reqid: number, error: unknown) =>
    sftp.status(
      reqid,
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? STATUS_CODE.NO_SUCH_FILE
        : STATUS_CODE.FAILURE,
    );
  const run = (reqid: number, work: () => Promise<void>) =>
    void work().catch((e) => fail(reqid, e));

  sftp
    .on("REALPATH", (reqid, p) => {
      const norm = path.posix.normalize(`/${p === "." ? "" : p}`);
      sftp.name(reqid, [{ filename: norm, longname: norm, attrs: {} as Attributes }]);
    })
    .on("OPEN", (reqid, filename, flags) =>
      run(reqid, async () => {
        const mode =
          flags & OPEN_MODE.WRITE
            ? flags & OPEN_MODE.EXCL
              ? "wx"
              : flags & OPEN_MODE.TRUNC
                ? "w"
                : "r+"
            : "r";
        const id = next++;
        files.set(id, await open(local(filename), mode));
        sftp.handle(reqid, handleOf(id));
      }),
    )
    .on("WRITE", (reqid, handle, offset, data) =>
      run(reqid, async () => {
        const file = files.get(idOf(handle));
        if (!file) return void sftp.status(reqid, STATUS_CODE.FAILURE);
        await file.write(data, 0, data.length, offset);
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    )
    .on("READ", (reqid, handle, offset, length) =>
      run(reqid, async () => {
        const file = files.get(idOf(handle));
        if (!file) return void sftp.status(reqid, STATUS_CODE.FAILURE);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, offset);
        if (bytesRead === 0) sftp.status(reqid, STATUS_CODE.EOF);
        else sftp.data(reqid, buffer.subarray(0, bytesRead));
      }),
    )
    .on("FSTAT", (reqid, handle) =>
      run(reqid, async () => {
        const file = files.get(idOf(handle));
        if (!file) return void sftp.status(reqid, STATUS_CODE.FAILURE);
        sftp.attrs(reqid, attrsOf(await file.stat()));
      }),
    )
    .on("CLOSE", (reqid, handle) =>
      run(reqid, async () => {
        const id = idOf(handle);
        await files.get(id)?.close();
        files.delete(id);
        dirs.delete(id);
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    )
    .on("STAT", (reqid, p) =>
      run(reqid, async () => void sftp.attrs(reqid, attrsOf(await stat(local(p))))),
    )
    .on("LSTAT", (reqid, p) =>
      run(reqid, async () => void sftp.attrs(reqid, attrsOf(await stat(local(p))))),
    )
    .on("SETSTAT", (reqid) => sftp.status(reqid, STATUS_CODE.OK))
    .on("FSETSTAT", (reqid) => sftp.status(reqid, STATUS_CODE.OK))
    .on("OPENDIR", (reqid, p) =>
      run(reqid, async () => {
        const id = next++;
        dirs.set(id, { path: local(p), names: await readdir(local(p)) });
        sftp.handle(reqid, handleOf(id));
      }),
    )
    .on("READDIR", (reqid, handle) =>
      run(reqid, async () => {
        const listing = dirs.get(idOf(handle));
        if (!listing) return void sftp.status(reqid, STATUS_CODE.FAILURE);
        const names = listing.names ?? [];
        listing.names = null; // everything in one answer; the next READDIR gets EOF
        const entries = await Promise.all(
          names.map(async (name) => ({
            filename: name,
            longname: name,
            attrs: attrsOf(await stat(path.join(listing.path, name))),
          })),
        );
        if (entries.length === 0) sftp.status(reqid, STATUS_CODE.EOF);
        else sftp.name(reqid, entries);
      }),
    )
    .on("REMOVE", (reqid, p) =>
      run(reqid, async () => (await rm(local(p)), void sftp.status(reqid, STATUS_CODE.OK))),
    )
    .on("MKDIR", (reqid, p) =>
      run(reqid, async () => (await mkdir(local(p)), void sftp.status(reqid, STATUS_CODE.OK))),
    )
    .on("RENAME", (reqid, from, to) =>
      run(reqid, async () => {
        const exists = await stat(local(to)).then(
          () => true,
          () => false,
        );
        if (exists) return void sftp.status(reqid, STATUS_CODE.FAILURE, "target exists");
        await rename(local(from), local(to));
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    )
    .on("close", () => {
      for (const file of files.values()) void file.close();
    });
}

export async function startSftpStandin(options: SftpStandinOptions): Promise<SftpStandin> {
  const opts = { username: "print", ...options };
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const hostKey = opts.hostKey ?? utils.generateKeyPairSync("ed25519").private;
  const parsed = utils.parseKey(hostKey);
  if (parsed instanceof Error) throw parsed;
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on("error", () => {}); // a client that goes away mid-handshake is not our failure
    client.on("authentication", (ctx) => authenticate(ctx, opts));
    client.on("ready", () => {
      client.on("session", (accept) => {
        accept().on("sftp", (acceptSftp) => serveSftp(acceptSftp(), dir));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `sftp://${opts.username}@127.0.0.1:${port}/`,
    port,
    hostKeyFingerprint: fingerprint(parsed.getPublicSSH()),
    dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const standin = await startSftpStandin({
    dir: arg("dir") ?? ".data/print-drop",
    port: Number(arg("port") ?? 2222),
    password: process.env.PRINT_SFTP_PASSWORD ?? "print-local",
  });
  console.warn(
    `SFTP stand-in on ${standin.url} storing into ${standin.dir}\n` +
      `PRINT_SFTP_URL=${standin.url}\nPRINT_SFTP_HOST_KEY=${standin.hostKeyFingerprint}\n` +
      `PRINT_SFTP_PASSWORD=${process.env.PRINT_SFTP_PASSWORD ?? "print-local"}`,
  );
}
