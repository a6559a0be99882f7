import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

type Out = { log(line: string): void; error(line: string): void };

export type PolicyFileArgs<E extends string> = {
  creditor: string;
  claimType: string;
  file: string;
  /** The file read as JSON (what it says is checked by the caller's service). */
  json: unknown;
  extra: Partial<Record<E, string>>;
};

/**
 * The options `policy set` and `policy simulate` share: `--creditor SLUG --claim-type SLUG
 * --file FILE.json`, plus the command's own string options. Returns the exit code (2, with the
 * reason written) when they are missing, unknown or the file is not JSON.
 */
export async function policyFileArgs<E extends string = never>(
  args: string[],
  out: Out,
  usage: string,
  command: string,
  extra: readonly E[] = [],
): Promise<PolicyFileArgs<E> | number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      options: Object.fromEntries(
        ["creditor", "claim-type", "file", ...extra].map((k) => [k, { type: "string" as const }]),
      ),
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const { creditor, "claim-type": claimType, file } = values;
  if (!creditor || !claimType || !file) {
    out.error(`${command} needs --creditor, --claim-type and --file.`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    out.error(
      `Cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
  const own = Object.fromEntries(extra.map((k) => [k, values[k]])) as Partial<Record<E, string>>;
  return { creditor, claimType, file, json, extra: own };
}
