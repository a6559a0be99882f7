import { readFileSync } from "node:fs";
import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { transitionDocs, withTransitions } from "../app/domain/transition-docs.ts";

const file = new URL("../docs/architecture.md", import.meta.url);

describe("docs/architecture.md", () => {
  it("shows the transition tables the code runs on (npm run docs:transitions writes them)", async () => {
    const doc = readFileSync(file, "utf8");
    const options = { ...(await resolveConfig(file.pathname)), parser: "markdown" as const };
    expect(doc).toBe(await format(withTransitions(doc), options));
  });

  it("would notice a move added to the table (the check itself can fail)", async () => {
    const doc = readFileSync(file, "utf8");
    const drifted = doc.replace("`approve_enforcement`", "`approve`");
    const options = { ...(await resolveConfig(file.pathname)), parser: "markdown" as const };
    expect(drifted).not.toBe(await format(withTransitions(drifted), options));
    expect(transitionDocs()).toContain("| `send_back`");
  });
});
