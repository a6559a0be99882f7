import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BATCH_NODE_FLAGS } from "./node-flags.ts";

// The worker is started two ways (npm start's supervisor, which a release's start script runs
// too, and `npm run worker`): each must run with the flags, or the sweep runs slower there than
// bench/escalation says.
describe("batch processes' Node flags", () => {
  it("are on the npm worker script and the supervised worker", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    const start = readFileSync("server/start.ts", "utf8");
    for (const flag of BATCH_NODE_FLAGS) expect(pkg.scripts.worker).toContain(flag);
    expect(start).toMatch(/nodeFlags: BATCH_NODE_FLAGS/);
  });
});
