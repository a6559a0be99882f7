import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The services are grouped by capability (claims, escalation, letters, payments, plans, disputes,
 * backoffice, identity, ...). Files may import each other within a group freely; between groups
 * the imports must form no cycle, so every group can be read (and changed) knowing only the
 * groups below it. madge (in `npm run lint`) catches cycles between files; this catches them
 * between groups, which madge cannot see.
 */

const servicesDir = path.resolve(__dirname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Group → the groups its files import from. */
export function groupGraph(dir = servicesDir): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(dir)) {
    const rel = path.relative(dir, file);
    const group = rel.split(path.sep)[0]!;
    if (!graph.has(group)) graph.set(group, new Set());
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/from\s+"([^"]+)"/g)) {
      const spec = m[1]!;
      let target: string | null = null;
      if (spec.startsWith("~/services/")) target = spec.slice("~/services/".length);
      else if (spec.startsWith(".")) {
        const abs = path.resolve(path.dirname(file), spec);
        if (abs.startsWith(dir + path.sep)) target = path.relative(dir, abs);
      }
      const other = target?.split("/")[0];
      if (other && other !== group && !other.includes(".")) graph.get(group)!.add(other);
    }
  }
  return graph;
}

/** A cycle in the graph as a list of nodes, or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === "done") return null;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe("the services' shape", () => {
  it("has no files loose beside the capability groups", () => {
    const loose = readdirSync(servicesDir).filter(
      (name) => !statSync(path.join(servicesDir, name)).isDirectory() && !name.endsWith(".test.ts"),
    );
    expect(loose).toEqual([]);
  });

  it("has no import cycle between groups", () => {
    expect(findCycle(groupGraph())).toBeNull();
  });

  it("finds a cycle when there is one (the check itself can fail)", () => {
    const graph = new Map([
      ["claims", new Set(["law"])],
      ["law", new Set<string>()],
      ["payments", new Set(["plans", "claims"])],
      ["plans", new Set(["payments"])],
    ]);
    expect(findCycle(graph)).toEqual(["payments", "plans", "payments"]);
  });

  it("keeps files under about 300 lines, or says at the top why not", () => {
    const long = sourceFiles(servicesDir).filter((file) => {
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n").length;
      return lines > 320 && !/^\/\*[\s\S]*?Longer than 300 lines because/.test(text);
    });
    expect(long.map((f) => path.relative(servicesDir, f))).toEqual([]);
  });
});
