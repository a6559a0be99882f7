import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The claim writer (claim-writer.server.ts) is the only code that changes a claim's stage or
 * status, and the event writers (events.server.ts and the claim writer) the only code that writes
 * events. This test reads every source file and fails on any other such write, in Prisma's
 * spelling or in SQL. A few places are allowed, each with its reason.
 */

const ROOT = path.resolve(__dirname, "../../..");

const ALLOWED: Record<string, string> = {
  "app/services/claims/claim-writer.server.ts": "the writer itself",
  "app/services/events/events.server.ts": "the event writer itself",
  "server/generate-data.ts":
    "synthetic data for benchmarks, loaded with set-based SQL: claims are created in the stage " +
    "they stand in, with the events that got them there, and never moved afterwards",
  "bench/escalation.ts":
    "the benchmark's baseline: one UPDATE of the due claims' stage, timed and rolled back",
  "bench/escalation-data.ts":
    "the benchmark's million claims, loaded with set-based SQL as intake would write them",
  "server/test-support/bank-claims.ts":
    "open claims for the big bank-file test and bench/bank-files, loaded with set-based SQL as " +
    "intake would write them",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx|js)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The text of a call's arguments: from the opening parenthesis to its match. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

export type Finding = { kind: "claim state" | "event"; line: number; excerpt: string };

/** Every direct write of a claim's stage or status, and every direct write of an event. */
export function directWrites(text: string): Finding[] {
  const found: Finding[] = [];
  const lineOf = (i: number) => text.slice(0, i).split("\n").length;
  const add = (kind: Finding["kind"], i: number, excerpt: string) =>
    found.push({ kind, line: lineOf(i), excerpt: excerpt.replace(/\s+/g, " ").slice(0, 80) });
  for (const m of text.matchAll(/\.claim\.(update|updateMany|upsert|create|createMany)\s*\(/g)) {
    const args = callArguments(text, m.index + m[0].length - 1);
    if (/\b(stage|status)\s*:/.test(args)) add("claim state", m.index, m[0] + args);
  }
  for (const m of text.matchAll(
    /UPDATE\s+"Claim"[\s\S]*?\bSET\b([\s\S]*?)(\bFROM\b|\bWHERE\b|`)/gi,
  ))
    if (/(^|[\s,"])(stage|status)"?\s*=/i.test(m[1]!)) add("claim state", m.index, m[0]);
  for (const m of text.matchAll(/INSERT\s+INTO\s+"Claim"\s*\(([^)]*)\)/gi))
    if (/\b(stage|status)\b/.test(m[1]!)) add("claim state", m.index, m[0]);
  for (const m of text.matchAll(/\.event\.(create|createMany|update|upsert)\s*\(/g))
    add("event", m.index, m[0]);
  for (const m of text.matchAll(/INSERT\s+INTO\s+"Event"/gi)) add("event", m.index, m[0]);
  return found;
}

describe("writes of a claim's state and of events", () => {
  it("happen only in the writers (and the places allowed, with their reasons)", () => {
    const offenders = ["app", "server", "prisma", "bench"].flatMap((dir) =>
      sources(path.join(ROOT, dir)).flatMap((file) => {
        const rel = path.relative(ROOT, file);
        if (ALLOWED[rel]) return [];
        return directWrites(readFileSync(file, "utf8")).map((f) => `${rel}:${f.line} ${f.excerpt}`);
      }),
    );
    expect(offenders).toEqual([]);
  });

  it("finds a direct write when one is added (the check itself can fail)", () => {
    const prisma = `await tx.claim.update({ where: { id }, data: { status: "PAID" } });`;
    const prismaStage = `await db().claim.updateMany({\n  where: { id },\n  data: { stage: "FILED" },\n});`;
    const sql = "await tx.$executeRaw`UPDATE \"Claim\" c SET stage = 'FILED' WHERE c.id = ${id}`;";
    const quoted =
      'await q(`UPDATE "Claim" SET "nextActionOn" = NULL, "status" = \'PAID\' WHERE id = $1`)';
    const event = `await tx.event.create({ data: { type: "claim.paid" } });`;
    const eventSql = 'INSERT INTO "Event" (type) VALUES ($1)';
    for (const text of [prisma, prismaStage, sql, quoted])
      expect(directWrites(text).map((f) => f.kind)).toEqual(["claim state"]);
    for (const text of [event, eventSql])
      expect(directWrites(text).map((f) => f.kind)).toEqual(["event"]);
    // Other writes of a claim are not moves: the next look, a claim created in its defaults.
    expect(directWrites('UPDATE "Claim" c SET "nextActionOn" = v.d FROM v')).toEqual([]);
    expect(directWrites(`tx.claim.create({ data: { description: "x" } })`)).toEqual([]);
  });
});
