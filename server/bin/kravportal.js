#!/usr/bin/env -S node --max-semi-space-size=64
// `npx kravportal <command>`: the operator's command-line tool. The commands are TypeScript,
// loaded through tsx so the tool and the app share one codebase without a separate build.
// The flag on the first line is server/node-flags.ts's (a sweep runs here as in the worker).
import { register } from "tsx/esm/api";

register();
const { run } = await import("../cli.ts");
process.exitCode = await run(process.argv.slice(2));
