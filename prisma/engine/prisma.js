#!/usr/bin/env node
// Runs the project's Prisma CLI (`node prisma/engine/prisma.js <prisma args...>`) without ever
// letting it download a schema engine: Prisma's CLI fetches a native engine from its CDN for
// every command (even --version), which is unreachable offline and in many municipal networks.
//  - PRISMA_SCHEMA_ENGINE_BINARY already set: respected as is (native engine chosen by the user).
//  - a native engine installed where the CLI looks for it: pinned via PRISMA_SCHEMA_ENGINE_BINARY
//    (an explicit path also skips the CLI's online version/checksum check).
//  - otherwise: the wasm stand-in next to this file (schema-engine.js).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliPath = require.resolve("prisma/build/index.js");
const standIn = path.join(here, "schema-engine.js");

// Same places and file name as the CLI's own lookup: `schema-engine-<binaryTarget>` in
// @prisma/engines, then the prisma package, node_modules and prisma/runtime.
// Packages are resolved from the CLI's own location, as the CLI does.
async function findNativeEngine() {
  let target, enginesDir;
  try {
    const enginesMain = createRequire(cliPath).resolve("@prisma/engines");
    enginesDir = path.dirname(path.dirname(enginesMain)); // the CLI's getEnginesPath()
    target =
      await createRequire(enginesMain)("@prisma/get-platform").getBinaryTargetForCurrentPlatform();
  } catch {
    return null; // cannot tell which file the CLI would want: use the stand-in
  }
  const file = `schema-engine-${target}${target === "windows" ? ".exe" : ""}`;
  const prismaDir = path.dirname(path.dirname(cliPath));
  const candidates = [
    enginesDir,
    prismaDir,
    path.dirname(prismaDir),
    path.join(prismaDir, "runtime"),
  ].map((d) => path.join(d, file));
  if (process.env.PRISMA_WRAPPER_DEBUG)
    console.error(`prisma wrapper: native engine candidates:\n  ${candidates.join("\n  ")}`);
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !env.PRISMA_MIGRATION_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = (await findNativeEngine()) ?? standIn;
}
if (env.PRISMA_WRAPPER_DEBUG)
  console.error(
    `prisma wrapper: schema engine = ${env.PRISMA_SCHEMA_ENGINE_BINARY ?? env.PRISMA_MIGRATION_ENGINE_BINARY}`,
  );
env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING ??= "1"; // never fail on unreachable checksum files
env.CHECKPOINT_DISABLE ??= "1"; // no telemetry / update-check request to checkpoint.prisma.io
env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
if (env.PRISMA_SCHEMA_ENGINE_BINARY === standIn) {
  try {
    fs.accessSync(standIn, fs.constants.X_OK);
  } catch {
    fs.chmodSync(standIn, 0o755);
  } // lost +x in a copy
}

const child = spawn(process.execPath, [cliPath, ...process.argv.slice(2)], {
  stdio: "inherit",
  env,
});
const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
const forward = (signal) => child.kill(signal);
for (const s of signals) process.on(s, forward);
child.on("error", (e) => {
  console.error(`prisma wrapper: cannot start the Prisma CLI: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  for (const s of signals) process.off(s, forward);
  if (signal)
    process.kill(process.pid, signal); // die the same way the CLI died
  else process.exit(code ?? 1);
});
