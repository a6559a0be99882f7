import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BATCH_NODE_FLAGS } from "./node-flags.ts";

// The worker is started three ways (npm start's supervisor, `npm run worker`, a release's
// start script through the supervisor) and the command-line tool two (npx, a release's script):
// each must run with the batch flags, or the sweep runs slower there than the bench says.
describe("batch processes' Node flags", () => {
  it("are on the npm worker script, the command-line tool and the supervised worker", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    const bin = readFileSync("server/bin/kravportal.js", "utf8").split("\n")[0]!;
    const start = readFileSync("server/start.ts", "utf8");
    for (const flag of BATCH_NODE_FLAGS) {
      expect(pkg.scripts.worker).toContain(flag);
      expect(bin).toBe(`#!/usr/bin/env -S node ${BATCH_NODE_FLAGS.join(" ")}`);
    }
    expect(start).toMatch(/nodeFlags: BATCH_NODE_FLAGS/);
  });
});
