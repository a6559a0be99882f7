// A bench that times a batch job runs it as the worker does: with the worker's Node flags
// (server/node-flags.ts). Started without them, the bench starts itself again with them.
import { spawnSync } from "node:child_process";
import { BATCH_NODE_FLAGS } from "../server/node-flags.ts";

/** Returns when this process has the flags; otherwise runs this script again with them, and exits. */
export function runWithBatchFlags(): void {
  if (BATCH_NODE_FLAGS.every((f) => process.execArgv.includes(f))) return;
  const again = spawnSync(
    process.execPath,
    [...BATCH_NODE_FLAGS, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(again.status ?? 1);
}
