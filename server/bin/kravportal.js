#!/usr/bin/env node
// `npx kravportal <command>`: the operator's command-line tool. The commands are TypeScript,
// loaded through tsx so the tool and the app share one codebase without a separate build.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../cli.ts");
process.exitCode = await run(process.argv.slice(2));
