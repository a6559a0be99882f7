// `npm run docs:transitions`: writes the transition tables into docs/architecture.md.
import { readFileSync, writeFileSync } from "node:fs";
import { withTransitions } from "../app/domain/transition-docs.ts";

const file = new URL("../docs/architecture.md", import.meta.url);
writeFileSync(file, withTransitions(readFileSync(file, "utf8")));
process.stdout.write("docs/architecture.md: transitions written\n");
