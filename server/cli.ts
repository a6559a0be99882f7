import path from "node:path";
import { parseArgs } from "node:util";
import { disconnectDb } from "../app/infra/db.server.ts";
import { isIsoDate } from "../app/domain/calendar-date.ts";
import { createApiKey, UnknownCreditorError } from "../app/services/identity/api-keys.server.ts";
import { runSweep } from "../app/services/escalation/sweep.server.ts";
import { formatSummary } from "../app/services/escalation/sweep-summary.ts";
import { savePolicy } from "../app/services/law/policies.server.ts";
import { placeHold, releaseHolds } from "../app/services/claims/holds.server.ts";
import { importBankFile } from "../app/services/payments/bank-import.server.ts";
import {
  bankFileText,
  checkBankFile,
  type BankFileBytes,
} from "../app/services/payments/bank-file-source.server.ts";
import { requireSettings, SettingsError } from "../app/infra/env.server.ts";
import { STAFF_ACCOUNT_COMMANDS, staffAccount, staffCreate } from "./cli-staff.ts";
import { commandSpec } from "./cli-settings.ts";
import type { LocalSetup } from "./local-setup.ts";
import { USAGE } from "./cli-usage.ts";
import { generate } from "./cli-generate.ts";
import { policyFileArgs } from "./cli-policy-file.ts";

type Out = { log(line: string): void; error(line: string): void };
const stdio: Out = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Runs one command and returns its exit code; never throws for bad input. */
export async function run(argv: string[], out: Out = stdio): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    out.log(USAGE);
    return command ? 0 : 2;
  }
  const spec = commandSpec(command, sub);
  if (!spec) {
    out.error(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
    return 2;
  }
  let local: LocalSetup | undefined;
  try {
    // No DATABASE_URL: the local setup `npm start` made under DATA_DIR, as it stands.
    if (spec.settings.includes("DATABASE_URL") && !process.env.DATABASE_URL) {
      // Loaded only here: the embedded database's package is not needed with DATABASE_URL.
      const { useLocalSetup } = await import("./local-setup.ts");
      local = await useLocalSetup(process.env.DATA_DIR ?? ".data");
    }
    requireSettings(`kravportal ${spec.name}`, spec.settings);
    return await dispatch(command, sub, rest, out);
  } catch (error) {
    if (error instanceof SettingsError) {
      out.error(error.message);
      return 2;
    }
    if (error instanceof Error && error.name === "NoLocalSetupError") {
      out.error(`kravportal ${spec.name}: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await disconnectDb();
    await local?.close();
  }
}

async function dispatch(
  command: string,
  sub: string | undefined,
  rest: string[],
  out: Out,
): Promise<number> {
  const args = [sub, ...rest].filter((a) => a !== undefined);
  if (command === "api-key") return await apiKeyCreate(rest, out);
  if (command === "policy" && sub === "simulate")
    return (await import("./cli-policy-simulate.ts")).policySimulate(rest, out, USAGE);
  if (command === "policy") return await policySet(rest, out);
  if (command === "hold") return await hold(sub as "place" | "release", rest, out);
  if (command === "import-bank-file") return await importFile(sub, out);
  if (command === "import-claims")
    return (await import("./cli-import-claims.ts")).importClaims(args, out, USAGE);
  if (command === "staff" && sub === "create") return await staffCreate(rest, out, USAGE);
  const account = STAFF_ACCOUNT_COMMANDS.find((c) => c === sub);
  if (command === "staff" && account) return await staffAccount(account, rest, out, USAGE);
  if (command === "generate") return await generate(args, out, USAGE);
  if (command === "escalate") return await escalate(args, out);
  if (command === "print-batch") return await printBatch(args, out);
  // Loaded when used, so the other commands start without the archive libraries.
  if (command === "retention")
    return (await import("./cli-retention.ts")).retention(sub as "run" | "set", rest, out, USAGE);
  if (command === "creditor")
    return (await import("./cli-merge.ts")).creditorMerge(rest, out, USAGE);
  if (command === "backup" || command === "restore")
    return (await import("./cli-backup.ts")).backupCommand(command, args, out, USAGE);
  throw new Error(`no handler for ${command}`);
}

async function apiKeyCreate(args: string[], out: Out): Promise<number> {
  let slug: string | undefined;
  try {
    slug = parseArgs({ args, options: { creditor: { type: "string" } }, strict: true }).values
      .creditor;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!slug) {
    out.error("Missing --creditor SLUG.");
    return 2;
  }
  try {
    const { key, id } = await createApiKey(slug);
    out.log(
      `API key ${id} created for creditor "${slug}". Store it now: it cannot be shown again.`,
    );
    out.log(key);
    return 0;
  } catch (error) {
    if (error instanceof UnknownCreditorError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

async function escalate(args: string[], out: Out): Promise<number> {
  let values: { "as-of"?: string; creditor?: string; "dry-run"?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        creditor: { type: "string" },
        "dry-run": { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const asOf = values["as-of"];
  if (!asOf || !isIsoDate(asOf)) {
    out.error("--as-of must be a calendar date as YYYY-MM-DD.");
    return 2;
  }
  try {
    const summary = await runSweep({
      asOf,
      creditorSlug: values.creditor,
      dryRun: values["dry-run"] ?? false,
      batchSize: Number(process.env.ESCALATION_BATCH_SIZE) || undefined,
      publicUrl: process.env.PUBLIC_URL ?? "http://localhost:3000",
    });
    out.log(formatSummary(summary));
    if (summary.dryRun) return 0;
    // The letters the sweep wrote leave now, dated that day: their fees and deadlines count from
    // it. Email goes through SMTP_URL when it is set; else it waits for the worker's outbox.
    const { sendLettersOfDay, describeDaySent } =
      await import("../app/services/letters/send-day.server.ts");
    const mailer = await mailerFromEnv();
    const sent = await sendLettersOfDay({
      asOf,
      creditorSlug: values.creditor,
      send: mailer ? (m) => mailer.send(m) : null,
      actor: "cli",
    });
    out.log(describeDaySent(sent));
    const planMail = summary.plans
      ? summary.plans.reminded + summary.plans.ended + summary.plans.completed
      : 0;
    if (!mailer && sent.dispatch.email + planMail > 0) await requestMailDelivery(out);
    return 0;
  } catch (error) {
    if (error instanceof UnknownCreditorError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Wakes the worker to send the new mail now rather than at its next minute. */
async function requestMailDelivery(out: Out) {
  const { requestOutboxDelivery } = await import("./worker/queue.ts");
  const queued = await requestOutboxDelivery(process.env.DATABASE_URL!);
  if (!queued) out.log("Mail is queued in the outbox; the worker sends it when it runs.");
}

async function mailerFromEnv() {
  if (!process.env.SMTP_URL) return null;
  const { createMailer } = await import("../app/integrations/mail/smtp.server.ts");
  return createMailer({
    url: process.env.SMTP_URL,
    from: process.env.MAIL_FROM ?? "Kravportal <no-reply@kravportal.invalid>",
  });
}

/** `print-batch`: a creditor's paper letters now, into the print house's SFTP or a directory. */
async function printBatch(args: string[], out: Out): Promise<number> {
  let values: { creditor?: string; out?: string; "as-of"?: string };
  try {
    values = parseArgs({
      args,
      options: {
        creditor: { type: "string" },
        out: { type: "string" },
        "as-of": { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!values.creditor) {
    out.error("print-batch needs --creditor SLUG.");
    return 2;
  }
  if (values["as-of"] !== undefined && !isIsoDate(values["as-of"])) {
    out.error("--as-of must be a calendar date as YYYY-MM-DD.");
    return 2;
  }
  const { db } = await import("../app/infra/db.server.ts");
  if (!(await db().creditor.findUnique({ where: { slug: values.creditor } }))) {
    out.error(`No creditor with the slug "${values.creditor}".`);
    return 1;
  }
  const { makePrintBatch } = await import("../app/services/letters/print-batches.server.ts");
  const batch = await makePrintBatch({
    creditorSlug: values.creditor,
    actor: "cli",
    ...(values["as-of"] ? { asOf: values["as-of"] } : {}),
    ...(values.out ? { outDir: values.out } : {}),
  });
  if (!batch) {
    out.log("No paper letters are waiting: no batch made.");
    return 0;
  }
  out.log(
    `Print batch ${batch.fileName}: ${batch.letters} letter(s), ${batch.size} bytes, SHA-256 ${batch.sha256}, handed over to ${batch.deliveredTo.replace(/^(directory|sftp):/, "")}.`,
  );
  return 0;
}

async function policySet(args: string[], out: Out): Promise<number> {
  const read = await policyFileArgs(args, out, USAGE, "policy set");
  if (typeof read === "number") return read;
  const result = await savePolicy({
    creditorSlug: read.creditor,
    claimTypeSlug: read.claimType,
    policy: read.json,
    actor: "cli",
    now: new Date(),
  });
  if (!result.ok) {
    out.error("Policy refused; nothing was saved:");
    for (const e of result.errors) out.error(`  ${e.path}: ${e.message}`);
    return 1;
  }
  out.log(
    result.unchanged
      ? `Policy unchanged: version ${result.version} already says this.`
      : `Saved policy version ${result.version} for ${read.creditor}/${read.claimType}.`,
  );
  return 0;
}

async function hold(sub: "place" | "release", args: string[], out: Out): Promise<number> {
  let v: Record<string, string | undefined>;
  try {
    v = parseArgs({
      args,
      options: Object.fromEntries(
        ["creditor", "claim", "kind", "reason", "from", "until", "on"].map((k) => [
          k,
          { type: "string" },
        ]),
      ),
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const needed =
    sub === "place"
      ? ["creditor", "claim", "kind", "reason", "from"]
      : ["creditor", "claim", "on", "reason"];
  const missing = needed.filter((k) => !v[k]);
  if (missing.length > 0) {
    out.error(`hold ${sub} needs ${missing.map((k) => `--${k}`).join(", ")}.`);
    return 2;
  }
  const result =
    sub === "place"
      ? await placeHold({
          creditorSlug: v.creditor!,
          externalId: v.claim!,
          kind: v.kind!,
          reason: v.reason!,
          startsOn: v.from!,
          endsOn: v.until,
          actor: "cli",
        })
      : await releaseHolds({
          creditorSlug: v.creditor!,
          externalId: v.claim!,
          on: v.on!,
          reason: v.reason!,
          actor: "cli",
        });
  if (!result.ok) {
    out.error(result.error);
    return 1;
  }
  out.log(
    "holdId" in result ? `Hold ${result.holdId} placed.` : `${result.released} hold(s) released.`,
  );
  return 0;
}

async function importFile(file: string | undefined, out: Out): Promise<number> {
  if (!file) {
    out.error("import-bank-file needs the path of a bank file.");
    return 2;
  }
  // Read as a stream, twice: once for its encoding and SHA-256, once to import it piece by
  // piece, so a file of any size is never held whole (decision 0109).
  let bytes: BankFileBytes;
  try {
    bytes = await checkBankFile(file);
  } catch (error) {
    out.error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const result = await importBankFile(bankFileText(file, bytes.encoding), "cli", {
    fileName: path.basename(file),
    sha256: bytes.sha256,
  });
  if (!result.ok) {
    out.error(`${file}: ${result.error}. Nothing was imported.`);
    return 1;
  }
  if (result.duplicate) {
    out.log(`${file} (${result.format} ${result.fileId}) was imported before: nothing added.`);
    return 0;
  }
  out.log(
    [
      `Imported ${file} (${result.format} ${result.fileId}): ${result.entries} payments, ${(result.total / 100).toFixed(2)} in all.`,
      `  matched and allocated:   ${result.matched}`,
      `  paid too much (credit):  ${result.overpaid} (refund tasks for staff)`,
      `  unmatched:               ${result.unmatched} (tasks for staff)`,
      `  wrong currency:          ${result.mismatched} (tasks for staff)`,
      `  delivered before:        ${result.alreadyImported} (same bank reference in an earlier file: not booked again)`,
    ].join("\n"),
  );
  return 0;
}
