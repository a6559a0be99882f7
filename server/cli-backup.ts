import { statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "../app/infra/env.server.ts";
import { backup, BackupError, FILE_DIRECTORIES, type DirectoryName } from "./backup.ts";
import { restore } from "./restore.ts";

type Out = { log(line: string): void; error(line: string): void };

function directories(): Record<DirectoryName, string> {
  return Object.fromEntries(FILE_DIRECTORIES.map((d) => [d.name, env()[d.setting]])) as Record<
    DirectoryName,
    string
  >;
}

// The release's `kravportal` script runs from its own directory and passes the caller's in
// INIT_CWD (as npm does), so a relative --out or --from means what the operator typed.
const fromCaller = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** `backup --out FILE` and `restore --from FILE --yes`: exit 2 for a malformed command or a refused archive. */
export async function backupCommand(
  command: "backup" | "restore",
  args: string[],
  out: Out,
  usage: string,
): Promise<number> {
  let v: { out?: string; from?: string; yes?: boolean };
  try {
    v = parseArgs({
      args,
      options: {
        out: { type: "string" },
        from: { type: "string" },
        yes: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  try {
    if (command === "backup") {
      if (!v.out) {
        out.error("backup needs --out FILE.");
        return 2;
      }
      const manifest = await backup({
        databaseUrl: env().DATABASE_URL,
        directories: directories(),
        out: fromCaller(v.out),
      });
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      const files = manifest.directories.reduce((n, d) => n + d.files.length, 0);
      out.log(
        `Backup written to ${v.out} (${mib(statSync(fromCaller(v.out)).size)}): ${manifest.tables.length} tables, ${rows} rows, ${manifest.migrations.length} migrations, ${files} files.`,
      );
      return 0;
    }
    if (!v.from) {
      out.error("restore needs --from FILE.");
      return 2;
    }
    if (!v.yes) {
      out.error(
        `restore replaces everything in the database and in ${FILE_DIRECTORIES.map((d) => d.setting).join(", ")} with the archive's. Stop the portal and its workers, then run it again with --yes.`,
      );
      return 2;
    }
    const manifest = await restore({
      databaseUrl: env().DATABASE_URL,
      directories: directories(),
      from: fromCaller(v.from),
    });
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    out.log(
      `Restored ${v.from} (made ${manifest.createdAt}): ${manifest.tables.length} tables, ${rows} rows, ${manifest.directories.reduce((n, d) => n + d.files.length, 0)} files.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      out.error(`${error.message} Nothing was changed.`);
      return 2;
    }
    throw error;
  }
}
