// `npm run release`: one archive that installs and starts on a machine with Node.js and nothing
// else: no npm registry, no Prisma CDN. It holds the production build, the production
// dependencies only (copied from this checkout's node_modules, patches applied, then pruned, so
// making it needs no registry either), the migrations with the offline schema engine, the
// embedded PostgreSQL of this platform, the app's source that the server runs through tsx, and
// a start script. Prints the archive's path and size.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import * as tar from "tar";

const ROOT = process.cwd();

/** What the release carries from the checkout, besides node_modules. */
const INCLUDE = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "prisma.config.ts",
  "build",
  "app",
  "server",
  "prisma",
  "docs/operations.md",
  "docs/grafana",
];

/** Never in a release: tests, local stand-ins (their libraries are development-only), benchmarks. */
function shipped(source: string): boolean {
  const rel = path.relative(ROOT, source);
  const under = (dir: string) => rel === dir || rel.startsWith(dir + path.sep);
  return !(
    /\.test\.tsx?$/.test(rel) ||
    under(path.join("server", "dev")) ||
    under(path.join("server", "test-support")) ||
    rel === path.join("server", "release.ts") ||
    rel.endsWith("test-support.ts")
  );
}

const START = `#!/bin/sh
# Starts Kravportal from this release: embedded PostgreSQL under DATA_DIR (default ./.data) unless
# DATABASE_URL is set, migrations, legal figures, then the web server and the worker. Needs Node.js
# >= 20.19 and nothing else. Configure it through the environment (docs/operations.md).
cd "$(dirname "$0")" || exit 1
export NODE_ENV="\${NODE_ENV:-production}"
export DEMO_DATA="\${DEMO_DATA:-false}"
exec node --import tsx server/start.ts "$@"
`;

const CLI = `#!/bin/sh
# The operator's command line (backup, restore, staff, api-key, ...): see docs/operations.md.
# Runs from the release's directory (its .data, its migrations); relative paths given to backup
# and restore are taken from where it was called (INIT_CWD, as npm passes it).
export INIT_CWD="\${INIT_CWD:-$PWD}"
cd "$(dirname "$0")" || exit 1
exec node server/bin/kravportal.js "$@"
`;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}`);
}

export async function makeRelease(opts: { outDir?: string; build?: boolean } = {}): Promise<{
  file: string;
  bytes: number;
}> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const name = `kravportal-${pkg.version}-${process.platform}-${process.arch}`;
  const outDir = path.resolve(opts.outDir ?? "release");
  const stage = path.resolve(".data", `release-stage-${process.pid}`);
  const dir = path.join(stage, name);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    if (opts.build !== false) run("npm", ["run", "build"], ROOT);
    for (const entry of INCLUDE) {
      const source = path.join(ROOT, entry);
      if (!existsSync(source)) continue;
      cpSync(source, path.join(dir, entry), { recursive: true, filter: shipped });
    }
    if (!existsSync(path.join(dir, "app", "generated", "prisma")))
      throw new Error("app/generated/prisma is missing: run npm install (it generates the client)");
    // The installed dependencies as they are (patched, the engine's library links made), then
    // everything that is only for development removed, offline.
    cpSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !source.includes(`${path.sep}.cache${path.sep}`),
    });
    run(
      "npm",
      ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"],
      dir,
    );
    writeFileSync(path.join(dir, "kravportal-start"), START);
    writeFileSync(path.join(dir, "kravportal"), CLI);
    chmodSync(path.join(dir, "kravportal-start"), 0o755);
    chmodSync(path.join(dir, "kravportal"), 0o755);

    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.tar.gz`);
    const partial = `${file}.partial`;
    await tar.create({ gzip: { level: 6 }, file: partial, cwd: stage, portable: true }, [name]);
    rmSync(file, { force: true });
    cpSync(partial, file);
    rmSync(partial);
    return { file, bytes: statSync(file).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve("server/release.ts")) {
  const started = Date.now();
  const { file, bytes } = await makeRelease();
  process.stdout.write(
    `Release: ${path.relative(ROOT, file)}, ${(bytes / 1024 / 1024).toFixed(1)} MiB, made in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
}
