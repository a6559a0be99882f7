/** Test-only helpers: load a sample and make precise edits to fixed-width or XML fixtures. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { BankFileError } from "./types";

export function sample(name: string): string {
  return readFileSync(new URL(`./samples/${name}`, import.meta.url), "utf8");
}

/** Replace characters from..to (1-based inclusive) on a 1-based line with `value` (same width). */
export function setField(
  text: string,
  line: number,
  from: number,
  to: number,
  value: string,
): string {
  if (value.length !== to - from + 1) throw new Error(`value must be ${to - from + 1} wide`);
  const lines = text.split("\n");
  const target = lines[line - 1] ?? "";
  lines[line - 1] = target.slice(0, from - 1) + value + target.slice(to);
  return lines.join("\n");
}

export function dropLines(text: string, fromLine: number): string {
  return (
    text
      .split("\n")
      .slice(0, fromLine - 1)
      .join("\n") + "\n"
  );
}

/** Runs `parse` and returns the BankFileError it must throw. */
export function bankFileError(parse: () => unknown): BankFileError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(BankFileError);
    return error as BankFileError;
  }
  throw new Error("expected a BankFileError, but parsing succeeded");
}
