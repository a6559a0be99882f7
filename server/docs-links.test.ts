import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * Every relative link in README.md and docs/**.md must point at a file or folder that exists,
 * and a `#fragment` into a Markdown file at one of its headings (GitHub's spelling of them).
 * Web addresses are not fetched. Links that leave the repository (`../shared/…`, the project's
 * guidance beside the checkout) are not checked: that folder is not part of the repository.
 */

const root = path.resolve(__dirname, "..");

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith(".md") ? [full] : [];
  });
}

/** The text with fenced code blocks and code spans blanked out (their brackets are not links). */
function prose(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, " "))
    .replace(/(`+)[^`\n]*?\1/g, (span) => " ".repeat(span.length));
}

/** Every link target written in a Markdown text: inline `[text](target)` and `[ref]: target`. */
export function linkTargets(text: string): string[] {
  const body = prose(text);
  const targets: string[] = [];
  for (const m of body.matchAll(
    /\]\(\s*<?([^()\s>]+(?:\([^()\s]*\)[^()\s>]*)*)>?(?:\s+"[^"]*")?\s*\)/g,
  ))
    targets.push(m[1]!);
  for (const m of body.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm))
    targets.push(m[1]!);
  return targets;
}

/** GitHub's anchor for each heading of a Markdown text, with `-1`, `-2` … for repeats. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const body = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with each relative link of one file, as "file: target (why)". */
export function brokenLinks(file: string, text: string, repoRoot = root): string[] {
  const problems: string[] = [];
  const rel = path.relative(repoRoot, file);
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
    const [rawPath, fragment] = target.split("#", 2) as [string, string | undefined];
    let linkPath: string;
    try {
      linkPath = decodeURIComponent(rawPath);
    } catch {
      problems.push(`${rel}: ${target} (malformed escape)`);
      continue;
    }
    const resolved = linkPath === "" ? file : path.resolve(path.dirname(file), linkPath);
    if (resolved !== repoRoot && !resolved.startsWith(repoRoot + path.sep)) continue;
    if (!existsSync(resolved)) {
      problems.push(`${rel}: ${target} (no such file)`);
      continue;
    }
    if (fragment && resolved.endsWith(".md")) {
      const anchors = headingAnchors(readFileSync(resolved, "utf8"));
      if (!anchors.has(fragment.toLowerCase()))
        problems.push(`${rel}: ${target} (no heading #${fragment})`);
    }
  }
  return problems;
}

describe("links in the documentation", () => {
  const files = [path.join(root, "README.md"), ...markdownFiles(path.join(root, "docs"))];

  it("finds the README and the docs", () => {
    expect(files.map((f) => path.relative(root, f))).toEqual(
      expect.arrayContaining(["README.md", "docs/architecture.md", "docs/decisions/README.md"]),
    );
  });

  it("has every relative link pointing at something that exists", () => {
    const problems = files.flatMap((file) => brokenLinks(file, readFileSync(file, "utf8")));
    expect(problems).toEqual([]);
  });

  it("lists every decision record in the decisions index", () => {
    const dir = path.join(root, "docs", "decisions");
    const records = readdirSync(dir).filter((name) => /^\d{4}-.+\.md$/.test(name));
    const listed = new Set(linkTargets(readFileSync(path.join(dir, "README.md"), "utf8")));
    expect(records.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("reports a missing file, a missing heading and a bad escape (the check itself can fail)", () => {
    const file = path.join(root, "docs", "example.md");
    const text = [
      "See [the README](../README.md), [the web](https://example.org/x) and [mail](mailto:a@b.c).",
      "Broken: [gone](gone.md), [no heading](../README.md#no-such-heading), [bad](%E0%A4%A.md).",
      "In code it is no link: `[x](nowhere.md)`.",
      "```",
      "[y](nowhere-either.md)",
      "```",
      "[ref]: ./also-gone.md",
      "Outside the repository, not checked: [shared](../../shared/DOMAIN.md).",
    ].join("\n");
    expect(brokenLinks(file, text)).toEqual([
      "docs/example.md: gone.md (no such file)",
      "docs/example.md: ../README.md#no-such-heading (no heading #no-such-heading)",
      "docs/example.md: %E0%A4%A.md (malformed escape)",
      "docs/example.md: ./also-gone.md (no such file)",
    ]);
  });

  it("spells heading anchors as GitHub does", () => {
    const anchors = headingAnchors(
      "# Kravportal\n## A claim's transitions\n## Quick start\n## Quick start\n### `npm test`: what runs\n",
    );
    expect([...anchors]).toEqual([
      "kravportal",
      "a-claims-transitions",
      "quick-start",
      "quick-start-1",
      "npm-test-what-runs",
    ]);
  });
});
